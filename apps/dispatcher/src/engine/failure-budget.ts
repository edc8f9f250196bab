import { resolveLimit } from '@ferry/contracts';

/**
 * The run's error budget (runtime.md, `error_threshold`): failed tasks tolerated before the run
 * stops. A number counts failures over the whole run; a percentage is of the tasks of the batch in
 * flight. The budget is exceeded the moment failures go past it; from then on nothing new starts.
 */
export class FailureBudget {
  private readonly failed = new Set<string>();

  constructor(private readonly threshold: number | string) {}

  /** Records failures (idempotent per task); returns true if this made the budget exceeded. */
  record(tasks: Iterable<string>, batchSize: number): boolean {
    const before = this.exceeded(batchSize);
    for (const task of tasks) this.failed.add(task);
    return !before && this.exceeded(batchSize);
  }

  exceeded(batchSize: number): boolean {
    return this.failed.size > this.allowed(batchSize);
  }

  allowed(batchSize: number): number {
    return resolveLimit(this.threshold, batchSize, 'down');
  }

  get count(): number {
    return this.failed.size;
  }

  has(task: string): boolean {
    return this.failed.has(task);
  }
}
