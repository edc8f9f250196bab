import type { Mark } from './marker-scripts';

export type Mission = string[][][][];

/** The mission restricted to some tasks, empty stages/jobs/batches dropped: a run's current plan. */
export function restrict(mission: Mission, keep: ReadonlySet<string>): Mission {
  return mission
    .map((batch) =>
      batch
        .map((job) => job.map((stage) => stage.filter((t) => keep.has(t))).filter((s) => s.length))
        .filter((j) => j.length),
    )
    .filter((b) => b.length);
}

export function startsPerTask(marks: readonly Mark[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of marks) if (m.edge === 'start') counts.set(m.task, (counts.get(m.task) ?? 0) + 1);
  return counts;
}

function span(
  marks: readonly Mark[],
  tasks: readonly string[],
): { firstStart: bigint; lastEnd: bigint } | null {
  const set = new Set(tasks);
  let firstStart: bigint | null = null;
  let lastEnd: bigint | null = null;
  for (const m of marks) {
    if (!set.has(m.task)) continue;
    if (m.edge === 'start' && (firstStart === null || m.at < firstStart)) firstStart = m.at;
    if (m.edge === 'end' && (lastEnd === null || m.at > lastEnd)) lastEnd = m.at;
  }
  return firstStart === null || lastEnd === null ? null : { firstStart, lastEnd };
}

/** Every pair of consecutive batches where a task of the later one started before the earlier one ended. */
export function batchOrderViolations(mission: Mission, marks: readonly Mark[]): string[] {
  const out: string[] = [];
  for (let b = 1; b < mission.length; b++) {
    const before = span(marks, mission[b - 1].flat(2));
    const after = span(marks, mission[b].flat(2));
    if (before && after && after.firstStart <= before.lastEnd)
      out.push(`batch ${b} started before batch ${b - 1} ended`);
  }
  return out;
}

/** Every job where a task of a stage started before the previous stage ended. */
export function stageOrderViolations(mission: Mission, marks: readonly Mark[]): string[] {
  const out: string[] = [];
  mission.forEach((batch, b) =>
    batch.forEach((job, j) => {
      for (let s = 1; s < job.length; s++) {
        const before = span(marks, job[s - 1]);
        const after = span(marks, job[s]);
        if (before && after && after.firstStart <= before.lastEnd)
          out.push(`batch ${b} job ${j}: stage ${s} started before stage ${s - 1} ended`);
      }
    }),
  );
  return out;
}

/** The largest number of distinct hosts with a task running at the same moment. */
export function maxConcurrentHosts(
  marks: readonly Mark[],
  hostOf: (task: string) => string,
): number {
  const events = marks
    .map((m) => ({ at: m.at, delta: m.edge === 'start' ? 1 : -1, host: hostOf(m.task) }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.delta - b.delta));
  const running = new Map<string, number>();
  let max = 0;
  for (const e of events) {
    running.set(e.host, (running.get(e.host) ?? 0) + e.delta);
    if ((running.get(e.host) ?? 0) <= 0) running.delete(e.host);
    max = Math.max(max, running.size);
  }
  return max;
}
