import {
  decodeMessage,
  ReportBatchDto,
  type ProblemDto,
  type TaskReportDto,
} from '@ferry/contracts';
import type { AttemptRow } from '@ferry/storage';

export type DecodedReports =
  { ok: true; rows: AttemptRow[] } | { ok: false; message: string; problems: ProblemDto[] };

const INT32_MAX = 2 ** 31 - 1;

/** An ISO time PostgreSQL will accept, normalised; null when JavaScript cannot read it or it is out of range. */
function timestamp(value: string | null | undefined): string | null | undefined {
  if (value === null || value === undefined) return null;
  const date = new Date(value);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) return undefined;
  return date.toISOString();
}

/**
 * What the DTO rules let through but PostgreSQL would refuse: such a report would fail its whole
 * transaction on every redelivery, so it makes its message invalid here instead.
 */
function problemsOf(report: TaskReportDto, index: number): ProblemDto[] {
  const at = (field: string) => `reports[${index}].${field}`;
  const problems: ProblemDto[] = [];
  for (const [field, value] of [
    ['run', report.run],
    ['task', report.task],
    ['host', report.host],
  ] as const) {
    if (value.includes('\u0000'))
      problems.push({ path: at(field), message: 'must not contain NUL' });
  }
  if (report.attempt > INT32_MAX)
    problems.push({ path: at('attempt'), message: `must be at most ${INT32_MAX}` });
  if (report.exitCode !== null && report.exitCode !== undefined && report.exitCode > INT32_MAX) {
    problems.push({ path: at('exitCode'), message: `must be at most ${INT32_MAX}` });
  }
  if (!Number.isSafeInteger(report.seq))
    problems.push({ path: at('seq'), message: 'must be a safe integer' });
  for (const field of ['startedAt', 'endedAt'] as const) {
    if (timestamp(report[field]) === undefined)
      problems.push({ path: at(field), message: 'must be a real time between years 1 and 9999' });
  }
  return problems;
}

/**
 * Decodes one JetStream message of ferry.status.<run> into task_attempts rows. The message is valid
 * as a whole or not at all: an invalid message yields its problems and no row, so nothing of it is
 * ever half-applied.
 */
export function decodeReports(data: Uint8Array, subject: string): DecodedReports {
  const decoded = decodeMessage(ReportBatchDto, data, subject);
  if (!decoded.ok)
    return { ok: false, message: decoded.error.message, problems: decoded.error.problems };
  const { executor, reports } = decoded.value;
  const problems: ProblemDto[] = executor.includes('\u0000')
    ? [{ path: 'executor', message: 'must not contain NUL' }]
    : [];
  reports.forEach((report, i) => problems.push(...problemsOf(report, i)));
  if (problems.length) {
    return { ok: false, message: `${subject}: ${problems.length} problem(s)`, problems };
  }
  const rows = reports.map((r): AttemptRow => ({
    run: r.run,
    task: r.task,
    attempt: r.attempt,
    undo: r.undo === true,
    host: r.host,
    state: r.state,
    exitCode: r.exitCode ?? null,
    startedAt: timestamp(r.startedAt) ?? null,
    endedAt: timestamp(r.endedAt) ?? null,
    // Script output may hold NUL bytes, which a PostgreSQL text cannot: drop them, keep the rest.
    output: (r.output ?? '').replaceAll('\u0000', ''),
    executor,
    seq: r.seq,
  }));
  return { ok: true, rows };
}
