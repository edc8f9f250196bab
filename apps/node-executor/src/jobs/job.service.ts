import {
  ErrorCodes,
  hostOfNodeSubject,
  subjectToken,
  type JobAckDto,
  type JobDto,
} from '@ferry/contracts';
import { RequestError } from '@ferry/platform';
import { jobKey } from '../attempts/attempt-key';
import { sleep } from '../retry/backoff';
import type { AttemptStore } from '../attempts/attempt-store';
import type { ExecutorStats } from '../stats/executor-stats';
import { JobExecution, type JobDeps } from './job-execution';
import type { TaskRunner } from './task-runner';

/** Once nothing runs any more, how long job-end messages may still wait for an answer. */
const JOB_END_SHUTDOWN_MS = 5000;
const SHUTDOWN_POLL_MS = 20;

export interface JobServiceDeps extends Omit<JobDeps, 'endSignal'> {
  readonly store: AttemptStore;
  readonly runner: TaskRunner;
  readonly stats: ExecutorStats;
  /** Host mode: the only host this executor serves. */
  readonly ownHost: string | null;
  readonly executorId: string;
}

function rejected(message: string, path: string): RequestError {
  return new RequestError({
    error: ErrorCodes.BAD_REQUEST,
    message,
    problems: [{ path, message }],
  });
}

/**
 * Takes jobs: checks them, records the job key (so a redelivery, to this or another executor of the
 * state dir, is acknowledged as a duplicate and starts nothing), acknowledges at once and runs the
 * job in the background. Also where halts and shutdown reach the jobs in flight.
 */
export class JobService {
  private readonly jobs = new Set<JobExecution>();
  private closing = false;
  private readonly endAbort = new AbortController();

  constructor(private readonly deps: JobServiceDeps) {}

  get active(): number {
    return this.jobs.size;
  }

  async accept(job: JobDto, subject: string): Promise<JobAckDto> {
    this.check(job, subject);
    if (this.closing) {
      // An error, not `accepted: false`: the dispatcher re-sends, and another pool member takes it.
      throw new RequestError({
        error: ErrorCodes.SERVICE_UNAVAILABLE,
        message: `executor ${this.deps.executorId} is shutting down`,
        problems: [],
      });
    }
    let claimed: string[];
    try {
      claimed = await this.deps.store.claim([jobKey(job.key)]);
    } catch (e) {
      this.deps.logger.error({ err: e, key: job.key }, 'cannot record the job on disk');
      throw new RequestError({
        error: ErrorCodes.INTERNAL,
        message: `cannot record job ${job.key} on disk: ${(e as Error).message}`,
        problems: [],
      });
    }
    if (claimed.length === 0) {
      this.deps.stats.duplicateJobs++;
      this.deps.logger.info(
        { run: job.run, key: job.key, host: job.host },
        'job already taken: acknowledged as duplicate',
      );
      return { accepted: true, duplicate: true, host: job.host };
    }
    this.deps.stats.jobs++;
    const execution = new JobExecution(job, { ...this.deps, endSignal: this.endAbort.signal });
    this.jobs.add(execution);
    void execution.run().finally(() => this.jobs.delete(execution));
    return { accepted: true, duplicate: false, host: job.host };
  }

  /** A halt broadcast: the run's jobs held now start nothing more (later jobs, e.g. a retry, run). */
  halt(run: string, reason: string): void {
    let halted = 0;
    for (const execution of this.jobs) {
      if (execution.job.run !== run) continue;
      execution.stop(`run halted: ${reason}`);
      halted++;
    }
    if (halted) this.deps.logger.info({ run, reason, jobs: halted }, 'run halted');
  }

  /**
   * Starts nothing more, lets running tasks finish for up to the grace period, then stops what
   * still runs; waits for the jobs' end messages (briefly: the dispatcher may be gone too).
   */
  async shutdown(graceMs: number): Promise<void> {
    this.closing = true;
    const reason = 'the executor is shutting down';
    for (const execution of this.jobs) execution.stop(reason);
    const allDone = Promise.all([...this.jobs].map((j) => j.done));
    // Stopped jobs start nothing; wait for what runs (not for job ends: the dispatcher may be gone).
    const deadline = Date.now() + graceMs;
    while (this.deps.stats.running > 0 && Date.now() < deadline) await sleep(SHUTDOWN_POLL_MS);
    if (this.deps.stats.running > 0) {
      this.deps.logger.warn(
        { running: this.deps.stats.running },
        'grace period over: stopping running tasks',
      );
      this.deps.runner.stopAll(reason);
    }
    const endTimer = setTimeout(() => this.endAbort.abort(), JOB_END_SHUTDOWN_MS);
    await allDone;
    clearTimeout(endTimer);
  }

  private check(job: JobDto, subject: string): void {
    const subjectHost = hostOfNodeSubject(subject);
    if (job.host !== subjectHost)
      throw rejected(
        `job for host ${job.host} arrived on the subject of host ${subjectHost}`,
        'host',
      );
    if (this.deps.ownHost !== null && job.host !== this.deps.ownHost)
      throw rejected(`this executor serves host ${this.deps.ownHost}, not ${job.host}`, 'host');
    try {
      subjectToken(job.run, 'run id');
    } catch (e) {
      throw rejected((e as Error).message, 'run');
    }
    job.stages.forEach((stage, s) =>
      stage.tasks.forEach((task, t) => {
        if (task.host !== job.host)
          throw rejected(
            `task ${task.task} is for host ${task.host}, the job for ${job.host}`,
            `stages[${s}].tasks[${t}].host`,
          );
        if (task.run !== job.run)
          throw rejected(
            `task ${task.task} belongs to run ${task.run}, the job to ${job.run}`,
            `stages[${s}].tasks[${t}].run`,
          );
      }),
    );
  }
}
