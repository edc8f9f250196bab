import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import {
  decodeMessage,
  HeartbeatDto,
  setSubjectNamespace,
  Subjects,
  TaskState,
} from '@ferry/contracts';
import { testNamespace } from '../support/database';
import {
  eventually,
  ExecutorProcess,
  FakeDispatcher,
  job,
  natsConnection,
  ReportReader,
  ScriptFolder,
  sendJob,
  task,
} from './support/harness';

/** The executor as an operator runs it: its own process, flags, signals, stats file. */
describe('node executor: the process', () => {
  const namespace = testNamespace('executor-process');
  let nc: NatsConnection;
  let reader: ReportReader;
  let scripts: ScriptFolder;
  let work: string;

  beforeAll(async () => {
    setSubjectNamespace(namespace);
    nc = await natsConnection();
    reader = await ReportReader.open(nc);
    scripts = await ScriptFolder.create();
    work = path.dirname(scripts.dir);
  });

  afterAll(async () => {
    await reader?.close();
    await nc?.close();
    await rm(work, { recursive: true, force: true });
  });

  it.each([
    [['--pool', '--host', 'x'], /use either --host ID or --pool, not both/],
    [['--pool', '--simulate', '--parallel', '-3'], /--parallel must be a whole number ≥ 1/],
    [['--pool', '--simulate', '--frobnicate'], /unknown option '--frobnicate'/],
    [['--pool'], /FERRY_SCRIPTS is not set/],
  ])('exits 2 with a clear message for %j', async (argv, message) => {
    const executor = ExecutorProcess.spawn(argv, { FERRY_SCRIPTS: '', FERRY_NAMESPACE: namespace });
    expect(await executor.exited).toEqual({ code: 2, signal: null });
    expect(executor.logs.join('\n')).toMatch(message);
  });

  it('on SIGTERM takes no more jobs, lets the running task finish, reports the rest skipped, flushes and exits 0', async () => {
    const run = 'run-term';
    const statsFile = path.join(work, 'stats-term.json');
    const dispatcher = new FakeDispatcher(nc, run).listen();
    const executor = await ExecutorProcess.start(
      [
        '--pool',
        '--simulate',
        '--task-ms',
        '1500',
        '--state-dir',
        path.join(work, 'state-term'),
        '--stats-file',
        statsFile,
        '--executor-id',
        'term-1',
      ],
      {
        FERRY_NAMESPACE: namespace,
      },
    );
    await sendJob(
      nc,
      job(run, 't1', 'term-1', [
        [task(run, 't1', 't1_a', 'uprpm')],
        [task(run, 't1', 't1_b', 'start')],
      ]),
    );
    // Simulated tasks of 1.5 s report `running` when they start.
    await eventually(
      () => reader.of(run, 't1_a').some((r) => r.state === TaskState.Running),
      'the running report',
    );

    expect(await executor.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    const terminal = await reader.terminal(run, ['t1_a', 't1_b']);
    expect(terminal.get('t1_a')?.state).toBe(TaskState.Succeeded);
    expect(terminal.get('t1_b')).toMatchObject({
      state: TaskState.Skipped,
      output: 'not started: the executor is shutting down',
    });
    expect(await dispatcher.endOf('term-1')).toMatchObject({ failed: [], skipped: ['t1_b'] });
    expect(JSON.parse(await readFile(statsFile, 'utf8'))).toEqual({
      executor: 'term-1',
      jobs: 1,
      tasksStarted: 1,
      reportsSent: 3,
      // t1_a running and succeeded, t1_b skipped: two of the three are ends.
      terminalReportsSent: 2,
      duplicateExecutions: 0,
      duplicateJobs: 0,
      running: 0,
    });
    // It took no job after the signal.
    await expect(
      sendJob(nc, job(run, 't1', 'term-2', [[task(run, 't1', 't1_c', 'uprpm')]])),
    ).rejects.toThrow(/503|no responders/i);
    dispatcher.stop();
  });

  it('stops a script still running when the grace period is over, reports it failed, and exits 0', async () => {
    const run = 'run-grace';
    const dispatcher = new FakeDispatcher(nc, run).listen();
    const executor = await ExecutorProcess.start(
      ['--host', 'g1', '--state-dir', path.join(work, 'state-grace'), '--kill-grace-s', '0.5'],
      { FERRY_SCRIPTS: scripts.dir, FERRY_NAMESPACE: namespace },
    );
    await sendJob(nc, job(run, 'g1', 'grace-1', [[task(run, 'g1', 'g1_a_wait', 'wait')]]));
    await eventually(
      () => reader.of(run, 'g1_a_wait').some((r) => r.state === TaskState.Running),
      'the running report',
    );

    expect(await executor.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    const report = (await reader.terminal(run, ['g1_a_wait'])).get('g1_a_wait');
    expect(report?.state).toBe(TaskState.Failed);
    expect(report?.output).toContain('the executor is shutting down: script stopped');
    expect(await dispatcher.endOf('grace-1')).toMatchObject({ failed: ['g1_a_wait'] });
    dispatcher.stop();
  });

  it('in host mode sends heartbeats even when idle', async () => {
    const beats: HeartbeatDto[] = [];
    const sub = nc.subscribe(Subjects.nodeHeartbeat('idle-1'), {
      callback: (_e, m) => {
        const decoded = decodeMessage(HeartbeatDto, m.data);
        if (decoded.ok) beats.push(decoded.value);
      },
    });
    const executor = await ExecutorProcess.start(
      [
        '--host',
        'idle-1',
        '--simulate',
        '--heartbeat-s',
        '0.2',
        '--state-dir',
        path.join(work, 'state-idle'),
      ],
      { FERRY_NAMESPACE: namespace },
    );
    try {
      await eventually(() => beats.length >= 3, 'three heartbeats');
      expect(beats[0]).toMatchObject({ host: 'idle-1', executor: 'host-idle-1', running: [] });
    } finally {
      sub.unsubscribe();
      expect(await executor.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });
});
