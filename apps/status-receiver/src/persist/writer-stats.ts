import type { Logger } from 'pino';

interface Counters {
  transactions: number;
  messages: number;
  reports: number;
  moved: number;
  unknown: number;
  /** Wall time inside transactions (reduce + statements + commit). */
  transactionMs: number;
  /** Wall time checking ended batches and publishing progress. */
  progressMs: number;
}

const zero = (): Counters => ({
  transactions: 0,
  messages: 0,
  reports: 0,
  moved: 0,
  unknown: 0,
  transactionMs: 0,
  progressMs: 0,
});

/** What the writer did lately, logged every `everyMs` when it did anything (an operator's first look at throughput). */
export class WriterStats {
  private counters = zero();
  private since = Date.now();

  constructor(
    private readonly logger: Logger,
    private readonly everyMs: number,
  ) {}

  add(delta: Partial<Counters>): void {
    for (const [key, value] of Object.entries(delta) as [keyof Counters, number][])
      this.counters[key] += value;
  }

  logIfDue(): void {
    const now = Date.now();
    if (now - this.since < this.everyMs) return;
    const c = this.counters;
    if (c.messages) {
      const seconds = (now - this.since) / 1000;
      this.logger.info(
        { ...c, seconds, reportsPerSecond: Math.round(c.reports / seconds) },
        'reports persisted',
      );
    }
    this.counters = zero();
    this.since = now;
  }
}
