import { TaskState, type TaskSpecDto } from '@ferry/contracts';
import type { BatchTaskRow, RunRepository } from '@ferry/storage';
import { taskSpec, undoSpec, type SpecContext } from '../jobs/job-builder';

/**
 * One batch of work for the driver: which tasks go to which hosts in which stages, and how the
 * database tells that they have ended. A batch of the plan, a retry and an undo differ only here.
 */
export interface BatchWork {
  /** The batch number jobs carry. */
  readonly batch: number;
  /** Mission order: a host's rows are contiguous; only rows in state pending are sent. */
  readonly rows: readonly BatchTaskRow[];
  spec(row: BatchTaskRow): TaskSpecDto;
  /** How many of the work's tasks have no terminal state persisted yet. */
  open(): Promise<number>;
  silent(seconds: number): Promise<{ task: string; host: string; attempt: number }[]>;
  markLost(
    tasks: readonly { task: string; host: string; attempt: number }[],
    reason: string,
  ): Promise<string[]>;
  markSent(tasks: readonly string[]): Promise<void>;
  markSkipped(tasks: readonly string[]): Promise<void>;
}

/** A batch of the current plan (or some of its tasks, for a retry): state lives in run_tasks. */
export function planWork(
  runs: RunRepository,
  runId: string,
  batch: number,
  rows: readonly BatchTaskRow[],
  ctx: SpecContext,
  only?: readonly string[],
): BatchWork {
  return {
    batch,
    rows,
    spec: (row) => taskSpec(row, ctx),
    open: () => (only ? runs.openAmong(runId, only) : runs.openInBatch(runId, batch)),
    silent: async (seconds) => {
      const silent = await runs.silentTasks(runId, batch, seconds);
      return only ? silent.filter((s) => only.includes(s.task)) : silent;
    },
    markLost: (tasks, reason) => runs.markLost(runId, tasks, reason),
    markSent: async (tasks) => void (await runs.moveTasks(runId, tasks, TaskState.Sent)),
    markSkipped: async (tasks) => void (await runs.moveTasks(runId, tasks, TaskState.Skipped)),
  };
}

/**
 * A batch of undos: each row is a succeeded task whose undo action runs as an attempt of its own
 * (task_attempts, undo = true); the task becomes `undone` when its undo succeeds.
 */
export function undoWork(
  runs: RunRepository,
  runId: string,
  batch: number,
  rows: readonly BatchTaskRow[],
  attempts: ReadonlyMap<string, number>,
  ctx: SpecContext,
): BatchWork {
  const keys = rows.map((r) => ({ task: r.task, attempt: attempts.get(r.task) as number }));
  return {
    batch,
    rows,
    spec: (row) => undoSpec(row, attempts.get(row.task) as number, ctx),
    open: async () => {
      const states = await runs.undoStates(runId, keys);
      return keys.filter((k) => {
        const state = states.get(k.task);
        return state === undefined || state === 'sent' || state === 'running';
      }).length;
    },
    silent: (seconds) => runs.silentUndos(runId, keys, seconds),
    markLost: (tasks, reason) => runs.endUndos(runId, tasks, 'lost', reason),
    markSent: async () => undefined,
    markSkipped: async (tasks) =>
      void (await runs.endUndos(
        runId,
        keys.filter((k) => tasks.includes(k.task)),
        'skipped',
        'not started: the undo stopped at a failure',
      )),
  };
}
