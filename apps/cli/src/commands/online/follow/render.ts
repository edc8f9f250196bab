import { resultCount, type RunDetails } from '../api';
import type { BatchProgress, RunProgress } from './progress';

/** `12.3 s`, `4 min 05 s`: durations an operator reads at a glance. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  if (minutes < 60) return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * A bar of `width` cells: done in full blocks, failed in `x` (so a failure shows even without
 * colour), the rest light shade. Cells are rounded so that any non-zero share shows at least one.
 */
export function bar(done: number, failed: number, total: number, width: number): string {
  if (width <= 0) return '';
  if (total <= 0) return '░'.repeat(width);
  const cells = (n: number) => (n <= 0 ? 0 : Math.max(1, Math.floor((n / total) * width)));
  const f = Math.min(width, cells(failed));
  const d = Math.min(width - f, done >= total - failed ? width - f : cells(done));
  return '█'.repeat(d) + 'x'.repeat(f) + '░'.repeat(width - d - f);
}

const pad = (n: number, width: number) => String(n).padStart(width);

function batchLabel(index: number, total: number): string {
  const width = String(Math.max(total, index + 1)).length;
  return `batch ${pad(index + 1, width)}/${Math.max(total, index + 1)}`;
}

function elapsed(b: BatchProgress, now: number): number {
  return (b.endedAt ?? now) - (b.startedAt ?? now);
}

/** One live line: `batch  3/11 ███████░░░░░  612/800  ✗ 2  running 40  4.1 s`. */
export function batchLine(b: BatchProgress, batches: number, now: number, barWidth = 24): string {
  const settled = b.done + b.failed + b.skipped;
  const total = b.total ?? Math.max(settled + b.running + b.pending, settled);
  const parts = [batchLabel(b.index, batches), bar(b.done + b.skipped, b.failed, total, barWidth)];
  parts.push(b.total !== null ? `${settled}/${b.total}` : `${settled} ended`);
  if (b.failed) parts.push(`failed ${b.failed}`);
  if (b.running && b.endedAt === null) parts.push(`running ${b.running}`);
  parts.push(formatDuration(elapsed(b, now)));
  return parts.join('  ');
}

/** The line printed once a batch has ended (also the only per-batch output without a TTY). */
export function batchEndLine(b: BatchProgress, batches: number): string {
  if (b.skipped && !b.done && !b.failed)
    return `${batchLabel(b.index, batches)} not run (${b.skipped} skipped)`;
  const parts = [`${batchLabel(b.index, batches)} ended`, `${b.done} succeeded`];
  if (b.failed) parts.push(`${b.failed} failed`);
  if (b.skipped) parts.push(`${b.skipped} skipped`);
  const took =
    b.startedAt !== null && b.endedAt !== null
      ? ` (${formatDuration(b.endedAt - b.startedAt)})`
      : '';
  return `${parts.join(', ')}${took}`;
}

/** The run-wide line under the batch bars. */
export function runLine(progress: RunProgress, now: number, startedAt: number): string {
  const d = progress.details;
  const buckets = progress.runBuckets();
  const total = progress.taskTotal;
  const parts = [
    `run ${shortId(d.id)} ${d.state}`,
    `${buckets.done + buckets.failed + buckets.skipped}/${total} tasks`,
  ];
  if (buckets.failed) parts.push(`failed ${buckets.failed}`);
  const since = d.startedAt ? Date.parse(d.startedAt) : startedAt;
  parts.push(formatDuration(now - (Number.isFinite(since) ? since : startedAt)));
  return parts.join('  ');
}

export function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? id.slice(0, 8) : id;
}

/** `done 1600, fail 0, undo 0`: the run's result as counts. */
export function resultLine(details: RunDetails): string {
  const r = details.result;
  return `done ${resultCount(r?.done)}, fail ${resultCount(r?.fail)}, undo ${resultCount(r?.undo)}`;
}

/** How long a run took, from its own timestamps. */
export function runDuration(details: RunDetails): number | null {
  const start = details.startedAt ? Date.parse(details.startedAt) : NaN;
  const end = details.endedAt ? Date.parse(details.endedAt) : NaN;
  return Number.isFinite(start) && Number.isFinite(end) ? end - start : null;
}

/** Cuts a line to the terminal width (a wrapped line would break the in-place redraw). */
export function fit(line: string, columns: number): string {
  if (columns <= 1 || line.length < columns) return line;
  return `${line.slice(0, columns - 2)}…`;
}
