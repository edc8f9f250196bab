import type { Logger } from 'pino';
import { isFailure, TaskState, type TaskSpecDto } from '@ferry/contracts';
import { attemptKey } from '../attempts/attempt-key';
import type { AttemptStore } from '../attempts/attempt-store';
import type { RunningRegistry } from '../heartbeat/running-registry';
import type { ReportPublisher } from '../reports/report-publisher';
import { runningReport, skippedReport, terminalReport } from '../reports/task-reports';
import type { ExecutorStats } from '../stats/executor-stats';
import type { HostLimiter } from './host-limiter';
import type { TaskOutcome, TaskRunner } from './task-runner';

export interface StageResult {
  /** Task ids that failed or timed out. */
  readonly failed: string[];
  /** Task ids not started because the job stopped while they waited for a slot. */
  readonly skipped: string[];
}

export interface StageDeps {
  readonly store: AttemptStore;
  readonly runner: TaskRunner;
  readonly publisher: ReportPublisher;
  readonly registry: RunningRegistry;
  readonly stats: ExecutorStats;
  readonly limiter: HostLimiter;
  readonly logger: Logger;
}

/**
 * Runs the tasks of one stage in parallel: records their attempt keys on disk first (one write for
 * the stage, guarantee 2), leaves out attempts already started (their own execution reports them),
 * and reports each task `running` and then terminal.
 */
export class StageRunner {
  constructor(private readonly deps: StageDeps) {}

  async run(tasks: readonly TaskSpecDto[], stopReason: () => string | null): Promise<StageResult> {
    const result: StageResult = { failed: [], skipped: [] };
    const keys = tasks.map(attemptKey);
    let claimed: Set<string>;
    try {
      claimed = new Set(await this.deps.store.claim(keys));
    } catch (e) {
      // Without the record on disk a redelivery could run them again: start none.
      const message = `cannot record the attempt on disk: ${(e as Error).message}`;
      this.deps.logger.error({ err: e }, message);
      for (const spec of tasks) {
        const now = new Date().toISOString();
        this.deps.publisher.add(
          terminalReport(spec, {
            state: TaskState.Failed,
            exitCode: null,
            output: message,
            startedAt: now,
            endedAt: now,
          }),
        );
        result.failed.push(spec.task);
      }
      return result;
    }
    await Promise.all(
      tasks.map((spec, i) => {
        if (!claimed.has(keys[i])) {
          this.deps.logger.info(
            { run: spec.run, task: spec.task, attempt: spec.attempt },
            'attempt already started: not run again',
          );
          return undefined;
        }
        return this.deps.limiter.run(spec.host, async () => {
          const reason = stopReason();
          if (reason) {
            this.deps.publisher.add(skippedReport(spec, reason));
            result.skipped.push(spec.task);
            return;
          }
          const outcome = await this.execute(spec, keys[i]);
          if (isFailure(outcome.state)) result.failed.push(spec.task);
        });
      }),
    );
    return result;
  }

  private async execute(spec: TaskSpecDto, key: string): Promise<TaskOutcome> {
    const { runner, publisher, registry, stats } = this.deps;
    stats.executing(key);
    registry.add(spec.host, key, { run: spec.run, task: spec.task, attempt: spec.attempt });
    stats.running = registry.count;
    let outcome: TaskOutcome;
    try {
      outcome = await runner.run(spec, {
        onStarted: (startedAt) => publisher.add(runningReport(spec, startedAt)),
      });
    } catch (e) {
      const now = new Date().toISOString();
      outcome = {
        state: TaskState.Failed,
        exitCode: null,
        output: `executor error: ${(e as Error).message}`,
        startedAt: now,
        endedAt: now,
      };
    } finally {
      registry.remove(spec.host, key);
      stats.running = registry.count;
    }
    publisher.add(terminalReport(spec, outcome));
    return outcome;
  }
}
