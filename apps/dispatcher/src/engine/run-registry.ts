import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import {
  ErrorCodes,
  FAILED_STATES,
  RunState,
  isRunFinished,
  type RunControlReplyDto,
  type TaskControlReplyDto,
  type TaskState,
  type UndoReplyDto,
} from '@ferry/contracts';
import { LOGGER, Messaging, RequestError } from '@ferry/platform';
import { RunRepository, type BatchTaskRow } from '@ferry/storage';
import { RunExecution, type ExecutionMode } from './run-execution';
import { undoBatches } from './undo-order';

/** A claim not renewed for this long is abandoned: its run is taken over (guarantee 3). */
export const CLAIM_STALE_SECONDS = 10;
const RENEW_EVERY_MS = 2000;
const ORPHAN_SCAN_EVERY_MS = 3000;

/**
 * The runs this dispatcher owns. It renews its claims, adopts runs whose owner went silent (a
 * killed dispatcher), and turns control requests into state changes — directly for its own runs,
 * through the database for runs another dispatcher of the pool owns.
 */
@Injectable()
export class RunRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly owner = `dispatcher-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly executions = new Map<string, RunExecution>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly runs: RunRepository,
    private readonly messaging: Messaging,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timers.push(
      setInterval(() => void this.renew(), RENEW_EVERY_MS),
      setInterval(() => void this.adoptOrphans(), ORPHAN_SCAN_EVERY_MS),
    );
    void this.adoptOrphans();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private async renew(): Promise<void> {
    await this.runs
      .renewClaims(this.owner, [...this.executions.keys()])
      .catch((e: unknown) => this.logger.warn({ err: e }, 'claim renewal failed'));
  }

  private async adoptOrphans(): Promise<void> {
    try {
      for (const runId of await this.runs.orphans(CLAIM_STALE_SECONDS)) {
        if (this.executions.has(runId)) continue;
        if (await this.runs.claim(runId, this.owner, CLAIM_STALE_SECONDS)) {
          this.logger.info({ run: runId }, 'took over a run whose dispatcher went silent');
          this.execute(runId);
        }
      }
    } catch (e) {
      this.logger.warn({ err: e }, 'orphan scan failed');
    }
  }

  private execute(runId: string, mode: ExecutionMode = { kind: 'run' }): void {
    const execution = new RunExecution(
      runId,
      { runs: this.runs, messaging: this.messaging, logger: this.logger, owner: this.owner },
      mode,
    );
    this.executions.set(runId, execution);
    void execution.done.finally(() => this.executions.delete(runId));
  }

  private async current(runId: string) {
    const run = await this.runs.get(runId);
    if (!run)
      throw new RequestError({
        error: ErrorCodes.NOT_FOUND,
        message: `run ${runId} does not exist`,
        problems: [],
      });
    return run;
  }

  private wrongState(runId: string, state: RunState, wanted: string): never {
    throw new RequestError({
      error: ErrorCodes.RUN_STATE,
      message: `run ${runId} is ${state}; ${wanted}`,
      problems: [],
      state,
    });
  }

  private conflict(conflicts: readonly string[]): never {
    throw new RequestError({
      error: ErrorCodes.RUN_CONFLICT,
      message: `another run is working on ${conflicts.join(', ')}`,
      problems: [],
      conflicts,
    });
  }

  async start(runId: string): Promise<RunControlReplyDto> {
    const run = await this.current(runId);
    if (run.state !== RunState.Pending) return { state: run.state };
    if (await this.runs.claim(runId, this.owner, CLAIM_STALE_SECONDS)) {
      await this.runs.setState(runId, RunState.Running, { started: true });
      this.execute(runId);
      return { state: RunState.Running };
    }
    return { state: (await this.current(runId)).state };
  }

  async pause(runId: string): Promise<RunControlReplyDto> {
    const run = await this.current(runId);
    if (run.state === RunState.Paused) return { state: run.state };
    if (run.state !== RunState.Running)
      this.wrongState(runId, run.state, 'only a running run can be paused');
    await this.runs.requestControl(runId, 'pause');
    this.executions.get(runId)?.requestControl('pause');
    return { state: RunState.Running };
  }

  /**
   * Continues a paused run, or a failed/cancelled one whose failed tasks were retried (or undone):
   * it goes on with the first batch that still has work, the tasks it never ran included.
   */
  async resume(runId: string): Promise<RunControlReplyDto> {
    const run = await this.current(runId);
    if (run.state === RunState.Running) {
      if (run.control === 'pause') await this.runs.requestControl(runId, null);
      return { state: run.state };
    }
    if (
      run.state !== RunState.Paused &&
      run.state !== RunState.Failed &&
      run.state !== RunState.Cancelled
    ) {
      this.wrongState(runId, run.state, 'only a paused, failed or cancelled run can be resumed');
    }
    if (run.state !== RunState.Paused) {
      const failed = await this.runs.failedTasks(runId);
      if (failed.length) {
        const shown =
          failed
            .slice(0, 10)
            .map((f) => f.task)
            .join(', ') + (failed.length > 10 ? `, … (${failed.length})` : '');
        throw new RequestError({
          error: ErrorCodes.RUN_STATE,
          message: `run ${runId} still has failed tasks: retry (or undo) them first: ${shown}`,
          problems: [],
          failed: failed.map((f) => f.task),
        });
      }
    }
    if (!(await this.runs.claim(runId, this.owner, CLAIM_STALE_SECONDS)))
      return { state: (await this.current(runId)).state };
    if (run.state !== RunState.Paused) {
      const conflicts = await this.runs.relock(runId);
      if (conflicts.length) {
        await this.runs.disown(runId, this.owner);
        this.conflict(conflicts);
      }
      await this.runs.reopen(runId);
    }
    await this.runs.requestControl(runId, null);
    await this.runs.setState(runId, RunState.Running, { reason: null });
    this.execute(runId);
    return { state: RunState.Running };
  }

  async cancel(runId: string): Promise<RunControlReplyDto> {
    const run = await this.current(runId);
    if (isRunFinished(run.state)) this.wrongState(runId, run.state, 'it has already ended');
    if (run.state === RunState.Running) {
      await this.runs.requestControl(runId, 'cancel');
      this.executions.get(runId)?.requestControl('cancel');
      return { state: RunState.Running };
    }
    // Pending or paused: nothing is in flight, so the run ends here.
    await this.runs.skipRemaining(runId, 0);
    await this.runs.setState(runId, RunState.Cancelled, {
      ended: true,
      reason: 'cancelled by an operator',
    });
    await this.runs.requestControl(runId, null);
    await this.runs.releaseLocks(runId);
    return { state: RunState.Cancelled };
  }

  /** Retries and undos run while the run itself is stopped, under a claim so gates and job ends are answered. */
  private async claimStopped(runId: string, what: string): Promise<void> {
    const run = await this.current(runId);
    if (run.state === RunState.Running || run.state === RunState.Pending) {
      this.wrongState(
        runId,
        run.state,
        `${what} needs it stopped: pause it, or wait for it to end`,
      );
    }
    if (!(await this.runs.claim(runId, this.owner, CLAIM_STALE_SECONDS))) {
      throw new RequestError({
        error: ErrorCodes.RUN_STATE,
        message: `run ${runId} is busy with another retry or undo; try again when it has finished`,
        problems: [],
      });
    }
  }

  /** Locks the instances of stopped-run work; on a conflict gives the claim back and refuses. */
  private async lockFor(runId: string, rows: readonly BatchTaskRow[]): Promise<void> {
    const conflicts = await this.runs.lockSome(runId, rows);
    if (!conflicts.length) return;
    await this.runs.disown(runId, this.owner);
    this.conflict(conflicts);
  }

  private async taskOf(runId: string, task: string): Promise<BatchTaskRow & { batch: number }> {
    const run = await this.current(runId);
    const [row] = await this.runs.tasks(runId, run.planId, [task]);
    if (!row)
      throw new RequestError({
        error: ErrorCodes.NOT_FOUND,
        message: `task ${task} is not in run ${runId}`,
        problems: [],
      });
    return row;
  }

  /** A new attempt of one failed, timed-out or lost task, alone: nothing before it runs again. */
  async retry(runId: string, task: string): Promise<TaskControlReplyDto> {
    const row = await this.taskOf(runId, task);
    if (!FAILED_STATES.has(row.state as TaskState)) {
      const hint =
        row.state === 'skipped' || row.state === 'pending'
          ? ' (it never ran: resume the run instead)'
          : '';
      throw new RequestError({
        error: ErrorCodes.TASK_STATE,
        message: `task ${task} is ${row.state}; only a failed, timed-out or lost task can be retried${hint}`,
        problems: [],
        state: row.state,
      });
    }
    await this.claimStopped(runId, 'a retry');
    await this.lockFor(runId, [row]);
    const attempt = (await this.runs.nextAttempts(runId, [task])).get(task) as number;
    await this.runs.newAttempts(runId, new Map([[task, attempt]]));
    this.execute(runId, { kind: 'retry', tasks: [task] });
    return { task, attempt, started: true, runState: (await this.current(runId)).state };
  }

  /**
   * Undoes one succeeded task, or every succeeded task of the run in reverse order (stopping at
   * the first failure). Succeeded tasks without an undo action are listed, not silently passed.
   */
  async undo(runId: string, task?: string): Promise<UndoReplyDto> {
    const run = await this.current(runId);
    let rows = await this.runs.succeededTasks(runId);
    if (task !== undefined) {
      const row = await this.taskOf(runId, task);
      if (row.state !== 'succeeded') {
        const hint =
          row.state === 'undone'
            ? ' (it is already undone)'
            : row.state === 'pending' || row.state === 'skipped'
              ? ' (it never ran)'
              : '';
        throw new RequestError({
          error: ErrorCodes.TASK_STATE,
          message: `task ${task} is ${row.state}; only a succeeded task can be undone${hint}`,
          problems: [],
          state: row.state,
        });
      }
      if (row.undo === null) {
        throw new RequestError({
          error: ErrorCodes.TASK_NO_UNDO,
          message: `task ${task} has no undo action (action ${row.action} has no entry under "undo" in the logic book)`,
          problems: [],
        });
      }
      rows = rows.filter((r) => r.task === task);
    }
    const withoutUndo = rows.filter((r) => r.undo === null).map((r) => r.task);
    const undoable = rows.filter((r) => r.undo !== null);
    if (!undoable.length) return { undoing: 0, tasks: [], withoutUndo };
    await this.claimStopped(runId, 'an undo');
    await this.lockFor(runId, undoable);
    const batches = undoBatches(undoable);
    const attempts = await this.runs.nextAttempts(
      runId,
      undoable.map((r) => r.task),
    );
    this.execute(runId, { kind: 'undo', batches, attempts, previous: run.state });
    return { undoing: undoable.length, tasks: batches.flat().map((r) => r.task), withoutUndo };
  }
}
