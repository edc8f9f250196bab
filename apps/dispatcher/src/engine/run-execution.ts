import type { Subscription } from 'nats';
import type { Logger } from 'pino';
import {
  FAILED_STATES,
  GateRequestDto,
  JobAckDto,
  JobEndDto,
  ProgressDto,
  RunState,
  Subjects,
  TaskState,
  TERMINAL_STATES,
  resolveLimit,
  type GateReplyDto,
  type HaltDto,
  type JobDto,
  type JobEndReplyDto,
  type RunPolicy,
  type TaskSpecDto,
} from '@ferry/contracts';
import type { Messaging } from '@ferry/platform';
import type { BatchTaskRow, RunEntity, RunRepository } from '@ferry/storage';
import { buildJob, groupJobs, type JobTasks, type SpecContext } from '../jobs/job-builder';
import { planWork, undoWork, type BatchWork } from './batch-work';
import { FailureBudget } from './failure-budget';
import { instancePackages } from './instance-packages';
import { Signal } from './signal';

export interface EngineDeps {
  readonly runs: RunRepository;
  readonly messaging: Messaging;
  readonly logger: Logger;
  readonly owner: string;
}

/**
 * What an execution does: carry out the run's plan (from its current batch), run new attempts of
 * some tasks (retry), or run undo actions batch by batch (already in reverse order).
 */
export type ExecutionMode =
  | { readonly kind: 'run' }
  | { readonly kind: 'retry'; readonly tasks: readonly string[] }
  | {
      readonly kind: 'undo';
      readonly batches: readonly (readonly BatchTaskRow[])[];
      readonly attempts: ReadonlyMap<string, number>;
      readonly previous: RunState;
    };

/** A job sent in this batch, until its node says it ended or all its tasks are terminal. */
interface InFlight {
  readonly key: string;
  readonly outstanding: Set<string>;
}

const POLL_MS = 500;
const CHECK_EVERY_MS = 2000;

function instanceOf(row: { host: string; target: string }): string {
  return `${row.host}/${row.target}`;
}

/** host/target of a task id `host_target_action[@release]` (names hold no `_`). */
function instanceOfTask(task: string): string {
  const first = task.indexOf('_');
  const second = task.indexOf('_', first + 1);
  return `${task.slice(0, first)}/${task.slice(first + 1, second)}`;
}

/**
 * Executes work of one run (runtime.md): each host gets its job, a batch ends only when every task
 * of it has a terminal state persisted, the failure budget stops new starts the moment it is
 * exceeded, and everything needed to continue is in the database, so another dispatcher can take
 * over after a crash.
 */
export class RunExecution {
  readonly done: Promise<void>;
  private readonly signal = new Signal();
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Map<string, InFlight>();
  private readonly open = new Set<string>();
  private readonly failedInstances = new Set<string>();
  private readonly sentBuffer: string[] = [];
  private budget!: FailureBudget;
  private policy!: RunPolicy;
  private run!: RunEntity;
  private specs!: SpecContext;
  private work: BatchWork | null = null;
  private halted = false;
  private control: 'pause' | 'cancel' | null = null;

  constructor(
    private readonly runId: string,
    private readonly deps: EngineDeps,
    private readonly mode: ExecutionMode = { kind: 'run' },
  ) {
    this.done = this.execute().catch((e: unknown) => {
      this.deps.logger.error(
        { err: e, run: runId },
        'run execution failed; another dispatcher will take it over',
      );
    });
  }

  /** Pause or cancel, from a control request handled by this dispatcher. */
  requestControl(control: 'pause' | 'cancel'): void {
    if (this.control !== 'cancel') this.control = control;
    if (control === 'cancel') this.halt('cancelled by an operator');
    this.signal.notify();
  }

  private get log(): Logger {
    return this.deps.logger;
  }

  private async execute(): Promise<void> {
    const { runs } = this.deps;
    const run = await runs.get(this.runId);
    if (!run) return;
    this.run = run;
    this.policy = run.policy;
    // An undo stops at its first failure, whatever the run's own error threshold.
    this.budget = new FailureBudget(this.mode.kind === 'undo' ? 0 : this.policy.error_threshold);
    this.control = this.mode.kind === 'run' ? run.control : null;
    const snapshot = await runs.snapshotOfRun(run.id);
    this.specs = {
      run: run.id,
      timeoutSeconds: this.policy.task_timeout_s,
      rpms: snapshot ? instancePackages(snapshot.inventory, snapshot.descriptor) : () => [],
    };
    if (this.mode.kind === 'run') {
      for (const failure of await runs.failedTasks(run.id)) {
        this.budget.record([failure.task], 0);
        this.failedInstances.add(instanceOf(failure));
      }
    }
    this.listen();
    try {
      if (this.mode.kind === 'run') await this.executePlan();
      else if (this.mode.kind === 'retry') await this.executeRetry(this.mode.tasks);
      else await this.executeUndo(this.mode);
    } finally {
      this.stopListening();
    }
  }

