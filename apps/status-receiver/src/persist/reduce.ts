import { TASK_STATE_RANK, TaskState } from '@ferry/contracts';
import type { AttemptRow, ReducedReports, TaskStep } from '@ferry/storage';

/**
 * The order in which reports of one attempt supersede each other: rank first (states only move
 * forward), then the node's sequence number, then every other field, so the winner never depends
 * on the order reports arrived in (exact duplicates are interchangeable).
 */
function compareReports(a: AttemptRow, b: AttemptRow): number {
  return (
    TASK_STATE_RANK[a.state] - TASK_STATE_RANK[b.state] ||
    a.seq - b.seq ||
    compareText(a.state, b.state) ||
    compareText(a.endedAt ?? '', b.endedAt ?? '') ||
    compareText(a.startedAt ?? '', b.startedAt ?? '') ||
    (a.exitCode ?? -Infinity) - (b.exitCode ?? -Infinity) ||
    compareText(a.host, b.host) ||
    compareText(a.executor, b.executor) ||
    compareText(a.output, b.output)
  );
}

/** Code-unit order: cheap, and the same on every machine (unlike localeCompare). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function attemptKey(r: AttemptRow): string {
  return `${r.run}\u0000${r.task}\u0000${r.attempt}\u0000${r.undo ? 1 : 0}`;
}

function taskKey(r: { run: string; task: string }): string {
  return `${r.run}\u0000${r.task}`;
}

/**
 * Merges the reports of one attempt, best first: the best one gives the state, and each field the
 * reports leave empty is taken from the best report that has it, so a `running` report and the
 * `succeeded` one that follows keep the start time whichever carried it.
 */
function mergeAttempt(reports: AttemptRow[]): AttemptRow {
  if (reports.length === 1) return reports[0];
  reports.sort((a, b) => compareReports(b, a));
  const first = <V>(get: (r: AttemptRow) => V, empty: (v: V) => boolean): V => {
    for (const r of reports) if (!empty(get(r))) return get(r);
    return get(reports[0]);
  };
  return {
    ...reports[0],
    exitCode: first(
      (r) => r.exitCode,
      (v) => v === null,
    ),
    startedAt: first(
      (r) => r.startedAt,
      (v) => v === null,
    ),
    endedAt: first(
      (r) => r.endedAt,
      (v) => v === null,
    ),
    output: first(
      (r) => r.output,
      (v) => v === '',
    ),
  };
}

function byTaskThenAttempt(
  a: { run: string; task: string; attempt: number },
  b: { run: string; task: string; attempt: number },
): number {
  return compareText(a.run, b.run) || compareText(a.task, b.task) || a.attempt - b.attempt;
}

/**
 * Reduces a batch of reports before they reach the database: one task_attempts row per (run,
 * task, attempt, undo), one run_tasks step per task from its task executions (the newest attempt,
 * at its best state) and one from its succeeded undo executions (the newest). The result is sorted
 * by (run, task) so concurrent receivers lock rows in the same order.
 */
export function reduceReports(reports: Iterable<AttemptRow>): ReducedReports {
  const groups = new Map<string, AttemptRow[]>();
  for (const report of reports) {
    const key = attemptKey(report);
    const group = groups.get(key);
    if (group) group.push(report);
    else groups.set(key, [report]);
  }
  const attempts: AttemptRow[] = [];
  const steps = new Map<string, AttemptRow>();
  const undone = new Map<string, AttemptRow>();
  for (const group of groups.values()) {
    const row = mergeAttempt(group);
    attempts.push(row);
    const key = taskKey(row);
    // One row per attempt and kind, so the newest attempt is the best step of its kind.
    const kind = !row.undo ? steps : row.state === TaskState.Succeeded ? undone : null;
    const best = kind?.get(key);
    if (kind && (!best || row.attempt > best.attempt)) kind.set(key, row);
  }
  const step = (r: AttemptRow): TaskStep => ({
    run: r.run,
    task: r.task,
    attempt: r.attempt,
    state: r.state,
  });
  return {
    attempts: attempts.sort((a, b) => byTaskThenAttempt(a, b) || Number(a.undo) - Number(b.undo)),
    steps: [...steps.values()].map(step).sort(byTaskThenAttempt),
    undone: [...undone.values()].map(step).sort(byTaskThenAttempt),
  };
}
