import { PromiseCache } from './promise-cache';

function counting(values: Record<string, string | null>) {
  const loads: string[] = [];
  const cache = new PromiseCache<string, string>(2, async (key) => {
    loads.push(key);
    if (key === 'boom') throw new Error('load failed');
    return values[key] ?? null;
  });
  return { cache, loads };
}

describe('PromiseCache', () => {
  it('loads a key once and serves it from memory after', async () => {
    const { cache, loads } = counting({ a: 'A' });
    expect(await cache.get('a')).toBe('A');
    expect(await cache.get('a')).toBe('A');
    expect(loads).toEqual(['a']);
  });

  it('shares one load between callers that ask while it runs', async () => {
    const { cache, loads } = counting({ a: 'A' });
    const [x, y] = await Promise.all([cache.get('a'), cache.get('a')]);
    expect([x, y]).toEqual(['A', 'A']);
    expect(loads).toEqual(['a']);
  });

  it('keeps only the most recently used entries', async () => {
    const { cache, loads } = counting({ a: 'A', b: 'B', c: 'C' });
    await cache.get('a');
    await cache.get('b');
    await cache.get('a'); // a is now more recent than b
    await cache.get('c'); // evicts b
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    expect(cache.size).toBe(2);
    await cache.get('b');
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not keep a miss or a failure, so the next call tries again', async () => {
    const { cache, loads } = counting({});
    expect(await cache.get('missing')).toBeNull();
    await expect(cache.get('boom')).rejects.toThrow('load failed');
    expect(cache.size).toBe(0);
    await cache.get('missing');
    expect(loads).toEqual(['missing', 'boom', 'missing']);
  });

  it('refuses a capacity below one', () => {
    expect(() => new PromiseCache(0, async () => null)).toThrow('at least 1');
  });
});
