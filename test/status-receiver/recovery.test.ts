import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { setSubjectNamespace } from '@ferry/contracts';
import { freshDatabase, testNamespace } from '../support/database';
import { eventually, insertRun, report, runTasks, type TaskFixture } from './support/fixtures';
import { ReceiverProcess } from './support/receiver-process';
import { StatusStream } from './support/stream';

const PER_MESSAGE = 10;

/**
 * Guarantee 1 (runtime.md): a report is acked only after the transaction that stores it commits, so
 * killing the receiver or cutting its database connections mid-transaction loses nothing.
 *
 * To catch the receiver with reports in hand every time (and not depend on timing), the test holds a
 * lock on run_tasks: the receiver's transaction then waits inside PostgreSQL, uncommitted and unacked.
 */
describe('status receiver: recovery', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dataSource: DataSource;
  let stream: StatusStream;
  const namespace = testNamespace('receiver-recover');
  const receivers: ReceiverProcess[] = [];

  beforeAll(async () => {
    setSubjectNamespace(namespace);
    db = await freshDatabase('receiver_recover');
    dataSource = db.dataSource;
    stream = await StatusStream.open(2);
  });

  afterAll(async () => {
    for (const r of receivers) await r.signal('SIGKILL');
    await stream?.close();
    await db?.drop();
    setSubjectNamespace('');
  });

  const start = async () => {
    const receiver = await ReceiverProcess.start({ databaseUrl: db.url, namespace });
    receivers.push(receiver);
    return receiver;
  };

  const tasks = (count: number, label: string): TaskFixture[] =>
    Array.from({ length: count }, (_, i) => ({
      task: `${label}${i}_nova_upgrade`,
      batch: Math.floor(i / 100),
      host: `${label}${i}`,
    }));

  /** Publishes one succeeded report per task, PER_MESSAGE to a message; returns the message count. */
  const publishSucceeded = async (run: string, list: readonly TaskFixture[]) => {
    let messages = 0;
    for (let i = 0; i < list.length; i += PER_MESSAGE) {
      await stream.publish(run, {
        executor: 'pool-r',
        reports: list.slice(i, i + PER_MESSAGE).map((t) => report(run, t.task, 'succeeded')),
      });
      messages++;
    }
    return messages;
  };

  const succeededCount = async (run: string) =>
    (await runTasks(dataSource, run)).filter((t) => t.state === 'succeeded').length;

  /** A transaction holding run_tasks so the receiver's UPDATE waits (reads and task_attempts inserts do not). */
  const lockRunTasks = async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE run_tasks IN SHARE ROW EXCLUSIVE MODE');
    return {
      release: async () => {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  };

  /** The receiver's own connections that wait for a lock: its transaction is in flight. */
  const receiverBlocked = () =>
    eventually(
      'the receiver to wait on the lock',
      async () => {
        const rows: { n: number }[] = await dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ferry-status-receiver' AND wait_event_type = 'Lock'`,
        );
        return rows[0].n;
      },
      (n) => n > 0,
    );

  const settled = () =>
    eventually(
      'every message acked',
      async () => [await stream.stored(), await stream.unacked()],
      ([stored, unacked]) => stored === 0 && unacked === 0,
    );

  it('loses nothing when the receiver is killed with reports in hand, and a new one stores them', async () => {
    const list = tasks(2000, 'kill');
    const run = await insertRun(dataSource, list);
    const first = await start();
    await publishSucceeded(run, list.slice(0, 500));
    await eventually(
      'the first 500 reports',
      () => succeededCount(run),
      (n) => n === 500,
    );

    const lock = await lockRunTasks();
    let killed = false;
    try {
      await publishSucceeded(run, list.slice(500));
      await receiverBlocked();
      expect(await stream.unacked()).toBeGreaterThan(0);
      expect(await first.signal('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      killed = true;
    } finally {
      await lock.release();
    }
    expect(killed).toBe(true);
    // Nothing of the killed transaction was committed.
    expect(await succeededCount(run)).toBe(500);

    await start();
    await eventually(
      'all 2000 reports',
      () => succeededCount(run),
      (n) => n === 2000,
    );
    await settled();
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM task_attempts WHERE run_id = $1 AND state = 'succeeded'`,
      [run],
    );
    expect(n).toBe(2000);
  });

  it('gives reports back and stores them later when its database connections are cut mid-transaction', async () => {
    const list = tasks(300, 'cut');
    const run = await insertRun(dataSource, list);
    const receiver = receivers[receivers.length - 1] ?? (await start());
    const lock = await lockRunTasks();
    try {
      await publishSucceeded(run, list);
      await receiverBlocked();
      const cut: { pid: number }[] = await dataSource.query(
        `SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ferry-status-receiver'`,
      );
      expect(cut.length).toBeGreaterThan(0);
    } finally {
      await lock.release();
    }
    await receiver.waitForLog(/could not store reports; they will be delivered again/);
    await eventually(
      'all 300 reports',
      () => succeededCount(run),
      (n) => n === 300,
    );
    await settled();
  });

  it('on SIGTERM stores and acks the reports in hand before it exits', async () => {
    for (const r of receivers.splice(0)) await r.signal('SIGKILL');
    const list = tasks(400, 'term');
    const run = await insertRun(dataSource, list);
    const receiver = await start();
    const lock = await lockRunTasks();
    let messages = 0;
    try {
      messages = await publishSucceeded(run, list);
      await receiverBlocked();
      // Every message has reached the receiver (none left for a successor).
      await eventually(
        'all messages in the receiver',
        () => stream.unacked(),
        (n) => n === messages,
      );
      void receiver.signal('SIGTERM');
      await receiver.waitForLog(/stopping: no more pulls/);
    } finally {
      await lock.release();
    }
    // Nest re-raises the signal once its shutdown hooks have run: ended by SIGTERM, not by a crash.
    expect(await receiver.exited).toEqual({ code: null, signal: 'SIGTERM' });
    // No receiver runs now: what it held is stored and acked, none of it waits for a redelivery.
    expect(await succeededCount(run)).toBe(400);
    expect(await stream.stored()).toBe(0);
    expect(await stream.unacked()).toBe(0);
  });
});
