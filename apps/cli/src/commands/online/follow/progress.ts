import { TASK_STATE_RANK, type TaskState } from '@ferry/contracts/enums/task-state';
import {
  runFinished,
  type ProgressEvent,
  type RunDetails,
  type StateEvent,
  type TaskAttempt,
} from '../api';

/** What a task counts as in a progress bar. */
export type Bucket = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export function bucketOf(state: string): Bucket {
  switch (state) {
    case 'succeeded':
    case 'undone':
      return 'done';
    case 'failed':
    case 'timed_out':
    case 'lost':
      return 'failed';
    case 'skipped':
      return 'skipped';
    case 'sent':
    case 'running':
      return 'running';
    default:
      return 'pending';
  }
}

function rank(state: string): number {
  return TASK_STATE_RANK[state as TaskState] ?? 0;
}

export interface BatchProgress {
  /** 0-based, as in the API. */
  readonly index: number;
  /** Tasks in the batch, when known (from the gateway, or once the batch has ended). */
  total: number | null;
  pending: number;
  running: number;
  done: number;
  failed: number;
  skipped: number;
  startedAt: number | null;
  endedAt: number | null;
}

interface TaskSeen {
  state: string;
  attempt: number;
  batch: number;
}

/**
 * The follower's picture of a run: the run's own fields (from `GET /runs/:id`, refreshed now and
 * then) and, per batch, how many of its tasks are where, built from the progress events with the
 * same forward-only rule as the database (a higher attempt replaces, the same attempt only moves
 * up in rank), so a duplicate or late event never counts twice.
 */
export class RunProgress {
  details: RunDetails;
  private readonly tasks = new Map<string, TaskSeen>();
  private readonly batchMap = new Map<number, BatchProgress>();
  /** The batch the dispatcher said it is on, or the highest one with activity. */
  current: number;

  constructor(details: RunDetails, sizes: ReadonlyMap<number, number> = new Map()) {
    this.details = details;
    this.current = Math.max(0, details.batch?.index ?? 0);
    for (const [index, total] of sizes) this.batch(index).total = total;
  }

  get batchTotal(): number {
    return Math.max(
      this.details.batch?.total ?? 0,
      this.batchMap.size ? Math.max(...this.batchMap.keys()) + 1 : 0,
    );
  }

  get finished(): boolean {
    return runFinished(this.details.state);
  }

  /** Total tasks of the run (the per-state counts add up to it). */
  get taskTotal(): number {
    return (
      this.details.tasks ?? Object.values(this.details.counts ?? {}).reduce((a, b) => a + b, 0)
    );
  }

  /**
   * Run-wide counts by bucket: from the last `GET /runs/:id`, or from the events when they are
   * ahead of it (the run is read again only every few seconds).
   */
  runBuckets(): Record<Bucket, number> {
    const out: Record<Bucket, number> = { pending: 0, running: 0, done: 0, failed: 0, skipped: 0 };
    for (const [state, n] of Object.entries(this.details.counts ?? {})) out[bucketOf(state)] += n;
    const seen = { done: 0, failed: 0, skipped: 0 };
    for (const b of this.batchMap.values()) {
      seen.done += b.done;
      seen.failed += b.failed;
      seen.skipped += b.skipped;
    }
    if (seen.done + seen.failed + seen.skipped > out.done + out.failed + out.skipped) {
      out.done = Math.max(out.done, seen.done);
      out.failed = Math.max(out.failed, seen.failed);
      out.skipped = Math.max(out.skipped, seen.skipped);
    }
    return out;
  }

  batch(index: number): BatchProgress {
    let b = this.batchMap.get(index);
    if (!b) {
      b = {
        index,
        total: null,
        pending: 0,
        running: 0,
        done: 0,
        failed: 0,
        skipped: 0,
        startedAt: null,
        endedAt: null,
      };
      this.batchMap.set(index, b);
    }
    return b;
  }

  batches(): BatchProgress[] {
    return [...this.batchMap.values()].sort((a, b) => a.index - b.index);
  }

  /** Seeds per-batch counts from a listing of the run's tasks (states as persisted). */
  seedTasks(
    tasks: readonly Pick<TaskAttempt, 'task' | 'state' | 'attempt' | 'batch'>[],
    now: number,
  ): void {
    for (const t of tasks) this.applyUpdate(t.task, t.state, t.attempt ?? 1, t.batch, now);
  }

  /** A fresh `GET /runs/:id`. Returns the batches this reveals as ended. */
  applyDetails(details: RunDetails, now: number): number[] {
    this.details = details;
    const index = details.batch?.index ?? this.current;
    return this.moveTo(runFinished(details.state) ? Number.MAX_SAFE_INTEGER : index, now);
  }

  /** An `event: progress`. Returns the batches that ended with it. */
  applyProgress(event: ProgressEvent, now: number): number[] {
    for (const u of event.updates ?? []) this.applyUpdate(u.task, u.state, u.attempt, u.batch, now);
    const ended: number[] = [];
    for (const index of event.batchesEnded ?? []) if (this.end(index, now)) ended.push(index);
    if (event.state !== undefined)
      ended.push(...this.applyState({ state: event.state, batch: event.batch }, now));
    else if (event.batch !== undefined) ended.push(...this.moveTo(event.batch, now));
    return ended;
  }

  /** An `event: state` (`{state, batch}`): the run entered a state, or moved to a batch. */
  applyState(event: StateEvent, now: number): number[] {
    const batch = typeof event.batch === 'number' ? event.batch : (event.batch?.index ?? null);
    this.details = {
      ...this.details,
      state: event.state,
      ...(event.counts ? { counts: event.counts } : {}),
      ...(event.batch && typeof event.batch === 'object' && event.batch.total !== undefined
        ? { batch: { index: event.batch.index, total: event.batch.total } }
        : {}),
    };
    if (runFinished(event.state)) return this.moveTo(Number.MAX_SAFE_INTEGER, now);
    return batch !== null ? this.moveTo(batch, now) : [];
  }

  /** The run is on batch `index`: every batch before it has ended. */
  private moveTo(index: number, now: number): number[] {
    const ended: number[] = [];
    const last = Math.min(index, this.batchTotal);
    for (let i = 0; i < last; i++) if (this.end(i, now)) ended.push(i);
    if (index < Number.MAX_SAFE_INTEGER) {
      this.current = Math.max(this.current, index);
      if (index < this.batchTotal || this.details.batch?.total === undefined) {
        const b = this.batch(index);
        b.startedAt ??= now;
      }
    }
    return ended;
  }

  private end(index: number, now: number): boolean {
    const b = this.batch(index);
    if (b.endedAt !== null) return false;
    b.endedAt = now;
    b.startedAt ??= now;
    const settled = b.done + b.failed + b.skipped;
    if (b.total === null) b.total = settled;
    return true;
  }

  private applyUpdate(
    task: string,
    state: string,
    attempt: number,
    batch: number,
    now: number,
  ): void {
    const prev = this.tasks.get(task);
    if (
      prev &&
      !(attempt > prev.attempt || (attempt === prev.attempt && rank(state) > rank(prev.state)))
    )
      return;
    if (prev) this.batch(prev.batch)[bucketOf(prev.state)]--;
    const b = this.batch(batch);
    b[bucketOf(state)]++;
    if (bucketOf(state) !== 'pending') b.startedAt ??= now;
    this.tasks.set(task, { state, attempt, batch });
    if (bucketOf(state) !== 'pending' && batch > this.current && !this.finished)
      this.current = batch;
  }
}
