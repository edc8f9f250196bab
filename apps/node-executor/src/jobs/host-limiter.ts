interface Slots {
  active: number;
  readonly waiting: (() => void)[];
}

/**
 * At most `limit` tasks running at once per host (--parallel), shared by every job of that host in
 * this process; hosts without work hold no state.
 */
export class HostLimiter {
  private readonly hosts = new Map<string, Slots>();

  constructor(private readonly limit: number) {}

  async run<T>(host: string, work: () => Promise<T>): Promise<T> {
    let slots = this.hosts.get(host);
    if (!slots) this.hosts.set(host, (slots = { active: 0, waiting: [] }));
    if (slots.active < this.limit) slots.active++;
    else await new Promise<void>((resolve) => slots.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = slots.waiting.shift();
      // The slot passes straight to the next waiter; only a free slot lowers the count.
      if (next) next();
      else if (--slots.active === 0) this.hosts.delete(host);
    }
  }
}
