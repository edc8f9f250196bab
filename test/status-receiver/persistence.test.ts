import type { Subscription } from 'nats';
import type { DataSource } from 'typeorm';
import {
  decodeMessage,
  encodeMessage,
  ProgressDto,
  setSubjectNamespace,
  Subjects,
} from '@ferry/contracts';
import { freshDatabase, testNamespace } from '../support/database';
import {
  eventually,
  insertRun,
  report,
  runTasks,
  taskAttempts,
  type TaskFixture,
} from './support/fixtures';
import { ReceiverProcess } from './support/receiver-process';
import { StatusStream } from './support/stream';

/** The receiver against real NATS JetStream and PostgreSQL: what it stores, acks, ignores and announces. */
describe('status receiver: persistence', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dataSource: DataSource;
  let stream: StatusStream;
  let receiver: ReceiverProcess;
  const namespace = testNamespace('receiver-persist');

  beforeAll(async () => {
    setSubjectNamespace(namespace);
    db = await freshDatabase('receiver_persist');
    dataSource = db.dataSource;
    stream = await StatusStream.open();
    receiver = await ReceiverProcess.start({ databaseUrl: db.url, namespace });
  });

  afterAll(async () => {
    await receiver?.signal('SIGTERM');
    await stream?.close();
    await db?.drop();
    setSubjectNamespace('');
  });

  /** Every published message settled: acked (or terminated) and gone from the work-queue stream. */
  const settled = () =>
    eventually(
      'the stream to be empty and nothing unacked',
      async () => [await stream.stored(), await stream.unacked()],
      ([stored, unacked]) => stored === 0 && unacked === 0,
    );

  const tasksOf = (hosts: number, batch = 0, component = 'nova'): TaskFixture[] =>
    Array.from({ length: hosts }, (_, i) => ({
      task: `node${i}_${component}_upgrade`,
      batch,
      host: `node${i}`,
    }));

  it('stores reports, merges running and terminal reports of an attempt, and acks after the commit', async () => {
    const run = await insertRun(dataSource, tasksOf(3));
    // node0: running and succeeded in one message (merged in memory); node1: running stored
    // first, failed in a later transaction (merged by the upsert).
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [
        report(run, 'node0_nova_upgrade', 'running'),
        report(run, 'node1_nova_upgrade', 'running'),
        report(run, 'node0_nova_upgrade', 'succeeded'),
      ],
    });
    await eventually(
      'node1 running',
      () => runTasks(dataSource, run),
      (r) => r[1].state === 'running',
    );
    await stream.publish(run, {
      executor: 'pool-b',
      reports: [
        report(run, 'node1_nova_upgrade', 'failed', { exitCode: 3, output: 'boom\u0000!' }),
      ],
    });

    const rows = await eventually(
      'run_tasks to move',
      () => runTasks(dataSource, run),
      (r) => r[0].state === 'succeeded' && r[1].state === 'failed',
    );
    expect(rows.map((r) => [r.task_id, r.state, r.attempt])).toEqual([
      ['node0_nova_upgrade', 'succeeded', 1],
      ['node1_nova_upgrade', 'failed', 1],
      ['node2_nova_upgrade', 'pending', 1],
    ]);
    const attempts = await taskAttempts(dataSource, run);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({
      task_id: 'node0_nova_upgrade',
      state: 'succeeded',
      undo: false,
      exit_code: 0,
      started_at: new Date('2025-01-01T10:00:00.000Z'),
      ended_at: new Date('2025-01-01T10:00:05.000Z'),
      output: 'node0_nova_upgrade succeeded\n',
      executor: 'pool-a',
    });
    expect(attempts[1]).toMatchObject({
      task_id: 'node1_nova_upgrade',
      state: 'failed',
      exit_code: 3,
      output: 'boom!',
      executor: 'pool-b',
      started_at: new Date('2025-01-01T10:00:00.000Z'),
    });
    await settled();
  });

  it('changes nothing for a report published twice or an old report after a newer one', async () => {
    const run = await insertRun(dataSource, tasksOf(3));
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [
        report(run, 'node0_nova_upgrade', 'succeeded'),
        report(run, 'node1_nova_upgrade', 'failed'),
        report(run, 'node2_nova_upgrade', 'failed', { attempt: 1 }),
        report(run, 'node2_nova_upgrade', 'running', { attempt: 2 }),
      ],
    });
    await eventually(
      'the first reports',
      () => runTasks(dataSource, run),
      (r) => r.every((t) => t.state !== 'pending'),
    );
    await settled();
    const tasksBefore = await runTasks(dataSource, run);
    const attemptsBefore = await taskAttempts(dataSource, run);
    expect(tasksBefore.map((t) => [t.state, t.attempt])).toEqual([
      ['succeeded', 1],
      ['failed', 1],
      ['running', 2],
    ]);

    // The same terminal report again, an older running report of a finished attempt, a terminal
    // report of attempt 1 after attempt 2 started, and a different terminal state of an ended attempt.
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [report(run, 'node0_nova_upgrade', 'succeeded')],
    });
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [report(run, 'node0_nova_upgrade', 'running')],
    });
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [report(run, 'node2_nova_upgrade', 'succeeded', { attempt: 1 })],
    });
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [
        report(run, 'node1_nova_upgrade', 'succeeded'),
        report(run, 'node1_nova_upgrade', 'running'),
      ],
    });
    await settled();

    expect(await runTasks(dataSource, run)).toEqual(tasksBefore);
    expect(await taskAttempts(dataSource, run)).toEqual(attemptsBefore);
  });

  it('publishes progress after the commit: the updates, the counts and the batches that ended', async () => {
    const run = await insertRun(dataSource, [...tasksOf(2, 0), ...tasksOf(2, 1, 'glance')]);
    const progress: ProgressDto[] = [];
    const sub: Subscription = stream.nc.subscribe(Subjects.progress(run), {
      callback: (_, msg) => {
        const decoded = decodeMessage(ProgressDto, msg.data);
        if (!decoded.ok) throw new Error(decoded.error.message);
        progress.push(decoded.value);
      },
    });
    await stream.nc.flush();
    try {
      await stream.publish(run, {
        executor: 'pool-a',
        reports: [
          report(run, 'node0_nova_upgrade', 'succeeded'),
          report(run, 'node1_nova_upgrade', 'timed_out'),
          report(run, 'node0_glance_upgrade', 'running'),
        ],
      });
      await stream.publish(run, {
        executor: 'pool-a',
        reports: [report(run, 'node1_glance_upgrade', 'succeeded')],
      });
      const updates = () => progress.flatMap((p) => p.updates);
      await eventually(
        'progress for four tasks',
        async () => updates().length,
        (n) => n >= 4,
      );
      await settled();

      expect(
        updates()
          .map((u) => [u.task, u.state, u.attempt, u.batch])
          .sort(),
      ).toEqual([
        ['node0_glance_upgrade', 'running', 1, 1],
        ['node0_nova_upgrade', 'succeeded', 1, 0],
        ['node1_glance_upgrade', 'succeeded', 1, 1],
        ['node1_nova_upgrade', 'timed_out', 1, 0],
      ]);
      for (const p of progress) {
        expect(p.run).toBe(run);
        const counted = Object.values(p.counts).reduce((a, b) => a + (b ?? 0), 0);
        expect(counted).toBe(p.updates.length);
      }
      // Batch 0 ended with its two tasks; batch 1 still has a running task.
      expect(progress.flatMap((p) => p.batchesEnded)).toEqual([0]);

      await stream.publish(run, {
        executor: 'pool-a',
        reports: [report(run, 'node0_glance_upgrade', 'lost')],
      });
      await eventually(
        'batch 1 to end',
        async () => progress.flatMap((p) => p.batchesEnded),
        (ended) => ended.includes(1),
      );
      expect(progress.flatMap((p) => p.batchesEnded)).toEqual([0, 1]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('keeps up with interleaved running and terminal reports of many tasks across concurrent transactions', async () => {
    const tasks = Array.from({ length: 3000 }, (_, i) => ({
      task: `bulk${i}_nova_upgrade`,
      batch: i % 3,
      host: `bulk${i}`,
    }));
    const run = await insertRun(dataSource, tasks);
    let succeeded = 0;
    const sub = stream.nc.subscribe(Subjects.progress(run), {
      callback: (_, msg) => {
        const decoded = decodeMessage(ProgressDto, msg.data);
        if (decoded.ok) succeeded += decoded.value.counts.succeeded ?? 0;
      },
    });
    await stream.nc.flush();
    try {
      const chunk = (i: number) => tasks.slice(i * 50, i * 50 + 50);
      const sends: Promise<void>[] = [];
      for (let i = 0; i <= tasks.length / 50; i++) {
        // running of chunk i and the terminal reports (with their start time, as executors send them) of chunk i-1
        const reports = [
          ...chunk(i).map((t) => report(run, t.task, 'running')),
          ...(i > 0
            ? chunk(i - 1).map((t) =>
                report(run, t.task, 'succeeded', { startedAt: '2025-01-01T10:00:00.000Z' }),
              )
            : []),
        ];
        if (reports.length) sends.push(stream.publish(run, { executor: 'pool-a', reports }));
      }
      await Promise.all(sends);
      await settled();
      const states = await runTasks(dataSource, run);
      expect(states.filter((t) => t.state === 'succeeded')).toHaveLength(3000);
      const [{ n }] = await dataSource.query(
        `SELECT count(*)::int AS n FROM task_attempts WHERE run_id = $1 AND state = 'succeeded' AND started_at IS NOT NULL AND ended_at IS NOT NULL`,
        [run],
      );
      expect(n).toBe(3000);
      await eventually(
        'progress for every task',
        async () => succeeded,
        (count) => count >= 3000,
      );
      expect(succeeded).toBe(3000);
      expect(receiver.logs.filter((l) => l.includes('will be delivered again'))).toEqual([]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('turns a succeeded task undone when its undo succeeds, and keeps both executions', async () => {
    const run = await insertRun(dataSource, tasksOf(2));
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [
        report(run, 'node0_nova_upgrade', 'succeeded'),
        report(run, 'node1_nova_upgrade', 'succeeded'),
      ],
    });
    await eventually(
      'both tasks succeeded',
      () => runTasks(dataSource, run),
      (r) => r.every((t) => t.state === 'succeeded'),
    );
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [
        report(run, 'node0_nova_upgrade', 'running', { attempt: 2, undo: true }),
        report(run, 'node0_nova_upgrade', 'succeeded', { attempt: 2, undo: true }),
        report(run, 'node1_nova_upgrade', 'failed', { attempt: 2, undo: true }),
      ],
    });
    await settled();
    expect((await runTasks(dataSource, run)).map((t) => [t.task_id, t.state, t.attempt])).toEqual([
      ['node0_nova_upgrade', 'undone', 2],
      ['node1_nova_upgrade', 'succeeded', 1],
    ]);
    expect(
      (await taskAttempts(dataSource, run)).map((a) => [
        a.task_id,
        a.attempt,
        a.undo,
        a.state,
        a.started_at !== null,
      ]),
    ).toEqual([
      ['node0_nova_upgrade', 1, false, 'succeeded', false],
      ['node0_nova_upgrade', 2, true, 'succeeded', true],
      ['node1_nova_upgrade', 1, false, 'succeeded', false],
      ['node1_nova_upgrade', 2, true, 'failed', false],
    ]);
    // A late report of the undone attempt moves nothing back.
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [report(run, 'node0_nova_upgrade', 'succeeded', { attempt: 1 })],
    });
    await settled();
    expect((await runTasks(dataSource, run))[0]).toMatchObject({ state: 'undone', attempt: 2 });
  });

  it('drops an invalid message without blocking the ones after it', async () => {
    const run = await insertRun(dataSource, tasksOf(2));
    await stream.publish(run, '{not json');
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [
        report(run, 'node0_nova_upgrade', 'succeeded'),
        { ...report(run, 'node1_nova_upgrade', 'succeeded'), state: 'exploded' as never },
      ],
    });
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [
        report(run, 'node1_nova_upgrade', 'succeeded', { startedAt: '2025-02-30T25:00:00Z' }),
      ],
    });
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [report(run, 'node1_nova_upgrade', 'succeeded')],
    });
    await settled();
    // The second message was invalid as a whole: node0's valid report in it was not applied either.
    expect((await runTasks(dataSource, run)).map((t) => [t.task_id, t.state])).toEqual([
      ['node0_nova_upgrade', 'pending'],
      ['node1_nova_upgrade', 'succeeded'],
    ]);
    expect(await taskAttempts(dataSource, run)).toHaveLength(1);
    expect(
      receiver.logs.filter((l) => l.includes('terminated an invalid report message')),
    ).toHaveLength(3);
  });

  it('drops reports of unknown runs and tasks with a warning and stores the rest of their message', async () => {
    const run = await insertRun(dataSource, tasksOf(1));
    const unknownRun = '00000000-0000-4000-8000-000000000000';
    await stream.publish(run, {
      executor: 'pool-a',
      reports: [
        report(run, 'node9_nova_upgrade', 'succeeded'),
        report(unknownRun, 'node0_nova_upgrade', 'succeeded'),
        report('not-a-uuid', 'x_y_z', 'failed'),
        report(run, 'node0_nova_upgrade', 'succeeded'),
      ],
    });
    await settled();
    expect((await runTasks(dataSource, run)).map((t) => t.state)).toEqual(['succeeded']);
    expect(await taskAttempts(dataSource, run)).toHaveLength(1);
    const [{ count }] = await dataSource.query(
      `SELECT count(*)::int AS count FROM task_attempts WHERE run_id = $1`,
      [unknownRun],
    );
    expect(count).toBe(0);
    await receiver.waitForLog(/"count":3.*dropped reports of tasks that are not in any run/);
  });

  it('stores node heartbeats, the latest per host', async () => {
    const beat = (host: string, running: { run: string; task: string; attempt: number }[]) =>
      stream.nc.publish(
        Subjects.nodeHeartbeat(host),
        encodeMessage({ host, executor: 'pool-h', running, at: new Date().toISOString() }),
      );
    const run = '11111111-2222-4333-8444-555555555555';
    beat('hb-node.1', []);
    beat('hb-node.2', [{ run, task: 'hb-node.2_nova_upgrade', attempt: 1 }]);
    beat('hb-node.1', [{ run, task: 'hb-node.1_nova_upgrade', attempt: 2 }]);
    stream.nc.publish(Subjects.nodeHeartbeat('hb-node.3'), encodeMessage({ host: 'hb-node.3' }));
    type Row = { host: string; executor: string; running: unknown[]; seen_at: Date };
    const rows = await eventually(
      'two heartbeats rows',
      (): Promise<Row[]> =>
        dataSource.query(
          `SELECT host, executor, running, seen_at FROM node_heartbeats WHERE host LIKE 'hb-node.%' ORDER BY host`,
        ),
      (r) => r.length === 2 && r[0].running.length === 1,
    );
    expect(rows.map((r) => [r.host, r.executor, r.running])).toEqual([
      ['hb-node.1', 'pool-h', [{ run, task: 'hb-node.1_nova_upgrade', attempt: 2 }]],
      ['hb-node.2', 'pool-h', [{ run, task: 'hb-node.2_nova_upgrade', attempt: 1 }]],
    ]);
    expect(rows[0].seen_at).toBeInstanceOf(Date);
  });
});
