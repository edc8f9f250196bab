import {
  ApiError,
  seg,
  type ApiClient,
  resultCount,
  type RunDetails,
  type TaskAttempt,
} from '../api';
import { formatDuration, resultLine, runDuration, shortId } from './render';

/** Task states that count as a failure (the run's `fail` list). */
const FAILURE_STATES = ['failed', 'timed_out', 'lost'] as const;

/**
 * The run's failed task attempts, with their output tails. `?state=failed` is asked first; timed
 * out and lost tasks are asked too, so a gateway that filters on the exact state still gives them.
 */
export async function failedTasks(
  client: ApiClient,
  runId: string,
  limit = 50,
): Promise<TaskAttempt[]> {
  const byTask = new Map<string, TaskAttempt>();
  for (const state of FAILURE_STATES) {
    let rows: TaskAttempt[];
    try {
      rows = await client.get<TaskAttempt[]>(`/runs/${seg(runId)}/tasks`, { state, limit });
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && state !== 'failed') continue;
      throw e;
    }
    for (const row of Array.isArray(rows) ? rows : []) {
      if (!FAILURE_STATES.includes(row.state as (typeof FAILURE_STATES)[number])) continue;
      const seen = byTask.get(row.task);
      if (!seen || (row.attempt ?? 0) > (seen.attempt ?? 0)) byTask.set(row.task, row);
    }
  }
  return [...byTask.values()].sort((a, b) => a.batch - b.batch || a.task.localeCompare(b.task));
}

/** The last `count` non-empty lines of a task's output. */
export function outputTail(output: string | null | undefined, count: number): string[] {
  if (!output) return [];
  const lines = output.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  return lines.slice(-count);
}

export interface SummaryOptions {
  readonly tailLines?: number;
  readonly maxTasks?: number;
}

/**
 * How a run ended, for people: its state, duration and `{done, fail, undo}` counts, then each
 * failed task with the tail of its output.
 */
export function runSummaryLines(
  details: RunDetails,
  failed: readonly TaskAttempt[],
  options: SummaryOptions = {},
): string[] {
  const tailLines = options.tailLines ?? 10;
  const maxTasks = options.maxTasks ?? 20;
  const took = runDuration(details);
  const head = `run ${shortId(details.id)} ${details.state}${took !== null ? ` in ${formatDuration(took)}` : ''}: ${resultLine(details)}`;
  const lines = [head];
  if (details.reason && details.state !== 'succeeded') lines.push(`reason: ${details.reason}`);
  if (!failed.length) return lines;
  const total = Math.max(failed.length, resultCount(details.result?.fail));
  lines.push(`failed tasks (${total}):`);
  for (const t of failed.slice(0, maxTasks)) {
    const facts = [`attempt ${t.attempt}`, t.state];
    if (t.exitCode !== null && t.exitCode !== undefined) facts.push(`exit ${t.exitCode}`);
    lines.push(`  ${t.task}  (${t.host}, ${facts.join(', ')})`);
    const tail = outputTail(t.output, tailLines);
    if (tail.length) lines.push(...tail.map((l) => `    | ${l}`));
    else lines.push('    (no output)');
  }
  const shown = Math.min(failed.length, maxTasks);
  if (total > shown)
    lines.push(`  … and ${total - shown} more (GET /runs/${details.id}/tasks?state=failed)`);
  lines.push(`retry one: ferry retry TASK --run ${details.id}`);
  return lines;
}
