/**
 * Load benchmark of one simulating node-executor pool (not a test: it measures, asserts nothing
 * but completeness). It plays the dispatcher (jobs, gates, job ends) and the status receiver (reads
 * and acks FERRY_STATUS) against real NATS, and the executor runs as its own process.
 *
 *   node -r ./test/support/register-ts.js test/node-executor/bench/executor-load.ts \
 *     --nodes 10000 --stages 2 --tasks 5 --batches 3 --task-ms 0 [--executors 1] [--gate] [--profile DIR]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AckPolicy, connect } from 'nats';
import {
  encodeMessage,
  ReportBatchDto,
  setSubjectNamespace,
  Streams,
  Subjects,
  type JobDto,
} from '@ferry/contracts';
import { ensureStatusStream } from '@ferry/platform';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const nodes = flag('nodes', 10_000);
const stages = flag('stages', 2);
const tasksPerStage = flag('tasks', 5);
const batches = flag('batches', 3);
const taskMs = flag('task-ms', 0);
const executors = flag('executors', 1);
const gate = process.argv.includes('--gate');
/** --profile DIR: write the executor's CPU profile there (node --cpu-prof). */
const profileDir = process.argv.includes('--profile')
  ? process.argv[process.argv.indexOf('--profile') + 1]
  : null;
const namespace = `bench-${process.pid}`;
const run = 'bench-run';

function rssPeakMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

function startExecutor(index: number, work: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      path.join(__dirname, '../support/executor-child.js'),
      '--pool',
      '--simulate',
      '--task-ms',
      String(taskMs),
      '--executor-id',
      `bench-${index}`,
      '--state-dir',
      path.join(work, 'state'),
      '--stats-file',
      path.join(work, `stats-${index}.json`),
    ],
    {
      env: { ...process.env, FERRY_NAMESPACE: namespace, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('node executor ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`executor exited ${code}`)));
  });
}

async function main(): Promise<void> {
  setSubjectNamespace(namespace);
  const work = mkdtempSync(path.join(tmpdir(), 'ferry-executor-bench-'));
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  await ensureStatusStream(nc);
  const { name } = Streams.status();
  await (
    await nc.jetstreamManager()
  ).consumers.add(name, {
    durable_name: 'bench',
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: 100_000,
  });

  let reports = 0;
  let messages = 0;
  const consumer = await nc.jetstream().consumers.get(name, 'bench');
  const stream = await consumer.consume({ max_messages: 2000 });
  void (async () => {
    for await (const m of stream) {
      reports += (m.json() as ReportBatchDto).reports.length;
      messages++;
      m.ack();
    }
  })();
  let ends = 0;
  let gates = 0;
  nc.subscribe(Subjects.runJobEnd(run), {
    callback: (_e, m) => (ends++, m.respond(encodeMessage({ ok: true, value: { ok: true } }))),
  });
  nc.subscribe(Subjects.runGate(run), {
    callback: (_e, m) => (gates++, m.respond(encodeMessage({ ok: true, value: { go: true } }))),
  });

  const children = await Promise.all(
    Array.from({ length: executors }, (_, i) => startExecutor(i, work)),
  );
  const results = [];
  for (let batch = 0; batch < batches; batch++) {
    const jobs: JobDto[] = Array.from({ length: nodes }, (_, n) => {
      const host = `node-${n}`;
      return {
        run,
        batch,
        host,
        key: `b${batch}-${host}`,
        gate,
        stages: Array.from({ length: stages }, (_, s) => ({
          tasks: Array.from({ length: tasksPerStage }, (_, t) => ({
            task: `${host}_c${t}_s${s}_b${batch}`,
            run,
            attempt: 1,
            host,
            target: `c${t}`,
            action: 'uprpm',
            mode: 'restart',
            from: '1',
            to: '2',
            release: null,
            rpms: [`c${t}-2`],
            timeout_s: 600,
          })),
        })),
      };
    });
    const tasks = nodes * stages * tasksPerStage;
    const [endsBefore, reportsBefore] = [ends, reports];
    const t0 = Date.now();
    // Like a dispatcher: many job requests in flight at once.
    let next = 0;
    await Promise.all(
      Array.from({ length: 1000 }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++];
          await nc.request(Subjects.nodeJobs(job.host), encodeMessage(job), { timeout: 60_000 });
        }
      }),
    );
    const acked = Date.now();
    while (ends - endsBefore < nodes) await new Promise((r) => setTimeout(r, 5));
    const ended = Date.now();
    while (reports - reportsBefore < tasks) await new Promise((r) => setTimeout(r, 5));
    const reported = Date.now();
    results.push({
      batch,
      tasks,
      ack_all_s: (acked - t0) / 1000,
      job_ends_s: (ended - t0) / 1000,
      reports_s: (reported - t0) / 1000,
      tasks_per_s: Math.round(tasks / ((reported - t0) / 1000)),
    });
    process.stderr.write(`${JSON.stringify(results[results.length - 1])}\n`);
  }
  const peak = children.map((c) => rssPeakMb(c.pid as number));
  await Promise.all(
    children.map((c) => new Promise((r) => (c.once('exit', r), c.kill('SIGTERM')))),
  );
  const stats = children.map(
    (_, i) =>
      JSON.parse(readFileSync(path.join(work, `stats-${i}.json`), 'utf8')) as Record<
        string,
        number
      >,
  );
  const totalTasks = results.reduce((n, r) => n + r.tasks, 0);
  const totalS = results.reduce((n, r) => n + r.reports_s, 0);
  process.stdout.write(
    `${JSON.stringify({ nodes, stages, tasksPerStage, batches, taskMs, executors, gate, batches_run: results, tasks: totalTasks, tasks_per_s: Math.round(totalTasks / totalS), reports_received: reports, report_messages: messages, gates, peak_rss_mb: peak, stats }, null, 2)}\n`,
  );
  stream.stop();
  await (await nc.jetstreamManager()).streams.delete(name).catch(() => undefined);
  await nc.close();
  rmSync(work, { recursive: true, force: true });
}

void main();
