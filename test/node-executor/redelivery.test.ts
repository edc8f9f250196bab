import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import { setSubjectNamespace, TaskState } from '@ferry/contracts';
import { testNamespace } from '../support/database';
import {
  ExecutorProcess,
  FakeDispatcher,
  InProcessExecutor,
  job,
  natsConnection,
  ReportReader,
  ScriptFolder,
  sendJob,
  task,
} from './support/harness';

/** Guarantee 2: a redelivered job does not run a task attempt again — in the same process, after a restart, or on another pool member. */
describe('node executor: no attempt runs twice', () => {
  const namespace = testNamespace('executor-redelivery');
  let nc: NatsConnection;
  let reader: ReportReader;
  let scripts: ScriptFolder;

  beforeAll(async () => {
    setSubjectNamespace(namespace);
    process.env.LOG_LEVEL = 'error';
    nc = await natsConnection();
    reader = await ReportReader.open(nc);
    scripts = await ScriptFolder.create();
  });

  afterAll(async () => {
    await reader?.close();
    await nc?.close();
    await rm(path.dirname(scripts.dir), { recursive: true, force: true });
  });

  it('acknowledges a redelivered job as a duplicate, in the same process and in a fresh process on the same state dir', async () => {
    const run = 'run-redeliver';
    const stateDir = path.join(scripts.dir, '..', 'state-restart');
    const dispatcher = new FakeDispatcher(nc, run).listen();
    const theJob = job(run, 'n1', 'redeliver-1', [
      [task(run, 'n1', 'n1_a_ok', 'ok'), task(run, 'n1', 'n1_b_ok', 'ok')],
      [task(run, 'n1', 'n1_c_ok', 'ok')],
    ]);

    const first = await InProcessExecutor.start(['--host', 'n1', '--state-dir', stateDir], {
      FERRY_SCRIPTS: scripts.dir,
    });
    expect(await sendJob(nc, theJob)).toEqual({ accepted: true, duplicate: false, host: 'n1' });
    expect(await sendJob(nc, theJob)).toEqual({ accepted: true, duplicate: true, host: 'n1' });
    await dispatcher.endOf('redeliver-1');
    await reader.terminal(run, ['n1_a_ok', 'n1_b_ok', 'n1_c_ok']);
    expect(first.stats.duplicateJobs).toBe(1);
    await first.stop();

    // The agent restarts (its own process now) on the same state dir: the job and its attempts are known.
    const restarted = await ExecutorProcess.start(['--host', 'n1', '--state-dir', stateDir], {
      FERRY_SCRIPTS: scripts.dir,
      FERRY_NAMESPACE: namespace,
    });
    try {
      expect(await sendJob(nc, theJob)).toEqual({ accepted: true, duplicate: true, host: 'n1' });
      // Same attempts under a new job key (a dispatcher that lost the key): not run again either.
      expect(await sendJob(nc, { ...theJob, key: 'redeliver-2' })).toEqual({
        accepted: true,
        duplicate: false,
        host: 'n1',
      });
      expect(await dispatcher.endOf('redeliver-2')).toMatchObject({ failed: [], skipped: [] });
      // A new attempt is new work.
      await sendJob(
        nc,
        job(run, 'n1', 'redeliver-3', [[task(run, 'n1', 'n1_a_ok', 'ok', { attempt: 2 })]]),
      );
      await dispatcher.endOf('redeliver-3');
    } finally {
      expect(await restarted.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    }
    expect((await scripts.ran()).filter((l) => l.startsWith('n1_')).sort()).toEqual([
      'n1_a_ok 1',
      'n1_a_ok 2',
      'n1_b_ok 1',
      'n1_c_ok 1',
    ]);
    // One report pair per attempt that ran; nothing for the ones left alone.
    expect(
      reader.of(run).filter((r) => r.state === TaskState.Succeeded && r.attempt === 1),
    ).toHaveLength(3);
    dispatcher.stop();
  });

  it('does not re-run a job redelivered to another member of a pool sharing the state dir', async () => {
    const run = 'run-pool';
    const stateDir = path.join(scripts.dir, '..', 'state-pool');
    const dispatcher = new FakeDispatcher(nc, run).listen();
    const members = await Promise.all(
      ['pool-a', 'pool-b', 'pool-c'].map((id) =>
        InProcessExecutor.start(['--pool', '--state-dir', stateDir, '--executor-id', id], {
          FERRY_SCRIPTS: scripts.dir,
        }),
      ),
    );
    try {
      const jobs = Array.from({ length: 8 }, (_, i) =>
        job(run, `p${i}`, `pool-${i}`, [
          [task(run, `p${i}`, `p${i}_a_ok`, 'ok')],
          [task(run, `p${i}`, `p${i}_b_ok`, 'ok')],
        ]),
      );
      const acks = [];
      // Each job is delivered five times; the queue group hands the copies to any member.
      for (let round = 0; round < 5; round++)
        acks.push(...(await Promise.all(jobs.map((j) => sendJob(nc, j)))));
      expect(acks.filter((a) => 'duplicate' in a && !a.duplicate)).toHaveLength(8);
      expect(acks.filter((a) => 'duplicate' in a && a.duplicate)).toHaveLength(32);
      for (const j of jobs) await dispatcher.endOf(j.key);

      const ran = (await scripts.ran()).filter((l) => l.startsWith('p'));
      expect(ran).toHaveLength(16);
      expect(new Set(ran).size).toBe(16);
      expect(members.reduce((n, m) => n + m.stats.duplicateExecutions, 0)).toBe(0);
      expect(members.reduce((n, m) => n + m.stats.jobs, 0)).toBe(8);
      // Each member keeps its own append-only log in the shared dir.
      const logs = (await readdir(stateDir)).filter((f) => f.endsWith('.log')).sort();
      expect(logs).toEqual(['started-pool-a.log', 'started-pool-b.log', 'started-pool-c.log']);
      const lines = (await Promise.all(logs.map((f) => readFile(path.join(stateDir, f), 'utf8'))))
        .join('')
        .split('\n')
        .filter(Boolean);
      expect(lines.filter((l) => l.startsWith('job '))).toHaveLength(8);
      expect(lines.filter((l) => !l.startsWith('job ')).sort()).toEqual(
        jobs
          .flatMap((j) => j.stages.flatMap((s) => s.tasks.map((t) => `${run}/${t.task}/1`)))
          .sort(),
      );
    } finally {
      await Promise.all(members.map((m) => m.stop()));
      dispatcher.stop();
    }
  });
});
