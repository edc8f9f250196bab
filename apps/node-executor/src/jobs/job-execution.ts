import type { Logger } from 'pino';
import type { JobDto, TaskSpecDto } from '@ferry/contracts';
import type { DispatcherClient } from '../gate/dispatcher-client';
import type { ReportPublisher } from '../reports/report-publisher';
import { skippedReport } from '../reports/task-reports';
import type { StageRunner } from './stage-runner';

export interface JobDeps {
  readonly stages: StageRunner;
  readonly dispatcher: DispatcherClient;
  readonly publisher: ReportPublisher;
  readonly logger: Logger;
  /** Fires when a shutting-down executor stops waiting for job-end acknowledgements. */
  readonly endSignal: AbortSignal;
}

/**
 * One accepted job: its stages in order, the gate before each stage after the first, and the
 * job-end message. A failed or timed-out task stops the job after the stage in flight; a closed
 * gate, a halt of the run or shutdown stop it at once. Every task not started because the job
 * stopped is reported `skipped`.
 */
export class JobExecution {
  private stopReason: string | null = null;
  private readonly abort = new AbortController();
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    readonly job: JobDto,
    private readonly deps: JobDeps,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Start nothing more (halt, shutdown, a closed gate, a failure); running tasks go on. */
  stop(reason: string): void {
    if (this.stopReason === null) this.stopReason = reason;
    this.abort.abort();
  }

  async run(): Promise<void> {
    const { job } = this;
    const failed: string[] = [];
    const skipped: string[] = [];
    const skip = (tasks: readonly TaskSpecDto[]) => {
      const at = new Date().toISOString();
      for (const spec of tasks) {
        this.deps.publisher.add(skippedReport(spec, this.stopReason ?? 'the job stopped', at));
        skipped.push(spec.task);
      }
    };
    try {
      for (let stage = 0; stage < job.stages.length; stage++) {
        const { tasks } = job.stages[stage];
        if (this.stopReason === null && stage >= 1 && job.gate) {
          const verdict = await this.deps.dispatcher.gate(
            {
              run: job.run,
              batch: job.batch,
              host: job.host,
              key: job.key,
              stage,
              failed: [...failed],
            },
            this.abort.signal,
          );
          if (verdict === 'stop') this.stop(`the dispatcher closed the gate before stage ${stage}`);
        }
        if (this.stopReason !== null) {
          skip(tasks);
          continue;
        }
        const result = await this.deps.stages.run(tasks, () => this.stopReason);
        failed.push(...result.failed);
        skipped.push(...result.skipped);
        if (result.failed.length) this.stop(`task ${result.failed[0]} failed in stage ${stage}`);
      }
    } catch (e) {
      // A bug, not an expected failure: the job end below still frees the dispatcher's slot.
      this.deps.logger.error({ err: e, run: job.run, key: job.key }, 'job execution failed');
    } finally {
      const acknowledged = await this.deps.dispatcher.jobEnd(
        { run: job.run, batch: job.batch, host: job.host, key: job.key, failed, skipped },
        this.deps.endSignal,
      );
      if (!acknowledged)
        this.deps.logger.warn({ run: job.run, key: job.key }, 'job end was not acknowledged');
      this.resolveDone();
    }
  }
}
