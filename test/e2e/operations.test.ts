import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxConcurrentHosts, startsPerTask } from './support/execution-log';
import { markerScripts, type Mark, type MarkerScripts } from './support/marker-scripts';
import { cluster, SEED_LOGIC, stagedLogic, upgradeTo } from './support/clusters';
import {
  preparedProject,
  startRun,
  taskStates,
  waitFor,
  waitForRun,
  type RunView,
} from './support/runs';
import { Stack } from './support/stack';

const ACTIONS = [
  'dispatch',
  'check',
  'stop',
  'uprpm',
  'start',
  'healthcheck',
  'cleanup',
  'downrpm',
  'install',
  'uninstall',
  'notify-registry',
];
const hostOf = (task: string) => task.slice(0, task.indexOf('_'));

/** Issue 4: retry, undo, pause/resume, cancel, error budget, rate control, canary, parallel runs. */
describe('operating an upgrade', () => {
  let stack: Stack;
  let scripts: MarkerScripts;

  beforeAll(async () => {
    scripts = markerScripts(mkdtempSync(join(tmpdir(), 'ferry-ops-')), ACTIONS, 0.05);
    stack = await Stack.start({ label: 'operations', executor: { scripts: scripts.dir } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const marksOf = (prefix: string): Mark[] =>
    scripts.marks().filter((m) => m.task.startsWith(prefix));

  it('retries one failed task alone, then resumes the run to success', async () => {
    const { id } = await preparedProject(stack, 'retry', {
      inventory: cluster('rt', 2, ['X', 'Y']),
      descriptor: upgradeTo(['X', 'Y']),
      logicBook: SEED_LOGIC,
    });
    scripts.failTask('rt01_X_uprpm', 1);
    const run = await startRun(stack, id, {});
    let view = await waitForRun(stack, run);
    expect(view.state).toBe('failed');
    expect(view.result.fail).toEqual(['rt01_X_uprpm']);
    const startsBefore = marksOf('rt').filter((m) => m.edge === 'start').length;

    const retried = await stack.ok<{ task: string; attempt: number }>(
      'POST',
      `/runs/${run}/tasks/rt01_X_uprpm/retry`,
    );
    expect(retried.attempt).toBe(2);
    await waitFor(
      async () => (await taskStates(stack, run)).get('rt01_X_uprpm')?.state === 'succeeded',
      'the retry to succeed',
    );
    const afterRetry = marksOf('rt')
      .filter((m) => m.edge === 'start')
      .slice(startsBefore);
    expect(afterRetry.map((m) => [m.task, m.attempt])).toEqual([['rt01_X_uprpm', 2]]);
    expect((await stack.ok<RunView>('GET', `/runs/${run}`)).state).toBe('failed');

    await stack.ok('POST', `/runs/${run}/resume`);
    view = await waitForRun(stack, run);
    expect(view.state).toBe('succeeded');
    expect(view.result.fail).toEqual([]);
    expect(view.result.undo).toEqual([]);
    const starts = startsPerTask(marksOf('rt'));
    expect(starts.get('rt01_X_uprpm')).toBe(2);
    expect([...starts.entries()].filter(([t, n]) => t !== 'rt01_X_uprpm' && n !== 1)).toEqual([]);
    expect(starts.size).toBe(view.result.done.length);
  });

  it('undoes one task, and a whole run in reverse order (stages reversed), listing tasks without undo', async () => {
    const one = await preparedProject(stack, 'undo-one', {
      inventory: cluster('uo', 1, ['X', 'Y']),
      descriptor: upgradeTo(['X', 'Y']),
      logicBook: SEED_LOGIC,
    });
    const run1 = await startRun(stack, one.id, {});
    expect((await waitForRun(stack, run1)).state).toBe('succeeded');
    const undoOne = await stack.ok<{ undoing: number; tasks: string[] }>(
      'POST',
      `/runs/${run1}/tasks/uo01_X_start/undo`,
    );
    expect(undoOne).toMatchObject({ undoing: 1, tasks: ['uo01_X_start'] });
    await waitFor(
      async () => (await taskStates(stack, run1)).get('uo01_X_start')?.state === 'undone',
      'the task to be undone',
    );
    expect(marksOf('uo01_X_start~undo').filter((m) => m.edge === 'end')).toHaveLength(1);
    const again = await stack.request<{ error: string; message: string }>(
      'POST',
      `/runs/${run1}/tasks/uo01_X_start/undo`,
    );
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already undone/);
    const noUndo = await stack.request<{ error: string }>(
      'POST',
      `/runs/${run1}/tasks/uo01_X_check/undo`,
    );
    expect(noUndo.status).toBe(409);
    expect(noUndo.body.error).toBe('TASK.NO_UNDO');
    const notFailed = await stack.request<{ error: string }>(
      'POST',
      `/runs/${run1}/tasks/uo01_X_stop/retry`,
    );
    expect(notFailed.status).toBe(409);
    expect(notFailed.body.error).toBe('TASK.WRONG_STATE');

    // A whole run: two batches of three-stage jobs (order puts X before Y).
    const whole = await preparedProject(stack, 'undo-run', {
      inventory: cluster('ur', 2, ['X', 'Y']),
      descriptor: upgradeTo(['X', 'Y']),
      logicBook: stagedLogic({ order: ['X', 'Y'] }),
    });
    const run2 = await startRun(stack, whole.id, {});
    const done = await waitForRun(stack, run2);
    expect(done.state).toBe('succeeded');
    const reply = await stack.ok<{ undoing: number; tasks: string[]; withoutUndo: string[] }>(
      'POST',
      `/runs/${run2}/undo`,
    );
    expect(reply.undoing).toBe(done.result.done.length);
    expect(reply.withoutUndo).toEqual([]);
    await waitFor(
      async () => (await stack.ok<RunView>('GET', `/runs/${run2}`)).counts.undone === reply.undoing,
      'every task to be undone',
    );
    const undoMarks = marksOf('ur').filter((m) => m.task.endsWith('~undo'));
    const startOf = (task: string) =>
      undoMarks.find((m) => m.edge === 'start' && m.task === `${task}~undo`)?.at as bigint;
    const endOf = (task: string) =>
      undoMarks.find((m) => m.edge === 'end' && m.task === `${task}~undo`)?.at as bigint;
    for (const host of ['ur01', 'ur02']) {
      // Batch of Y (the later one) is undone first; within a job: start, then uprpm, then stop.
      expect(endOf(`${host}_Y_stop`) < startOf(`${host}_X_start`)).toBe(true);
      for (const c of ['X', 'Y']) {
        expect(endOf(`${host}_${c}_start`) < startOf(`${host}_${c}_uprpm`)).toBe(true);
        expect(endOf(`${host}_${c}_uprpm`) < startOf(`${host}_${c}_stop`)).toBe(true);
      }
    }
  });

  it('pauses after the batch in flight, starts no new batch, and resumes to success', async () => {
    const { id, plan } = await preparedProject(stack, 'pause', {
      inventory: cluster('pa', 2, ['X', 'Y']),
      descriptor: upgradeTo(['X', 'Y']),
      logicBook: SEED_LOGIC,
    });
    for (const t of plan.mission[0].flat(2)) scripts.slowTask(t, 1.5);
    const run = await startRun(stack, id, {});
    await waitFor(() => marksOf('pa').some((m) => m.edge === 'start'), 'the first batch to start');
    expect((await stack.ok<{ state: string }>('POST', `/runs/${run}/pause`)).state).toBe('running');
    const paused = await waitForRun(stack, run, (r) => r.state === 'paused');
    expect(paused.batch.index).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    const second = new Set(plan.mission[1].flat(2));
    expect(marksOf('pa').filter((m) => second.has(m.task))).toEqual([]);
    expect((await stack.ok<RunView>('GET', `/runs/${run}`)).state).toBe('paused');

    await stack.ok('POST', `/runs/${run}/resume`);
    const view = await waitForRun(stack, run);
    expect(view.state).toBe('succeeded');
    expect([...startsPerTask(marksOf('pa')).values()].every((n) => n === 1)).toBe(true);
  });

  it('cancels: the batch in flight stops dispatching, the run ends cancelled, nothing later runs', async () => {
    const { id, plan } = await preparedProject(stack, 'cancel', {
      inventory: cluster('ca', 4, ['X', 'Y']),
      descriptor: upgradeTo(['X', 'Y']),
      logicBook: SEED_LOGIC,
    });
    for (const t of plan.mission[0].flat(2)) scripts.slowTask(t, 1.5);
    const run = await startRun(stack, id, { policy: { max_in_flight: 2 } });
    await waitFor(() => marksOf('ca').some((m) => m.edge === 'start'), 'the first batch to start');
    await stack.ok('POST', `/runs/${run}/cancel`);
    const view = await waitForRun(stack, run);
    expect(view.state).toBe('cancelled');
    // Two nodes at a time: the first two jobs (two tasks each) ran, nothing else started.
    const started = new Set(
      marksOf('ca')
        .filter((m) => m.edge === 'start')
        .map((m) => m.task),
    );
    expect(new Set([...started].map(hostOf)).size).toBe(2);
    expect(started.size).toBe(4);
    expect([...started].every((t) => plan.mission[0].flat(2).includes(t))).toBe(true);
    expect(view.result.done.sort()).toEqual([...started].sort());
    expect(view.result.undo.length).toBe(Object.keys(plan.tasks).length - 4);
    expect((await stack.request('POST', `/runs/${run}/resume`)).status).toBe(200);
    expect((await waitForRun(stack, run)).state).toBe('succeeded');
  });

  describe.each([
    { threshold: 0, allowed: 0 },
    { threshold: 2, allowed: 2 },
    { threshold: '10%', allowed: 3 },
  ])('error_threshold $threshold', ({ threshold, allowed }) => {
    it(`stops after ${allowed + 1} failures and starts nothing once the budget is exceeded`, async () => {
      const prefix = `eb${String(threshold).replace('%', 'p')}-`;
      // One batch of ten 3-stage jobs (30 tasks), two nodes at a time. Odd nodes fail their uprpm at
      // once; even nodes take 0.4 s a stage, so each of their gates comes well after the failures
      // before it (two nodes at the same stage boundary would race by milliseconds, by nature).
      const { id } = await preparedProject(stack, `budget-${prefix}`, {
        inventory: cluster(prefix, 10, ['X']),
        descriptor: upgradeTo(['X']),
        logicBook: stagedLogic(),
      });
      const failing = ['01', '03', '05', '07', '09'].map((n) => `${prefix}${n}_X_uprpm`);
      for (const t of failing) scripts.failTask(t);
      for (const n of ['02', '04', '06', '08', '10']) {
        for (const action of ['stop', 'uprpm', 'start'])
          scripts.slowTask(`${prefix}${n}_X_${action}`, 0.4);
      }
      const run = await startRun(stack, id, {
        policy: { max_in_flight: 2, error_threshold: threshold },
      });
      const view = await waitForRun(stack, run);
      expect(view.state).toBe('failed');
      const marks = marksOf(prefix);
      const failures = failing.filter((t) => marks.some((m) => m.task === t && m.edge === 'end'));
      expect(failures.length).toBe(allowed + 1);
      expect(view.result.fail.sort()).toEqual([...failures].sort());
      const exceededAt = marks.find((m) => m.edge === 'end' && m.task === failures[allowed])
        ?.at as bigint;
      const startedLater = marks
        .filter((m) => m.edge === 'start' && m.at > exceededAt)
        .map((m) => m.task);
      expect(startedLater).toEqual([]);
      expect(view.result.undo.length).toBeGreaterThan(0);
    });
  });

  it.each([{ limit: 3 }, { limit: '30%' }])(
    'never runs more than max_in_flight=$limit nodes at once',
    async ({ limit }) => {
      const prefix = `mf${String(limit).replace('%', 'p')}-`;
      const { id } = await preparedProject(stack, `inflight-${prefix}`, {
        inventory: cluster(prefix, 10, ['X']),
        descriptor: upgradeTo(['X']),
        logicBook: stagedLogic(),
      });
      const run = await startRun(stack, id, { policy: { max_in_flight: limit } });
      expect((await waitForRun(stack, run)).state).toBe('succeeded');
      const concurrent = maxConcurrentHosts(marksOf(prefix), hostOf);
      expect(concurrent).toBeLessThanOrEqual(3);
      expect(concurrent).toBeGreaterThanOrEqual(2);
    },
  );

  it('stops at a failed canary check before any other host is touched, and the canary can be undone', async () => {
    const inventory = cluster('cn', 4, ['X'], (i) => ({ groups: { az: i < 2 ? 'az1' : 'az2' } }));
    const { id } = await preparedProject(stack, 'canary', {
      inventory,
      descriptor: upgradeTo(['X']),
      logicBook: stagedLogic({ split: { canary: 1, by: 'az' }, verify: 'healthcheck' }),
    });
    scripts.failTask('cn01_X_healthcheck');
    const run = await startRun(stack, id, {});
    const view = await waitForRun(stack, run);
    expect(view.state).toBe('failed');
    expect(view.result.fail).toEqual(['cn01_X_healthcheck']);
    expect(marksOf('cn').filter((m) => !m.task.startsWith('cn01'))).toEqual([]);
    const failed = await stack.ok<{ task: string; host: string }[]>(
      'GET',
      `/runs/${run}/tasks?state=failed`,
    );
    expect(failed.map((f) => f.host)).toEqual(['cn01']);

    const undo = await stack.ok<{ undoing: number; tasks: string[] }>('POST', `/runs/${run}/undo`);
    expect(undo.tasks).toEqual(['cn01_X_start', 'cn01_X_uprpm', 'cn01_X_stop']);
    await waitFor(
      async () => (await stack.ok<RunView>('GET', `/runs/${run}`)).counts.undone === 3,
      'the canary to be undone',
    );
  });

  it('runs two disjoint runs at once and refuses a third that overlaps, naming the instances', async () => {
    const one = await preparedProject(stack, 'par-1', {
      inventory: cluster('pp', 2, ['X']),
      descriptor: upgradeTo(['X']),
      logicBook: stagedLogic(),
    });
    const two = await preparedProject(stack, 'par-2', {
      inventory: cluster('qq', 2, ['X']),
      descriptor: upgradeTo(['X']),
      logicBook: stagedLogic(),
    });
    scripts.slowTask('pp01_X_uprpm', 1.5);
    scripts.slowTask('qq01_X_uprpm', 1.5);
    const run1 = await startRun(stack, one.id, {});
    const run2 = await startRun(stack, two.id, {});
    const third = await stack.request<{ error: string; conflicts: string[] }>(
      'POST',
      `/projects/${one.id}/runs`,
      { hosts: ['pp01'] },
    );
    expect(third.status).toBe(409);
    expect(third.body.error).toBe('RUN.CONFLICT');
    expect(third.body.conflicts).toEqual(['pp01/X']);
    const [v1, v2] = await Promise.all([waitForRun(stack, run1), waitForRun(stack, run2)]);
    expect([v1.state, v2.state]).toEqual(['succeeded', 'succeeded']);
    const span = (prefix: string) => {
      const m = marksOf(prefix);
      return [m.find((x) => x.edge === 'start')?.at as bigint, m[m.length - 1].at];
    };
    const [a, b] = [span('pp'), span('qq')];
    expect(a[0] < b[1] && b[0] < a[1]).toBe(true);
  });

  it('runs node additions and removals end to end (install, uninstall, a registry notice)', async () => {
    const logicBook = {
      name: 'membership',
      modes: {
        restart: ['stop', 'start'],
        install: ['install', 'start'],
        uninstall: ['stop', 'uninstall'],
      },
      undo: { install: 'uninstall', start: 'stop' },
      commands: { scale: ['remove', 'add', 'notify'] },
      invariants: { odd: ['management'] },
      phases: [
        { name: 'remove', actions: ['stop', 'uninstall'], where: { nodes: ['mm03'] } },
        { name: 'add', actions: ['install', 'start'], where: { nodes: ['mm04'] } },
        {
          name: 'notify',
          scope: 'global',
          target: 'registry',
          action: 'notify-registry',
          when: { membership: true },
        },
      ],
    };
    const descriptor = {
      name: 'replace',
      packages: [],
      nodes: {
        add: [{ id: 'mm04', roles: ['management'], components: [{ name: 'X', version: '2.0' }] }],
        remove: ['mm03'],
      },
    };
    const { id, plan } = await preparedProject(stack, 'membership', {
      inventory: cluster('mm', 3, ['X'], () => ({ roles: ['management'] })),
      descriptor,
      logicBook,
    });
    expect(Object.keys(plan.tasks).sort()).toEqual([
      'mm03_X_stop',
      'mm03_X_uninstall',
      'mm04_X_install',
      'mm04_X_start',
      'upg-server_registry_notify-registry',
    ]);
    const run = await startRun(stack, id, { command: 'scale' });
    const view = await waitForRun(stack, run);
    expect(view.state).toBe('succeeded');
    expect(startsPerTask(scripts.marks()).get('upg-server_registry_notify-registry')).toBe(1);
  });

  it('reports per component × action durations for a project', async () => {
    const { id } = await preparedProject(stack, 'stats', {
      inventory: cluster('st', 3, ['X', 'Y']),
      descriptor: upgradeTo(['X', 'Y']),
      logicBook: SEED_LOGIC,
    });
    scripts.slowTask('st01_Y_uprpm', 0.6);
    const run = await startRun(stack, id, {});
    expect((await waitForRun(stack, run)).state).toBe('succeeded');
    const stats = await stack.ok<
      { component: string; action: string; count: number; p50: number; p95: number; max: number }[]
    >('GET', `/projects/${id}/stats`);
    expect(stats).toHaveLength(10);
    const uprpmY = stats.find((s) => s.component === 'Y' && s.action === 'uprpm');
    expect(uprpmY?.count).toBe(3);
    expect(uprpmY?.max).toBeGreaterThanOrEqual(0.6);
    expect(stats[0]).toMatchObject({ component: 'Y', action: 'uprpm' });
  });
});