  private async executePlan(): Promise<void> {
    const { runs } = this.deps;
    if (this.run.state !== RunState.Running)
      await runs.setState(this.runId, RunState.Running, { started: true, reason: null });
    this.publishState(RunState.Running);
    const batches = await runs.batches(this.runId);
    for (let b = this.run.batchIndex; b < this.run.batchTotal; b++) {
      if (this.control === 'cancel' || this.halted) break;
      if (this.control === 'pause') return this.pause(b);
      if (batches[b]?.endedAt) continue;
      await runs.setState(this.runId, RunState.Running, { batchIndex: b });
      this.publishState(RunState.Running, b);
      await runs.markBatch(this.runId, b, 'started');
      const rows = await runs.batchTasks(this.runId, this.run.planId, b);
      // A task whose instance already failed in this run does not run: later actions depend on earlier ones.
      const blocked = rows.filter(
        (r) => r.state === TaskState.Pending && this.failedInstances.has(instanceOf(r)),
      );
      if (blocked.length) {
        await runs.moveTasks(
          this.runId,
          blocked.map((r) => r.task),
          TaskState.Skipped,
        );
        for (const r of blocked) r.state = TaskState.Skipped;
      }
      await this.runWork(planWork(runs, this.runId, b, rows, this.specs));
      await runs.markBatch(this.runId, b, 'ended');
      await runs.setState(this.runId, RunState.Running, { batchIndex: b + 1 });
    }
    await this.finish();
  }

  /** New attempts of single tasks (already reset to pending), alone: nothing before them runs again. */
  private async executeRetry(tasks: readonly string[]): Promise<void> {
    const { runs } = this.deps;
    const rows = await runs.tasks(this.runId, this.run.planId, tasks);
    const batches = [...new Set(rows.map((r) => r.batch))].sort((a, b) => a - b);
    for (const b of batches) {
      if (this.halted) break;
      await this.runWork(
        planWork(
          runs,
          this.runId,
          b,
          rows.filter((r) => r.batch === b),
          this.specs,
          tasks,
        ),
      );
    }
    // A retried task a halt kept from being sent never ran.
    await runs.moveTasks(
      this.runId,
      (await runs.tasks(this.runId, this.run.planId, tasks))
        .filter((r) => r.state === TaskState.Pending)
        .map((r) => r.task),
      TaskState.Skipped,
    );
    await this.release();
    this.log.info({ run: this.runId, tasks }, 'retry ended');
  }

  /** Undo batches in the order given (reverse of the run), stopping at the first failure. */
  private async executeUndo(mode: Extract<ExecutionMode, { kind: 'undo' }>): Promise<void> {
    const { runs } = this.deps;
    let undone = 0;
    let index = 0;
    for (const rows of mode.batches) {
      if (this.halted) break;
      await runs.registerUndo(
        this.runId,
        rows.map((r) => ({
          task: r.task,
          host: r.host,
          attempt: mode.attempts.get(r.task) as number,
        })),
      );
      await this.runWork(undoWork(runs, this.runId, index++, rows, mode.attempts, this.specs));
      const states = await runs.undoStates(
        this.runId,
        rows.map((r) => ({ task: r.task, attempt: mode.attempts.get(r.task) as number })),
      );
      undone += [...states.values()].filter((s) => s === TaskState.Succeeded).length;
    }
    const total = mode.batches.reduce((n, rows) => n + rows.length, 0);
    const reason = this.halted
      ? `undo stopped at a failure: ${undone} of ${total} task(s) undone`
      : `undo finished: ${undone} task(s) undone`;
    await runs.setState(this.runId, mode.previous, { reason });
    this.publishState(mode.previous);
    await this.release();
    this.log.info({ run: this.runId, undone, total }, 'undo ended');
  }

  /** Subjects only the owner of the run answers: gates, job ends, and the receiver's progress. */
  private listen(): void {
    const { messaging } = this.deps;
    this.subscriptions.push(
      messaging.serve(
        Subjects.runGate(this.runId),
        GateRequestDto,
        async (req): Promise<GateReplyDto> => {
          this.recordFailures(req.failed);
          return { go: !this.halted && this.control !== 'cancel' };
        },
      ),
      messaging.serve(
        Subjects.runJobEnd(this.runId),
        JobEndDto,
        async (end): Promise<JobEndReplyDto> => {
          this.recordFailures(end.failed);
          const job = this.inFlight.get(end.host);
          if (this.work && end.batch === this.work.batch && job && job.key === end.key) {
            // The node is done with the job; the database still has the last word on each task.
            for (const task of job.outstanding) this.open.delete(task);
            this.inFlight.delete(end.host);
            this.signal.notify();
          }
          return { ok: true };
        },
      ),
      messaging.subscribe(Subjects.progress(this.runId), ProgressDto, (progress) =>
        this.onProgress(progress),
      ),
    );
  }

