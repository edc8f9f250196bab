import type { TaskSpecDto, TaskState } from '@ferry/contracts';

/** How one attempt ended, as the script runner or the simulator saw it. */
export interface TaskOutcome {
  readonly state: TaskState.Succeeded | TaskState.Failed | TaskState.TimedOut;
  readonly exitCode: number | null;
  readonly output: string;
  readonly startedAt: string;
  readonly endedAt: string;
}

export interface TaskHooks {
  /** The attempt is running now (a script was spawned): send its `running` report. */
  readonly onStarted: (startedAt: string) => void;
}

/** Runs one task attempt to its end; never throws (a problem is a failed outcome). */
export interface TaskRunner {
  run(spec: TaskSpecDto, hooks: TaskHooks): Promise<TaskOutcome>;
  /** Shutdown after the grace period: end every attempt still running, as failed. */
  stopAll(reason: string): void;
}

export const TASK_RUNNER = Symbol('TASK_RUNNER');

/** The name a task runs under: its id, or `<id>~undo` for an undo (FERRY_TASK). */
export function taskName(spec: Pick<TaskSpecDto, 'task' | 'undo'>): string {
  return spec.undo ? `${spec.task}~undo` : spec.task;
}
