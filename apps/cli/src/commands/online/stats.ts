import type { Command } from 'commander';
import { seg, withApi, type StatsRow } from './api';
import { apiClient, say, table } from './context';

/** A duration as the API gives it, with at most three decimals. */
function num(value: number | null | undefined): string | number {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return Math.round(value * 1000) / 1000;
}

/** The rows, whether the API sends a bare list or wraps it (`{rows}`, `{stats}`). */
export function statsRows(body: unknown): StatsRow[] {
  if (Array.isArray(body)) return body as StatsRow[];
  if (body && typeof body === 'object') {
    for (const key of ['rows', 'stats', 'items']) {
      const rows = (body as Record<string, unknown>)[key];
      if (Array.isArray(rows)) return rows as StatsRow[];
    }
  }
  return [];
}

/** In the API's order (slowest p95 first, so slow components stand out); durations in seconds. */
export function statsLines(rows: readonly StatsRow[]): string[] {
  if (!rows.length) return ['no finished tasks yet'];
  return table(
    ['component', 'action', 'count', 'p50', 'p95', 'max'],
    rows.map((r) => [r.component, r.action, r.count, num(r.p50), num(r.p95), num(r.max)]),
  );
}

export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('task durations of a project per component and action (count, p50, p95, max)')
    .argument('<project>', 'project name or id')
    .action(async (project: string) => {
      const body = await withApi(() => apiClient().get<unknown>(`/projects/${seg(project)}/stats`));
      say(...statsLines(statsRows(body)), '(durations in seconds)');
    });
}
