/**
 * Per-host report sequence numbers that only grow, also across restarts and between pool members:
 * each is max(previous + 1, now in µs), so a restarted executor continues above what it sent before
 * (as long as the clock does not step back) without keeping state on disk.
 */
export class HostSequence {
  private readonly last = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  next(host: string): number {
    const value = Math.max((this.last.get(host) ?? 0) + 1, this.clock() * 1000);
    this.last.set(host, value);
    return value;
  }
}
