/** One column of a chunk as an array parameter: `pick(rows, (r) => r.x)`. */
export function pick<T, V>(rows: readonly T[], get: (row: T) => V): V[] {
  const out = new Array<V>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = get(rows[i]);
  return out;
}
