import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import {
  compilePlan,
  readDescriptor,
  readInventory,
  readLogicBook,
  simulateCluster,
  slicePlan,
  parseSimUrl,
  unwrap,
} from '@ferry/plan';
import { ApiClient } from '../../api/client';
import { withApi } from '../../api/errors';
import type { CollectSummary, PlanSummary, RunCreated } from '../../api/types';
import { CliError, EXIT } from '../../io/exit-codes';
import { cleanupDemo } from '../demo/cleanup';
import { DEMO_LOGIC_BOOK, demoDescriptor, demoSource } from '../demo/inputs';
import { DEFAULT_DATABASE_URL, probePostgres, withDatabaseName } from '../postgres';
import { executorStatsFile, failureLines, startSystem, type RunningSystem } from '../start-system';
import { percentile, round, stagesPerBatch, type LoadtestReport } from './report';
import { cpuSeconds, TrafficCounter } from './traffic';

export interface LoadtestOptions {
  readonly stateDir: string;
  readonly nodes: number;
  readonly components: number;
  readonly taskMs: number;
  readonly failRate: number;
  readonly out?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly say?: (line: string) => void;
}

interface RunRow {
  id: string;
  state: string;
  counts: Record<string, number>;
  startedAt: string | null;
  endedAt: string | null;
}

