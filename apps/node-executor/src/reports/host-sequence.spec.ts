import { HostSequence } from './host-sequence';

describe('HostSequence', () => {
  it('grows per host, starting from the clock in µs', () => {
    const seq = new HostSequence(() => 1000);
    expect([seq.next('a'), seq.next('a'), seq.next('b'), seq.next('a')]).toEqual([
      1_000_000, 1_000_001, 1_000_000, 1_000_002,
    ]);
  });

  it('continues above an earlier process that numbered faster than the clock', () => {
    let now = 1000;
    const before = new HostSequence(() => now);
    let last = 0;
    for (let i = 0; i < 5000; i++) last = before.next('a');
    now += 10; // restarted 10 ms later
    expect(new HostSequence(() => now).next('a')).toBeGreaterThan(last);
  });
});
