/**
 * What a failed transaction means for the messages in it:
 * - `conflict`: another receiver of the pool held the rows (deadlock, serialization failure);
 *   running the same transaction again is the cure.
 * - `content`: PostgreSQL refused the data itself (SQLSTATE classes 21 cardinality, 22 data,
 *   23 integrity, 54 limits). Retrying the same messages would fail forever, so the batch is
 *   split to find the message at fault.
 * - `outage`: everything else (connection refused or lost, server shutting down, out of
 *   resources): the messages go back to JetStream to be delivered again later.
 */
export type FailureKind = 'conflict' | 'content' | 'outage';

const CONTENT_CLASSES = new Set(['21', '22', '23', '54']);
const CONFLICT_CODES = new Set(['40001', '40P01']);

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function classifyFailure(error: unknown): FailureKind {
  const code = sqlState(error);
  if (!code) return 'outage';
  if (CONFLICT_CODES.has(code)) return 'conflict';
  if (CONTENT_CLASSES.has(code.slice(0, 2))) return 'content';
  return 'outage';
}
