import type { Split } from '../model/inputs';
import { naturalCompare } from '../order/natural';

function pieces<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `count` pieces whose sizes differ by at most one, larger first; empty pieces dropped. */
function evenPieces<T>(items: readonly T[], count: number): T[][] {
  const out: T[][] = [];
  const small = Math.floor(items.length / count);
  const larger = items.length % count;
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = small + (i < larger ? 1 : 0);
    if (size === 0) break;
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

/**
 * Cuts a phase's hosts (already in natural order) into successive chunks (logic-book.md, step 4):
 * first `canary` hosts, then the rest by group value (hosts without the key last, each chunk cut
 * again by `size`), by `size`, or into `count` pieces; no split is one chunk.
 */
export function cutChunks<H>(
  hosts: readonly H[],
  split: Split | undefined,
  groupValue: (host: H, key: string) => string | undefined,
): H[][] {
  if (hosts.length === 0) return [];
  if (!split) return [[...hosts]];
  const chunks: H[][] = [];
  let rest = hosts;
  if (split.canary !== undefined) {
    chunks.push(rest.slice(0, split.canary));
    rest = rest.slice(split.canary);
    if (rest.length === 0) return chunks;
  }
  if (split.by !== undefined) {
    const key = split.by;
    const byValue = new Map<string, H[]>();
    const without: H[] = [];
    for (const host of rest) {
      const value = groupValue(host, key);
      if (value === undefined) without.push(host);
      else {
        const list = byValue.get(value);
        if (list) list.push(host);
        else byValue.set(value, [host]);
      }
    }
    const groups = [...byValue.keys()].sort(naturalCompare).map((v) => byValue.get(v) as H[]);
    if (without.length) groups.push(without);
    for (const group of groups)
      chunks.push(...(split.size !== undefined ? pieces(group, split.size) : [group]));
  } else if (split.size !== undefined) {
    chunks.push(...pieces(rest, split.size));
  } else if (split.count !== undefined) {
    chunks.push(...evenPieces(rest, split.count));
  } else {
    chunks.push([...rest]);
  }
  return chunks;
}