  private stopListening(): void {
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
  }

  private onProgress(progress: ProgressDto): void {
    const failed: string[] = [];
    let moved = false;
    for (const update of progress.updates) {
      if (FAILED_STATES.has(update.state)) failed.push(update.task);
      if (!TERMINAL_STATES.has(update.state) || !this.open.has(update.task)) continue;
      this.open.delete(update.task);
      moved = true;
      const host = update.task.slice(0, update.task.indexOf('_'));
      const job = this.inFlight.get(host);
      if (job) {
        job.outstanding.delete(update.task);
        if (job.outstanding.size === 0) this.inFlight.delete(host);
      }
    }
    if (failed.length) this.recordFailures(failed);
    if (moved || (this.work && progress.batchesEnded.includes(this.work.batch)))
      this.signal.notify();
  }

  private recordFailures(tasks: readonly string[]): void {
    if (!tasks.length) return;
    for (const task of tasks) this.failedInstances.add(instanceOfTask(task));
    const size = this.work?.rows.length ?? 0;
    this.budget.record(tasks, size);
    if (this.budget.exceeded(size)) {
      this.halt(
        `${this.budget.count} failed task(s), more than the error threshold (${this.budget.allowed(size)})`,
      );
    }
  }

  /** From now on nothing new starts for this run: no job is sent, no gate opens, nodes are told. */
  private halt(reason: string): void {
    if (this.halted) return;
    this.halted = true;
    this.log.warn({ run: this.runId, reason }, 'halting');
    this.deps.messaging.publish(Subjects.runHalt(this.runId), {
      run: this.runId,
      reason,
    } satisfies HaltDto);
    if (this.mode.kind === 'run')
      void this.deps.runs.setState(this.runId, RunState.Running, { reason }).catch(() => undefined);
    this.signal.notify();
  }

  /** Drives one batch of work to its end: sends jobs within `max_in_flight`, waits for persisted ends. */
  private async runWork(work: BatchWork): Promise<void> {
    this.work = work;
    this.open.clear();
    this.inFlight.clear();
    for (const r of work.rows) if (!TERMINAL_STATES.has(r.state)) this.open.add(r.task);

    const jobs = groupJobs(work.rows);
    const queue: JobTasks[] = [];
    for (const job of jobs) {
      const pending = job.rows.some((r) => r.state === TaskState.Pending);
      const running = job.rows.filter(
        (r) => r.state === TaskState.Sent || r.state === TaskState.Running,
      );
      if (running.length && !pending)
        this.inFlight.set(job.host, {
          key: 'recovered',
          outstanding: new Set(running.map((r) => r.task)),
        });
      if (pending) queue.push(job);
    }
    const window =
      this.policy.max_in_flight === null
        ? Infinity
        : resolveLimit(this.policy.max_in_flight, jobs.length, 'up');
    let lastCheck = 0;
    for (;;) {
      while (
        !this.halted &&
        this.control !== 'cancel' &&
        this.inFlight.size < window &&
        queue.length
      ) {
        this.send(work, queue.shift() as JobTasks);
      }
      if (queue.length && (this.halted || this.control === 'cancel')) {
        const unsent = queue
          .splice(0)
          .flatMap((j) => j.rows.filter((r) => r.state === TaskState.Pending).map((r) => r.task));
        await work.markSkipped(unsent);
        for (const task of unsent) this.open.delete(task);
      }
      await this.flushSent(work);
      // The database is the judge of "ended" (progress messages may be missed): ask it when the
      // batch looks done, and every two seconds anyway, when silent nodes are also looked for.
      const now = Date.now();
      if ((queue.length === 0 && this.open.size === 0) || now - lastCheck >= CHECK_EVERY_MS) {
        lastCheck = now;
        if (queue.length === 0 && (await work.open()) === 0) break;
        await this.detectSilentNodes(work);
      }
      if (this.mode.kind === 'run') await this.pollControl();
      await this.signal.wait(POLL_MS);
    }
    await this.flushSent(work);
    this.work = null;
  }

  private send(work: BatchWork, job: JobTasks): void {
    const byStage = new Map<number, TaskSpecDto[]>();
    for (const row of job.rows) {
      if (row.state !== TaskState.Pending) continue;
      const stage = byStage.get(row.stage) ?? [];
      stage.push(work.spec(row));
      byStage.set(row.stage, stage);
    }
    const stages = [...byStage.keys()]
      .sort((a, b) => a - b)
      .map((s) => byStage.get(s) as TaskSpecDto[]);
    const dto = buildJob(this.runId, work.batch, job.host, stages);
    const tasks = stages.flatMap((s) => s.map((t) => t.task));
    this.inFlight.set(job.host, { key: dto.key, outstanding: new Set(tasks) });
    void this.deliver(
      work,
      dto,
      job.rows.filter((r) => tasks.includes(r.task)),
    );
  }

