/** The load-test report of interfaces.md, with a few more figures that explain where time goes. */
export interface LoadtestReport {
  nodes: number;
  components: number;
  tasks: number;
  batches: number;
  /** The pure compiler on the same inputs (the API's plan call adds storing the rows: `plan_s`). */
  compile_s: number;
  /** The pure slicer cutting the whole plan (`run_create_s` adds the slicer service, rows and locks). */
  slice_s: number;
  /** From the run's start to its end, as recorded in the database. */
  run_s: number;
  /** Sum over batches of the longest simulated task chain (stages × task duration). */
  critical_path_s: number;
  tasks_per_s: number;
  reports_sent: number;
  reports_persisted: number;
  reports_lost: number;
  duplicate_executions: number;
  /** Per batch: its wall time minus its longest task chain. */
  batch_overhead_ms: { p50: number; p95: number; max: number };
  peak_rss_mb: Record<string, number>;
  collect_s: number;
  plan_s: number;
  run_create_s: number;
  state: string;
  failed_tasks: number;
  task_ms: number;
  fail_rate: number;
  /** Where the time goes: CPU seconds each service used during the run. */
  cpu_s: Record<string, number>;
  /** Messages the broker carried during the run, by kind, and per task. */
  messages: Record<string, number>;
  messages_per_task: number;
  /** Database transactions committed during the run (all services), and per batch. */
  db_transactions: number;
  db_transactions_per_batch: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Per batch, the longest chain of a job: its number of stages (each simulated task takes the same time). */
export function stagesPerBatch(mission: readonly (readonly (readonly unknown[])[])[]): number[] {
  return mission.map((batch) => batch.reduce((max, job) => Math.max(max, job.length), 0));
}
