import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForHealth } from '../../apps/cli/src/system/health';
import { batchOrderViolations, startsPerTask } from './support/execution-log';
import { cluster, SEED_LOGIC, upgradeTo } from './support/clusters';
import { markerScripts, type MarkerScripts } from './support/marker-scripts';
import { preparedProject, startRun, taskStates, waitFor, waitForRun } from './support/runs';
import { Stack } from './support/stack';

const ACTIONS = ['dispatch', 'check', 'stop', 'uprpm', 'start'];

/** runtime.md guarantees 1–4, each broken on purpose: services die mid-run and the run still ends right. */
describe('crash recovery', () => {
  let stack: Stack;
  let scripts: MarkerScripts;

  beforeAll(async () => {
    scripts = markerScripts(mkdtempSync(join(tmpdir(), 'ferry-crash-')), ACTIONS, 0.05);
    stack = await Stack.start({ label: 'recovery', executor: { scripts: scripts.dir } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const marksOf = (prefix: string) => scripts.marks().filter((m) => m.task.startsWith(prefix));

  it('guarantee 3: a dispatcher killed mid-batch is replaced and the run succeeds, every task run once', async () => {
    const { id, plan } = await preparedProject(stack, 'kill-dispatcher', {
      inventory: cluster('kd', 3, ['X', 'Y']),
      descriptor: upgradeTo(['X', 'Y']),
      logicBook: SEED_LOGIC,
    });
    // Batch 2 (stop X) is slow enough to kill the dispatcher while its tasks run.
    for (const t of plan.mission[2].flat(2)) scripts.slowTask(t, 2);
    const run = await startRun(stack, id, {});
    await waitFor(
      () =>
        marksOf('kd').some((m) => m.edge === 'start' && plan.mission[2].flat(2).includes(m.task)),
      'batch 2 to start',
    );
    await stack.kill('dispatcher');
    stack.start('dispatcher');
    const view = await waitForRun(stack, run);
    expect(view.state).toBe('succeeded');
    const starts = startsPerTask(marksOf('kd'));
    expect(Object.keys(plan.tasks).filter((t) => starts.get(t) !== 1)).toEqual([]);
    expect(batchOrderViolations(plan.mission, marksOf('kd'))).toEqual([]);
    expect(stack.log('dispatcher')).toContain('took over a run whose dispatcher went silent');
  });

  it('guarantee 1: a status receiver killed mid-run loses no report', async () => {
    const { id, plan } = await preparedProject(stack, 'kill-receiver', {
      inventory: cluster('kr', 12, ['X', 'Y']),
      descriptor: upgradeTo(['X', 'Y']),
      logicBook: SEED_LOGIC,
    });
    const run = await startRun(stack, id, {});
    await waitFor(
      () => marksOf('kr').filter((m) => m.edge === 'end').length >= 6,
      'the first reports',
    );
    await stack.kill('status-receiver');
    // Reports keep arriving in JetStream while nobody stores them.
    await new Promise((r) => setTimeout(r, 1500));
    stack.start('status-receiver');
    const view = await waitForRun(stack, run);
    expect(view.state).toBe('succeeded');
    const rows = await stack.dataSource.query(
      `SELECT count(*)::int AS n FROM task_attempts WHERE run_id = $1 AND state = 'succeeded' AND started_at IS NOT NULL AND ended_at IS NOT NULL`,
      [run],
    );
    expect(rows[0].n).toBe(Object.keys(plan.tasks).length);
  });

  it('guarantee 4: an executor that vanishes leaves its tasks lost within the timeout and the run fails cleanly', async () => {
    const { id, plan } = await preparedProject(stack, 'kill-executor', {
      inventory: cluster('ke', 2, ['X', 'Y']),
      descriptor: upgradeTo(['X', 'Y']),
      logicBook: SEED_LOGIC,
    });
    const first = plan.mission[0].flat(2);
    for (const t of first) scripts.slowTask(t, 30);
    const run = await startRun(stack, id, {
      policy: { heartbeat_timeout_s: 3, job_ack_timeout_s: 3 },
    });
    await waitFor(
      () => marksOf('ke').filter((m) => m.edge === 'start').length === first.length,
      'the first batch to be running',
    );
    await stack.kill('node-executor');
    // The scripts would take 30 s; the run ends well before, through the 3 s heartbeat timeout.
    const view = await waitForRun(stack, run, undefined, 25_000);
    expect(view.state).toBe('failed');
    expect(view.result.fail.sort()).toEqual([...first].sort());
    const states = await taskStates(stack, run);
    for (const t of first) expect(states.get(t)?.state).toBe('lost');
    expect(view.result.undo.length).toBe(Object.keys(plan.tasks).length - first.length);

    // With no executor at all, a job nobody acknowledges within job_ack_timeout_s ends lost too.
    const unacked = await preparedProject(stack, 'no-executor', {
      inventory: cluster('na', 2, ['X', 'Y']),
      descriptor: upgradeTo(['X', 'Y']),
      logicBook: SEED_LOGIC,
    });
    const run2 = await startRun(stack, unacked.id, { policy: { job_ack_timeout_s: 2 } });
    const view2 = await waitForRun(stack, run2, undefined, 30_000);
    expect(view2.state).toBe('failed');
    expect(view2.result.fail.sort()).toEqual([...unacked.plan.mission[0].flat(2)].sort());
    const lost = await stack.ok<{ task: string; state: string; output: string }[]>(
      'GET',
      `/runs/${run2}/tasks?state=lost`,
    );
    expect(lost[0].output).toMatch(/did not acknowledge its job within 2 s/);

    stack.start('node-executor');
    expect((await waitForHealth(stack.apiUrl, 10_000)).ok).toBe(true);
  });
});
