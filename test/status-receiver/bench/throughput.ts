/**
 * Throughput of the status receiver (a measurement, not a test): a run of nodes × tasks-per-node
 * run_tasks rows, one `running` and one `succeeded` report per task, published to FERRY_STATUS
 * batch by batch as a run would; the clock runs from the first publish until every task is
 * succeeded in PostgreSQL and the stream is empty (every message acked).
 *
 *   node test/support/register-ts.js test/status-receiver/bench/throughput.ts \
 *     [--nodes 10000] [--tasks 50] [--batches 7] [--per-message 500] [--prefill]
 *
 * --per-message: reports per JetStream message (the executor pool packs a run's reports every
 * 20 ms up to 512 KiB, i.e. hundreds at load; 1 is the worst case). --prefill publishes everything
 * before the receiver starts (receiver alone); by default publisher and receiver run at once.
 */
import { readFileSync } from 'node:fs';
import { setSubjectNamespace } from '@ferry/contracts';
import { freshDatabase, testNamespace } from '../../support/database';
import { insertRun, report, type TaskFixture } from '../support/fixtures';
import { ReceiverProcess } from '../support/receiver-process';
import { StatusStream } from '../support/stream';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const nodes = option('nodes', 10_000);
const perNode = option('tasks', 50);
const batches = option('batches', 7);
const perMessage = option('per-message', 500);
const prefill = process.argv.includes('--prefill');
const IN_FLIGHT = 64;

process.env.NATS_URL ??= 'nats://127.0.0.1:4222';
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/ferry';

/** Publishes messages with up to IN_FLIGHT PubAcks outstanding. */
async function publishAll(
  stream: StatusStream,
  run: string,
  messages: Iterable<TaskFixture[]>,
  state: 'running' | 'succeeded',
): Promise<number> {
  let count = 0;
  const inFlight = new Set<Promise<void>>();
  for (const tasks of messages) {
    const p = stream
      .publish(run, { executor: 'bench', reports: tasks.map((t) => report(run, t.task, state)) })
      .then(() => void inFlight.delete(p));
    inFlight.add(p);
    count++;
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return count;
}

function* chunks<T>(list: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

function peakRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : null;
}

async function main(): Promise<void> {
  const namespace = testNamespace('bench');
  setSubjectNamespace(namespace);
  const db = await freshDatabase('receiver_bench');
  const stream = await StatusStream.open(30);
  const tasks: TaskFixture[] = [];
  for (let n = 0; n < nodes; n++) {
    for (let t = 0; t < perNode; t++)
      tasks.push({
        task: `node${n}_comp${t}_upgrade`,
        batch: Math.floor((n * batches) / nodes),
        host: `node${n}`,
      });
  }
  const run = await insertRun(db.dataSource, tasks, 'bench');
  const byBatch = Array.from({ length: batches }, (_, b) => tasks.filter((t) => t.batch === b));
  let receiver: ReceiverProcess | null = null;
  try {
    if (!prefill) receiver = await ReceiverProcess.start({ databaseUrl: db.url, namespace });
    const started = Date.now();
    let messages = 0;
    for (const batch of byBatch) {
      messages += await publishAll(stream, run, chunks(batch, perMessage), 'running');
      messages += await publishAll(stream, run, chunks(batch, perMessage), 'succeeded');
    }
    const published = Date.now();
    if (prefill) receiver = await ReceiverProcess.start({ databaseUrl: db.url, namespace });
    const consumeFrom = prefill ? Date.now() : started;
    for (;;) {
      const [{ n }] = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM run_tasks WHERE run_id = $1 AND state = 'succeeded'`,
        [run],
      );
      if (n === tasks.length && (await stream.stored()) === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const done = Date.now();
    const [{ attempts }] = await db.dataSource.query(
      `SELECT count(*)::int AS attempts FROM task_attempts WHERE run_id = $1 AND state = 'succeeded' AND started_at IS NOT NULL`,
      [run],
    );
    const seconds = (done - consumeFrom) / 1000;
    const result = {
      nodes,
      tasks: tasks.length,
      reports: tasks.length * 2,
      messages,
      perMessage,
      mode: prefill ? 'prefill (receiver alone)' : 'live (publisher and receiver together)',
      publish_s: (published - started) / 1000,
      persisted_s: seconds,
      reports_per_s: Math.round((tasks.length * 2) / seconds),
      attempts_with_start_time: attempts,
      receiver_peak_rss_mb: peakRssMb(receiver?.pid),
      transactions_retried: receiver?.logs.filter((l) => l.includes('conflicted with another'))
        .length,
      redeliveries_asked: receiver?.logs.filter((l) => l.includes('will be delivered again'))
        .length,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    const stats = receiver?.logs.filter((l) => l.includes('reports persisted')) ?? [];
    process.stdout.write(`${stats.slice(-3).join('\n')}\n`);
  } finally {
    await receiver?.signal('SIGTERM');
    await stream.close();
    await db.drop();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
