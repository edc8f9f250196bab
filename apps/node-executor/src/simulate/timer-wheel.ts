/**
 * Calls many callbacks at their due times with one timer per distinct millisecond instead of one per
 * callback: 50,000 simulated tasks of one stage cost as many timers as there are distinct end times.
 */
export class TimerWheel {
  private readonly buckets = new Map<number, (() => void)[]>();
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(private readonly now: () => number = Date.now) {}

  get pending(): number {
    let n = 0;
    for (const bucket of this.buckets.values()) n += bucket.length;
    return n;
  }

  schedule(delayMs: number, callback: () => void): void {
    const due = Math.ceil(this.now() + Math.max(0, delayMs));
    const bucket = this.buckets.get(due);
    if (bucket) {
      bucket.push(callback);
      return;
    }
    this.buckets.set(due, [callback]);
    this.timers.set(
      due,
      setTimeout(() => this.fire(due), Math.max(0, due - this.now())),
    );
  }

  /** Calls every pending callback now (shutdown). */
  flushAll(): void {
    for (const due of [...this.buckets.keys()].sort((a, b) => a - b)) {
      clearTimeout(this.timers.get(due));
      this.fire(due);
    }
  }

  private fire(due: number): void {
    const bucket = this.buckets.get(due) ?? [];
    this.buckets.delete(due);
    this.timers.delete(due);
    for (const callback of bucket) callback();
  }
}