  /** Sends a job until its node acknowledges it or `job_ack_timeout_s` passes (then its tasks are lost). */
  private async deliver(
    work: BatchWork,
    job: JobDto,
    rows: readonly BatchTaskRow[],
  ): Promise<void> {
    const deadline = Date.now() + this.policy.job_ack_timeout_s * 1000;
    let pause = 200;
    while (Date.now() < deadline) {
      try {
        await this.deps.messaging.request(
          Subjects.nodeJobs(job.host),
          job,
          JobAckDto,
          Math.min(Math.max(deadline - Date.now(), 1), 10_000),
        );
        this.sentBuffer.push(...rows.map((r) => r.task));
        return;
      } catch (e) {
        this.log.debug({ host: job.host, err: (e as Error).message }, 'job not acknowledged yet');
        await new Promise((r) =>
          setTimeout(r, Math.min(pause, Math.max(0, deadline - Date.now()))),
        );
        pause = Math.min(pause * 2, 2000);
      }
    }
    const reason = `node ${job.host} did not acknowledge its job within ${this.policy.job_ack_timeout_s} s`;
    const lost = await work.markLost(
      rows.map((r) => ({ task: r.task, host: r.host, attempt: r.attempt })),
      reason,
    );
    this.ended(job.host, lost);
    this.recordFailures(lost);
  }

  private ended(host: string, tasks: readonly string[]): void {
    for (const task of tasks) this.open.delete(task);
    const job = this.inFlight.get(host);
    if (job) {
      for (const task of tasks) job.outstanding.delete(task);
      if (job.outstanding.size === 0) this.inFlight.delete(host);
    }
    this.signal.notify();
  }

  private async flushSent(work: BatchWork): Promise<void> {
    if (this.sentBuffer.length) await work.markSent(this.sentBuffer.splice(0));
  }

  /** Guarantee 4: tasks whose node stopped heartbeating for `heartbeat_timeout_s` end lost. */
  private async detectSilentNodes(work: BatchWork): Promise<void> {
    const silent = await work.silent(this.policy.heartbeat_timeout_s);
    if (!silent.length) return;
    const lost = await work.markLost(
      silent,
      `node stopped sending heartbeats for ${this.policy.heartbeat_timeout_s} s`,
    );
    for (const s of silent) if (lost.includes(s.task)) this.ended(s.host, [s.task]);
    this.recordFailures(lost);
  }

  /** A pause or cancel asked through another dispatcher reaches the owner through the database. */
  private async pollControl(): Promise<void> {
    const control = await this.deps.runs.control(this.runId);
    if (control && control !== this.control) this.requestControl(control);
  }

  private async pause(nextBatch: number): Promise<void> {
    const { runs } = this.deps;
    await runs.setState(this.runId, RunState.Paused, {
      batchIndex: nextBatch,
      reason: 'paused by an operator',
    });
    await runs.requestControl(this.runId, null);
    await runs.disown(this.runId, this.deps.owner);
    this.publishState(RunState.Paused);
  }

  private async finish(): Promise<void> {
    const { runs } = this.deps;
    const cancelled = this.control === 'cancel';
    await runs.skipRemaining(this.runId, 0);
    const counts = await runs.counts(this.runId);
    const failed = (counts.failed ?? 0) + (counts.timed_out ?? 0) + (counts.lost ?? 0);
    const notRun = (counts.skipped ?? 0) + (counts.pending ?? 0);
    const state = cancelled
      ? RunState.Cancelled
      : failed || notRun
        ? RunState.Failed
        : RunState.Succeeded;
    const reason = cancelled
      ? 'cancelled by an operator'
      : failed
        ? `${failed} task(s) failed`
        : notRun
          ? `${notRun} task(s) did not run`
          : null;
    await runs.setState(this.runId, state, { ended: true, reason });
    await runs.requestControl(this.runId, null);
    await this.release();
    this.publishState(state);
    this.log.info({ run: this.runId, state, counts }, 'run ended');
  }

  private async release(): Promise<void> {
    await this.deps.runs.releaseLocks(this.runId);
    await this.deps.runs.disown(this.runId, this.deps.owner);
  }

  private publishState(state: RunState, batch?: number): void {
    const message: ProgressDto = {
      run: this.runId,
      at: new Date().toISOString(),
      updates: [],
      counts: {},
      batchesEnded: [],
      state,
      ...(batch !== undefined ? { batch } : {}),
    };
    this.deps.messaging.publish(Subjects.progress(this.runId), message);
  }
}
