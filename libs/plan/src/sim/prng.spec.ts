import { sampleIndices, seededRandom } from './prng';

function draw(random: () => number, n: number): number[] {
  return Array.from({ length: n }, random);
}

describe('seededRandom', () => {
  it('repeats for the same seed and stream, and differs otherwise', () => {
    const a = draw(seededRandom(7, 1), 5);
    expect(draw(seededRandom(7, 1), 5)).toEqual(a);
    expect(draw(seededRandom(8, 1), 5)).not.toEqual(a);
    expect(draw(seededRandom(7, 2), 5)).not.toEqual(a);
    // The high word of a large seed counts too.
    expect(draw(seededRandom(7 + 2 ** 32, 1), 5)).not.toEqual(a);
  });

  it('draws floats in [0, 1)', () => {
    const values = draw(seededRandom(1, 1), 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('keeps its sequence: simulated clusters depend on it', () => {
    expect(draw(seededRandom(1, 1), 3).map((x) => x.toFixed(6))).toEqual([
      '0.754392',
      '0.861801',
      '0.799324',
    ]);
  });
});

describe('sampleIndices', () => {
  it('picks exactly k distinct indices in ascending order', () => {
    for (const [n, k] of [
      [10, 0],
      [10, 3],
      [10, 10],
      [1000, 250],
      [5, 9],
    ]) {
      const picked: number[] = [];
      sampleIndices(n, k, seededRandom(n * 31 + k, 0), (i) => picked.push(i));
      expect(picked).toHaveLength(Math.min(n, k));
      expect([...picked].sort((a, b) => a - b)).toEqual(picked);
      expect(new Set(picked).size).toBe(picked.length);
      expect(picked.every((i) => i >= 0 && i < n)).toBe(true);
    }
  });

  it('picks every index about equally often', () => {
    const hits = new Array(10).fill(0);
    const random = seededRandom(3, 0);
    for (let run = 0; run < 2000; run++) sampleIndices(10, 3, random, (i) => hits[i]++);
    for (const h of hits) {
      expect(h).toBeGreaterThan(500);
      expect(h).toBeLessThan(700);
    }
  });
});
