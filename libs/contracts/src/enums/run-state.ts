/** Run states (interfaces.md, `GET /runs/:id`). */
export enum RunState {
  Pending = 'pending',
  Running = 'running',
  Paused = 'paused',
  Succeeded = 'succeeded',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const RUN_STATES: readonly RunState[] = Object.values(RunState);

export const FINISHED_RUN_STATES: ReadonlySet<RunState> = new Set([
  RunState.Succeeded,
  RunState.Failed,
  RunState.Cancelled,
]);

export function isRunFinished(state: RunState): boolean {
  return FINISHED_RUN_STATES.has(state);
}

/** What a run does: carry out its plan, or undo tasks of an earlier run. */
export enum RunKind {
  Upgrade = 'upgrade',
  Undo = 'undo',
}
