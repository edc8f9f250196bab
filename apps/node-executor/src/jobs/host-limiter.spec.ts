import { HostLimiter } from './host-limiter';

describe('HostLimiter', () => {
  it('runs at most `limit` tasks of one host at once, other hosts independently', async () => {
    const limiter = new HostLimiter(2);
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    const work = (host: string) =>
      limiter.run(host, async () => {
        active.set(host, (active.get(host) ?? 0) + 1);
        peak.set(host, Math.max(peak.get(host) ?? 0, active.get(host) as number));
        await new Promise((r) => setTimeout(r, 5));
        active.set(host, (active.get(host) as number) - 1);
      });
    await Promise.all([
      ...Array.from({ length: 10 }, () => work('a')),
      ...Array.from({ length: 3 }, () => work('b')),
    ]);
    expect(peak.get('a')).toBe(2);
    expect(peak.get('b')).toBe(2);
  });

  it('frees the slot when the work throws', async () => {
    const limiter = new HostLimiter(1);
    await expect(limiter.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(limiter.run('a', async () => 'next')).resolves.toBe('next');
  });
});