/** Commits of the database so far (pg_stat_database counts every service's transactions). */
async function commits(url: string): Promise<number> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const row = (
      await db.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`)
    ).rows[0] as { xact_commit: string };
    return Number(row.xact_commit);
  } finally {
    await db.end();
  }
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** The kernel's high-water mark of a process's resident memory, in MB (Linux). */
function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Math.round(Number(kb[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

interface ExecutorCounters {
  terminalReportsSent: number;
  duplicateExecutions: number;
}

function executorCounters(stateDir: string): ExecutorCounters {
  const file = executorStatsFile(stateDir);
  if (!existsSync(file)) return { terminalReportsSent: 0, duplicateExecutions: 0 };
  const stats = JSON.parse(readFileSync(file, 'utf8')) as Partial<ExecutorCounters>;
  return {
    terminalReportsSent: stats.terminalReportsSent ?? 0,
    duplicateExecutions: stats.duplicateExecutions ?? 0,
  };
}

/**
 * `ferry loadtest`: the whole stack with a simulated executor pool (no scripts), a generated
 * cluster, and one run of its whole plan; reports what interfaces.md asks, from the database and
 * the executor's own counters, and where the time goes (per batch overhead, peak memory).
 */
export async function runLoadtest(options: LoadtestOptions): Promise<LoadtestReport> {
  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const env = options.env ?? process.env;
  const stateDir = join(resolve(options.stateDir), 'loadtest');
  rmSync(stateDir, { recursive: true, force: true });
  const tag = randomBytes(3).toString('hex');
  const namespace = `load-${tag}`;
  const configuredDb = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const databaseUrl = (await probePostgres(configuredDb)).ok
    ? withDatabaseName(configuredDb, `ferry_loadtest_${tag}`)
    : undefined;
  const source = demoSource(options.nodes, options.components, 1);
  const descriptor = demoDescriptor(source);

  // The pure core on the same inputs: what compiling and slicing cost without I/O around them.
  const cluster = simulateCluster(unwrap(parseSimUrl(source)));
  const files = { inventory: 'sim', descriptor: 'sim', logicBook: 'logic' };
  let t = performance.now();
  const compiled = unwrap(
    compilePlan(
      {
        inventory: unwrap(readInventory(cluster.inventory, 'sim')),
        descriptor: unwrap(readDescriptor(descriptor, 'sim')),
        logicBook: unwrap(readLogicBook(DEMO_LOGIC_BOOK, 'logic')),
      },
      { files },
    ),
  );
  const compile_s = seconds(t);
  t = performance.now();
  unwrap(slicePlan(compiled.plan, {}));
  const slice_s = seconds(t);
  const stages = stagesPerBatch(compiled.plan.mission);

  say(
    `load test: ${options.nodes} nodes × ${options.components} components, ${compiled.plan.tasks.size} tasks in ${compiled.plan.mission.length} batches (task ${options.taskMs} ms, fail rate ${options.failRate})`,
  );
  let system: RunningSystem | null = null;
  try {
    system = await startSystem({
      stateDir,
      port: 0,
      namespace,
      databaseUrl: databaseUrl ?? configuredDb,
      simulate: { taskMs: options.taskMs, failRate: options.failRate, seed: 1 },
      logLevel: 'warn',
      env: { ...env, FERRY_TOKENS: '' },
      onStep: (line) => say(`  ${line}`),
    });
    const failure = system.failure.then((f) => {
      throw new CliError(failureLines(f), EXIT.RUN_FAILED);
    });
    const running = system;
    const client = new ApiClient({ baseUrl: system.apiUrl, token: system.token });
    const measure = async () => {
      await withApi(() =>
        client.post('/projects', {
          name: 'loadtest',
          inventory: { source },
          descriptor,
          logicBook: DEMO_LOGIC_BOOK,
        }),
      );
      let s = performance.now();
      await withApi(() => client.post<CollectSummary>('/projects/loadtest/collect'));
      const collect_s = seconds(s);
      s = performance.now();
      const plan = await withApi(() => client.post<PlanSummary>('/projects/loadtest/plan'));
      const plan_s = seconds(s);
      say(
        `  collected in ${collect_s.toFixed(1)} s, planned (compiled and stored) in ${plan_s.toFixed(1)} s`,
      );
      // Measured over the run only: the counter on the broker, CPU and commits from here on.
      const traffic = await TrafficCounter.start(running.nats.url, namespace);
      const cpuBefore = new Map(running.services.map((p) => [p.name, cpuSeconds(p.pid)]));
      const commitsBefore = await commits(running.postgres.url);
      s = performance.now();
      const created = await withApi(() => client.post<RunCreated>('/projects/loadtest/runs', {}));
      const run_create_s = seconds(s);
      say(
        `  run ${created.id} created (sliced, stored, locked) in ${run_create_s.toFixed(1)} s; running …`,
      );
      let run: RunRow;
      for (;;) {
        run = await withApi(() => client.get<RunRow>(`/runs/${created.id}?result=false`));
        if (['succeeded', 'failed', 'cancelled'].includes(run.state)) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      const messages = await traffic.stop();
      const cpu = Object.fromEntries(
        running.services.map((p) => [
          p.name,
          round(cpuSeconds(p.pid) - (cpuBefore.get(p.name) ?? 0), 1),
        ]),
      );
      const transactions = (await commits(running.postgres.url)) - commitsBefore;
      return { plan, collect_s, plan_s, run_create_s, run, messages, cpu, transactions };
    };
    const { plan, collect_s, plan_s, run_create_s, run, messages, cpu, transactions } =
      await Promise.race([measure(), failure]);
    // The executor writes its counters every second.
    await new Promise((r) => setTimeout(r, 1500));
    const counters = executorCounters(stateDir);
    const peak: Record<string, number> = {};
    for (const service of system.services) peak[service.name] = peakRssMb(service.pid);

    const db = new Client({ connectionString: system.postgres.url });
    await db.connect();
    let persisted: number;
    let batchWalls: number[];
    try {
      persisted = Number(
        (
          await db.query(
            `SELECT count(*) AS n FROM task_attempts WHERE run_id = $1 AND state IN ('succeeded','failed','timed_out','lost','skipped')`,
            [run.id],
          )
        ).rows[0].n,
      );
      const batches = (
        await db.query(
          `SELECT batch, extract(epoch FROM ended_at - started_at) * 1000 AS ms FROM run_batches WHERE run_id = $1 AND ended_at IS NOT NULL ORDER BY batch`,
          [run.id],
        )
      ).rows as { batch: number; ms: string }[];
      batchWalls = batches.map((b) => Number(b.ms) - (stages[b.batch] ?? 1) * options.taskMs);
    } finally {
      await db.end();
    }
    const run_s =
      run.startedAt && run.endedAt
        ? (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000
        : 0;
    const overhead = [...batchWalls].sort((a, b) => a - b);
    const report: LoadtestReport = {
      nodes: options.nodes,
      components: options.components,
      tasks: plan.tasks,
      batches: plan.batches,
      compile_s: round(compile_s),
      slice_s: round(slice_s),
      run_s: round(run_s),
      critical_path_s: round(stages.reduce((sum, n) => sum + n, 0) * (options.taskMs / 1000)),
      tasks_per_s: round(run_s > 0 ? plan.tasks / run_s : 0, 1),
      reports_sent: counters.terminalReportsSent,
      reports_persisted: persisted,
      reports_lost: Math.max(0, counters.terminalReportsSent - persisted),
      duplicate_executions: counters.duplicateExecutions,
      batch_overhead_ms: {
        p50: Math.round(percentile(overhead, 50)),
        p95: Math.round(percentile(overhead, 95)),
        max: Math.round(overhead[overhead.length - 1] ?? 0),
      },
      peak_rss_mb: peak,
      collect_s: round(collect_s),
      plan_s: round(plan_s),
      run_create_s: round(run_create_s),
      state: run.state,
      failed_tasks: (run.counts.failed ?? 0) + (run.counts.timed_out ?? 0) + (run.counts.lost ?? 0),
      task_ms: options.taskMs,
      fail_rate: options.failRate,
      cpu_s: cpu,
      messages: messages as unknown as Record<string, number>,
      messages_per_task: round(messages.total / Math.max(plan.tasks, 1), 2),
      db_transactions: transactions,
      db_transactions_per_batch: Math.round(transactions / Math.max(plan.batches, 1)),
    };
    if (options.out) writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    if (system) {
      say('  stopping Ferry …');
      await system.stop();
      await cleanupDemo({
        natsUrl: system.nats.started ? null : system.nats.url,
        namespace,
        databaseUrl: databaseUrl ?? null,
      });
    }
  }
}
