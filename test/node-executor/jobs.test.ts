import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import {
  encodeMessage,
  HeartbeatDto,
  decodeMessage,
  setSubjectNamespace,
  Subjects,
  TaskState,
} from '@ferry/contracts';
import { testNamespace } from '../support/database';
import {
  eventually,
  FakeDispatcher,
  InProcessExecutor,
  job,
  natsConnection,
  ReportReader,
  ScriptFolder,
  sendJob,
  task,
} from './support/harness';

/**
 * The executor in pool mode against real NATS/JetStream and real scripts: what the dispatcher and
 * the status receiver see of a job.
 */
describe('node executor: jobs', () => {
  const namespace = testNamespace('executor-jobs');
  let nc: NatsConnection;
  let reader: ReportReader;
  let scripts: ScriptFolder;
  let executor: InProcessExecutor;
  let stateDir: string;

  beforeAll(async () => {
    setSubjectNamespace(namespace);
    process.env.LOG_LEVEL = 'error';
    nc = await natsConnection();
    reader = await ReportReader.open(nc);
    scripts = await ScriptFolder.create();
    stateDir = path.join(scripts.dir, '..', 'state');
    executor = await InProcessExecutor.start(
      [
        '--pool',
        '--state-dir',
        stateDir,
        '--heartbeat-s',
        '0.2',
        '--parallel',
        '4',
        '--executor-id',
        'jobs-test',
      ],
      { FERRY_SCRIPTS: scripts.dir },
    );
  });

  afterAll(async () => {
    await executor?.stop();
    await reader?.close();
    await nc?.close();
    await rm(path.dirname(scripts.dir), { recursive: true, force: true });
  });

  it('runs the stages in order, the tasks of a stage in parallel, and reports every task running then succeeded', async () => {
    const run = 'run-order';
    const dispatcher = new FakeDispatcher(nc, run).listen();
    const stages = [
      [task(run, 'h1', 'h1_a_ok', 'ok'), task(run, 'h1', 'h1_b_ok', 'ok')],
      [task(run, 'h1', 'h1_c_ok', 'ok')],
      [task(run, 'h1', 'h1_d_ok', 'ok'), task(run, 'h1', 'h1_e_ok', 'ok')],
    ];
    expect(await sendJob(nc, job(run, 'h1', 'order-1', stages, true))).toEqual({
      accepted: true,
      duplicate: false,
      host: 'h1',
    });

    const end = await dispatcher.endOf('order-1');
    expect(end).toEqual({ run, batch: 0, host: 'h1', key: 'order-1', failed: [], skipped: [] });
    const ids = stages.flat().map((t) => t.task);
    const terminal = await reader.terminal(run, ids);
    for (const id of ids) {
      expect(terminal.get(id)).toMatchObject({
        state: TaskState.Succeeded,
        exitCode: 0,
        host: 'h1',
        attempt: 1,
      });
      expect(terminal.get(id)?.output).toContain(`ok ${id}`);
      const running = await eventually(
        () => reader.of(run, id).find((r) => r.state === TaskState.Running),
        `running report of ${id}`,
      );
      expect(running.seq).toBeLessThan(terminal.get(id)?.seq as number);
      expect(running.startedAt).toBe(terminal.get(id)?.startedAt);
    }
    // Stage k+1 starts only after every task of stage k ended.
    for (let k = 1; k < stages.length; k++) {
      const previousEnd = Math.max(
        ...stages[k - 1].map((t) => Date.parse(terminal.get(t.task)?.endedAt as string)),
      );
      const previousSeq = Math.max(
        ...stages[k - 1].map((t) => terminal.get(t.task)?.seq as number),
      );
      for (const t of stages[k]) {
        const running = reader.of(run, t.task).find((r) => r.state === TaskState.Running);
        expect(Date.parse(running?.startedAt as string)).toBeGreaterThanOrEqual(previousEnd);
        expect(running?.seq).toBeGreaterThan(previousSeq);
      }
    }
    expect(dispatcher.gates.map((g) => [g.stage, g.failed])).toEqual([
      [1, []],
      [2, []],
    ]);
    expect((await scripts.ran()).filter((l) => l.startsWith('h1_'))).toHaveLength(5);
    dispatcher.stop();
  });

  it('stops a job after the stage in which a task failed; the later tasks are skipped', async () => {
    const run = 'run-fail';
    const dispatcher = new FakeDispatcher(nc, run).listen();
    const stages = [
      [task(run, 'h2', 'h2_a_ok', 'ok'), task(run, 'h2', 'h2_b_fail', 'fail')],
      [task(run, 'h2', 'h2_c_ok', 'ok')],
      [task(run, 'h2', 'h2_d_ok', 'ok')],
    ];
    await sendJob(nc, job(run, 'h2', 'fail-1', stages, true));

    const end = await dispatcher.endOf('fail-1');
    expect(end.failed).toEqual(['h2_b_fail']);
    expect(end.skipped).toEqual(['h2_c_ok', 'h2_d_ok']);
    const terminal = await reader.terminal(run, ['h2_a_ok', 'h2_b_fail', 'h2_c_ok', 'h2_d_ok']);
    expect(terminal.get('h2_a_ok')?.state).toBe(TaskState.Succeeded);
    expect(terminal.get('h2_b_fail')).toMatchObject({ state: TaskState.Failed, exitCode: 3 });
    expect(terminal.get('h2_b_fail')?.output).toContain('failing h2_b_fail');
    for (const id of ['h2_c_ok', 'h2_d_ok']) {
      expect(terminal.get(id)).toMatchObject({
        state: TaskState.Skipped,
        exitCode: null,
        startedAt: null,
      });
      expect(terminal.get(id)?.output).toBe('not started: task h2_b_fail failed in stage 0');
    }
    const ran = await scripts.ran();
    expect(ran.filter((l) => l.startsWith('h2_'))).toEqual(
      expect.arrayContaining(['h2_a_ok 1', 'h2_b_fail 1']),
    );
    expect(ran.some((l) => l.startsWith('h2_c') || l.startsWith('h2_d'))).toBe(false);
    // Nothing to ask once the job has stopped.
    expect(dispatcher.gates).toEqual([]);
    dispatcher.stop();
  });

  it('stops the job when the gate says no', async () => {
    const run = 'run-gate';
    const dispatcher = new FakeDispatcher(nc, run).listen();
    dispatcher.decide = (gate) => gate.stage < 2;
    const stages = [
      [task(run, 'h3', 'h3_a_ok', 'ok')],
      [task(run, 'h3', 'h3_b_ok', 'ok')],
      [task(run, 'h3', 'h3_c_ok', 'ok'), task(run, 'h3', 'h3_d_ok', 'ok')],
    ];
    await sendJob(nc, job(run, 'h3', 'gate-1', stages, true, 4));

    const end = await dispatcher.endOf('gate-1');
    expect(end).toEqual({
      run,
      batch: 4,
      host: 'h3',
      key: 'gate-1',
      failed: [],
      skipped: ['h3_c_ok', 'h3_d_ok'],
    });
    expect(dispatcher.gates).toEqual([
      { run, batch: 4, host: 'h3', key: 'gate-1', stage: 1, failed: [] },
      { run, batch: 4, host: 'h3', key: 'gate-1', stage: 2, failed: [] },
    ]);
    const terminal = await reader.terminal(run, ['h3_a_ok', 'h3_b_ok', 'h3_c_ok', 'h3_d_ok']);
    expect(terminal.get('h3_b_ok')?.state).toBe(TaskState.Succeeded);
    expect(terminal.get('h3_c_ok')).toMatchObject({
      state: TaskState.Skipped,
      output: 'not started: the dispatcher closed the gate before stage 2',
    });
    expect((await scripts.ran()).filter((l) => l.startsWith('h3_'))).toEqual([
      'h3_a_ok 1',
      'h3_b_ok 1',
    ]);
    dispatcher.stop();
  });

  it('starts nothing more for a halted run, lets running tasks finish, and still runs a job sent after the halt', async () => {
    const run = 'run-halt';
    const dispatcher = new FakeDispatcher(nc, run).listen();
    // 6 tasks with --parallel 4: 4 run (and wait), 2 queue for a slot.
    const first = Array.from({ length: 6 }, (_, i) => task(run, 'h4', `h4_w${i}_wait`, 'wait'));
    const stages = [first, [task(run, 'h4', 'h4_later_ok', 'ok')]];
    await sendJob(nc, job(run, 'h4', 'halt-1', stages));
    await eventually(
      async () => (await scripts.ran()).filter((l) => l.startsWith('h4_w')).length === 4,
      'four waiting tasks',
    );

    nc.publish(Subjects.runHalt(run), encodeMessage({ run, reason: 'cancelled by the operator' }));
    // The executor hears us in order: once a later job is acknowledged, the halt has been handled.
    await sendJob(nc, job(run, 'h4b', 'halt-probe', []));
    for (let i = 0; i < 6; i++) await scripts.release(`h4_w${i}_wait`);

    const end = await dispatcher.endOf('halt-1');
    expect(end.failed).toEqual([]);
    expect(end.skipped).toHaveLength(3);
    expect(end.skipped).toContain('h4_later_ok');
    const terminal = await reader.terminal(run, [...first.map((t) => t.task), 'h4_later_ok']);
    const states = first.map((t) => terminal.get(t.task)?.state);
    expect(states.filter((s) => s === TaskState.Succeeded)).toHaveLength(4);
    expect(states.filter((s) => s === TaskState.Skipped)).toHaveLength(2);
    expect(terminal.get('h4_later_ok')).toMatchObject({
      state: TaskState.Skipped,
      output: 'not started: run halted: cancelled by the operator',
    });
    expect((await scripts.ran()).filter((l) => l.startsWith('h4_'))).toHaveLength(4);

    // A job the dispatcher sends after the halt (a retry) is a new decision: it runs.
    await sendJob(
      nc,
      job(run, 'h4', 'halt-2', [[task(run, 'h4', 'h4_later_ok', 'ok', { attempt: 2 })]]),
    );
    expect((await dispatcher.endOf('halt-2')).skipped).toEqual([]);
    await eventually(
      () =>
        reader
          .of(run, 'h4_later_ok')
          .some((r) => r.attempt === 2 && r.state === TaskState.Succeeded),
      'the retried task',
    );
    dispatcher.stop();
  });

  it('keeps sending the job end until a dispatcher answers', async () => {
    const run = 'run-late';
    await sendJob(nc, job(run, 'h5', 'late-1', [[task(run, 'h5', 'h5_a_ok', 'ok')]]));
    await reader.terminal(run, ['h5_a_ok']);
    await new Promise((r) => setTimeout(r, 800)); // a few retries against no responders
    const dispatcher = new FakeDispatcher(nc, run).listen();
    expect(await dispatcher.endOf('late-1')).toMatchObject({
      key: 'late-1',
      failed: [],
      skipped: [],
    });
    dispatcher.stop();
  });

  it('waits at a gate while no dispatcher answers, and goes on when one does', async () => {
    const run = 'run-gate-wait';
    await sendJob(
      nc,
      job(
        run,
        'h6',
        'gate-wait-1',
        [[task(run, 'h6', 'h6_a_ok', 'ok')], [task(run, 'h6', 'h6_b_ok', 'ok')]],
        true,
      ),
    );
    await reader.terminal(run, ['h6_a_ok']);
    await new Promise((r) => setTimeout(r, 800));
    expect(reader.of(run, 'h6_b_ok')).toEqual([]);
    const dispatcher = new FakeDispatcher(nc, run).listen();
    await dispatcher.endOf('gate-wait-1');
    expect((await reader.terminal(run, ['h6_b_ok'])).get('h6_b_ok')?.state).toBe(
      TaskState.Succeeded,
    );
    dispatcher.stop();
  });

  it('rejects a job whose host is not the host of its subject', async () => {
    const run = 'run-wrong-host';
    const reply = await sendJob(
      nc,
      job(run, 'h7', 'wrong-1', [[task(run, 'h7', 'h7_a_ok', 'ok')]]),
      'h8',
    );
    expect(reply).toEqual({ error: 'job for host h7 arrived on the subject of host h8' });
    const mixed = await sendJob(
      nc,
      job(run, 'h7', 'wrong-2', [[task(run, 'h8', 'h8_a_ok', 'ok')]]),
    );
    expect(mixed).toEqual({ error: 'task h8_a_ok is for host h8, the job for h7' });
    await new Promise((r) => setTimeout(r, 300));
    expect(reader.of(run)).toEqual([]);
  });

  it('sends heartbeats listing the running tasks of a host', async () => {
    const run = 'run-beat';
    const dispatcher = new FakeDispatcher(nc, run).listen();
    const beats: HeartbeatDto[] = [];
    const sub = nc.subscribe(Subjects.nodeHeartbeat('h9.rack-1'), {
      callback: (_e, m) => {
        const decoded = decodeMessage(HeartbeatDto, m.data);
        if (decoded.ok) beats.push(decoded.value);
      },
    });
    await sendJob(
      nc,
      job(run, 'h9.rack-1', 'beat-1', [[task(run, 'h9.rack-1', 'h9_a_wait', 'wait')]]),
    );
    const beat = await eventually(
      () => beats.find((b) => b.running.length > 0),
      'a heartbeat with a running task',
    );
    expect(beat).toMatchObject({
      host: 'h9.rack-1',
      executor: 'jobs-test',
      running: [{ run, task: 'h9_a_wait', attempt: 1 }],
    });
    await scripts.release('h9_a_wait');
    await dispatcher.endOf('beat-1');
    sub.unsubscribe();
    dispatcher.stop();
  });

  it('runs an undo as <task>~undo and reports it as an undo', async () => {
    const run = 'run-undo';
    const dispatcher = new FakeDispatcher(nc, run).listen();
    await scripts.script(
      'nova-api/downrpm',
      `echo "$FERRY_TASK $FERRY_ATTEMPT" >> '${scripts.marker}'\necho "$FERRY_ACTION $FERRY_FROM $FERRY_TO"`,
    );
    await sendJob(
      nc,
      job(run, 'h10', 'undo-1', [
        // As the dispatcher sends an undo: the undo action, from/to already turned round.
        [
          task(run, 'h10', 'h10_nova-api_uprpm', 'downrpm', {
            undo: true,
            attempt: 3,
            from: '22.0',
            to: '21.0',
          }),
        ],
      ]),
    );
    await dispatcher.endOf('undo-1');
    const [report] = (await reader.terminal(run, ['h10_nova-api_uprpm'])).values();
    expect(report).toMatchObject({ state: TaskState.Succeeded, undo: true, attempt: 3 });
    expect(report.output.trim()).toBe('downrpm 22.0 21.0');
    expect(await scripts.ran()).toContain('h10_nova-api_uprpm~undo 3');
    dispatcher.stop();
  });
});
