/** Task states (runtime.md, "Task states"). */
export enum TaskState {
  Pending = 'pending',
  Sent = 'sent',
  Running = 'running',
  Succeeded = 'succeeded',
  Failed = 'failed',
  TimedOut = 'timed_out',
  Lost = 'lost',
  Skipped = 'skipped',
  Undone = 'undone',
}

export const TASK_STATES: readonly TaskState[] = Object.values(TaskState);

/**
 * States only move forward. The rank orders them so a report that would move a state backwards
 * (a duplicate, a late redelivery) is recognised and ignored; terminal states share a rank so one
 * terminal report never overwrites another. Only a succeeded task moves on, to undone.
 */
export const TASK_STATE_RANK: Readonly<Record<TaskState, number>> = {
  [TaskState.Pending]: 0,
  [TaskState.Sent]: 1,
  [TaskState.Running]: 2,
  [TaskState.Succeeded]: 3,
  [TaskState.Failed]: 3,
  [TaskState.TimedOut]: 3,
  [TaskState.Lost]: 3,
  [TaskState.Skipped]: 3,
  [TaskState.Undone]: 4,
};

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set([
  TaskState.Succeeded,
  TaskState.Failed,
  TaskState.TimedOut,
  TaskState.Lost,
  TaskState.Skipped,
  TaskState.Undone,
]);

/** States that count as a failure of the run (`fail` in the result). */
export const FAILED_STATES: ReadonlySet<TaskState> = new Set([
  TaskState.Failed,
  TaskState.TimedOut,
  TaskState.Lost,
]);

/** States a node reports; the dispatcher sets the others (sent, skipped, lost). */
export const REPORTED_STATES: readonly TaskState[] = [
  TaskState.Running,
  TaskState.Succeeded,
  TaskState.Failed,
  TaskState.TimedOut,
  TaskState.Skipped,
  TaskState.Lost,
];

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.has(state);
}

export function isFailure(state: TaskState): boolean {
  return FAILED_STATES.has(state);
}
