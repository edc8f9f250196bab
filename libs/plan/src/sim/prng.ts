/**
 * A small seeded PRNG for the simulated cluster. Its exact sequence is part of what `sim://` URLs
 * mean (the same URL must give the same cluster on every machine and release), so changing the
 * algorithm or the seeding changes every simulated cluster.
 */

/** murmur3's finaliser: spreads every input bit over the 32-bit state. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A mulberry32 generator of floats in `[0, 1)`. `stream` separates independent uses of one seed,
 * so that e.g. changing how many instances are at target does not reshuffle which components each
 * node runs.
 */
export function seededRandom(seed: number, stream: number): () => number {
  // Seeds above 2^32 still count in full: the high word is mixed in rather than dropped.
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x100000000) >>> 0;
  let state = mix32(low ^ mix32(high ^ mix32(stream + 0x9e3779b9)));
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

/**
 * Knuth's selection sampling: calls `pick(i)` for exactly `k` of the indices `0…n-1`, in
 * ascending order, each k-subset equally likely. Needs no memory, so choosing among millions of
 * instances stays cheap.
 */
export function sampleIndices(
  n: number,
  k: number,
  random: () => number,
  pick: (index: number) => void,
): void {
  let needed = Math.min(k, n);
  for (let i = 0; i < n && needed > 0; i++) {
    if (random() * (n - i) < needed) {
      pick(i);
      needed--;
    }
  }
}
