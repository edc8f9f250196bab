import { rename, writeFile } from 'node:fs/promises';

/** The counters of interfaces.md's load test, as the stats file shows them. */
export interface StatsSnapshot {
  readonly executor: string;
  readonly jobs: number;
  readonly tasksStarted: number;
  readonly reportsSent: number;
  /** Reports of a task's end acknowledged by JetStream (one per executed attempt). */
  readonly terminalReportsSent: number;
  readonly duplicateExecutions: number;
  readonly duplicateJobs: number;
  readonly running: number;
}

/**
 * Counters of one executor process. `duplicateExecutions` is an independent check of guarantee 2:
 * it counts attempt keys this process handed to a runner more than once and must stay 0.
 */
export class ExecutorStats {
  jobs = 0;
  tasksStarted = 0;
  reportsSent = 0;
  terminalReportsSent = 0;
  duplicateExecutions = 0;
  duplicateJobs = 0;
  running = 0;
  private readonly executed = new Set<string>();

  constructor(readonly executor: string) {}

  /** Called just before an attempt is handed to a runner. */
  executing(key: string): void {
    this.tasksStarted++;
    if (this.executed.has(key)) this.duplicateExecutions++;
    else this.executed.add(key);
  }

  snapshot(): StatsSnapshot {
    const {
      executor,
      jobs,
      tasksStarted,
      reportsSent,
      terminalReportsSent,
      duplicateExecutions,
      duplicateJobs,
      running,
    } = this;
    return {
      executor,
      jobs,
      tasksStarted,
      reportsSent,
      terminalReportsSent,
      duplicateExecutions,
      duplicateJobs,
      running,
    };
  }
}

/** Writes the stats file every second and at exit; readers never see a half-written file. */
export class StatsFileWriter {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly stats: ExecutorStats,
    private readonly file: string,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.write(), this.intervalMs);
    void this.write();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.write();
  }

  write(): Promise<void> {
    // Serialised: two writes of the same temp file must not interleave.
    this.writing = this.writing
      .then(async () => {
        const tmp = `${this.file}.${process.pid}.tmp`;
        await writeFile(tmp, `${JSON.stringify(this.stats.snapshot())}\n`);
        await rename(tmp, this.file);
      })
      .catch(() => undefined);
    return this.writing;
  }
}
