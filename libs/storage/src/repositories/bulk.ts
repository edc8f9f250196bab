import type { EntityManager } from 'typeorm';

/**
 * Runs one multi-row statement per chunk: the statement takes one array parameter per column
 * (`unnest($1::text[], $2::int[], …)`), so a million rows are a few hundred round trips, and it
 * also works on an embedded PostgreSQL where COPY does not.
 */
export async function inChunks<T>(
  manager: EntityManager,
  rows: readonly T[],
  chunkSize: number,
  columns: (chunk: readonly T[]) => unknown[][],
  sql: string,
): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    await manager.query(sql, columns(chunk));
  }
}

/** One column of a chunk as an array parameter: `pick(rows, (r) => r.x)`. */
export function pick<T, V>(rows: readonly T[], get: (row: T) => V): V[] {
  const out = new Array<V>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = get(rows[i]);
  return out;
}
