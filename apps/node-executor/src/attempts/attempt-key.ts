import type { TaskSpecDto } from '@ferry/contracts';

/**
 * Keys of the attempt log: one line each. Attempt keys are `run/task/attempt` (`/undo` for an
 * undo execution); accepted jobs are recorded as `job <key>` so a redelivered job is recognised by
 * every executor sharing the state dir. Line breaks are escaped so one key is always one line.
 */
function oneLine(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export function attemptKey(spec: Pick<TaskSpecDto, 'run' | 'task' | 'attempt' | 'undo'>): string {
  return oneLine(`${spec.run}/${spec.task}/${spec.attempt}${spec.undo ? '/undo' : ''}`);
}

/** Run ids are subject tokens (no white space), so no attempt key starts with "job ". */
export function jobKey(key: string): string {
  return oneLine(`job ${key}`);
}
