import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  batchOrderViolations,
  restrict,
  stageOrderViolations,
  startsPerTask,
} from './support/execution-log';
import { markerScripts, type MarkerScripts } from './support/marker-scripts';
import { preparedProject, startRun, taskStates, waitForRun } from './support/runs';
import { Stack, TOKENS } from './support/stack';

const ACTIONS = [
  'dispatch',
  'check',
  'stop',
  'uprpm',
  'start',
  'reload',
  'healthcheck',
  'db-sync',
  'pin-rpc',
  'unpin-rpc',
  'cleanup',
  'downrpm',
];

/** Issue 3: the openstack-ffu example through the whole stack, failures, and the API's guard rails. */
describe('the distributed pipeline, end to end', () => {
  let stack: Stack;
  let scripts: MarkerScripts;

  beforeAll(async () => {
    scripts = markerScripts(mkdtempSync(join(tmpdir(), 'ferry-marks-')), ACTIONS);
    stack = await Stack.start({ label: 'pipeline', executor: { scripts: scripts.dir } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs the openstack-ffu plan: every task once, batches and stages in order, all succeeded', async () => {
    const { id, plan } = await preparedProject(stack, 'ffu', { example: 'openstack-ffu' });
    const run = await startRun(stack, id, {});
    const view = await waitForRun(stack, run);

    expect(view.state).toBe('succeeded');
    const all = Object.keys(plan.tasks);
    expect(view.result.done.sort()).toEqual([...all].sort());
    expect(view.result.fail).toEqual([]);
    expect(view.result.undo).toEqual([]);
    const states = await taskStates(stack, run);
    expect([...states.values()].every((t) => t.state === 'succeeded')).toBe(true);

    const marks = scripts.marks();
    const starts = startsPerTask(marks);
    expect(all.filter((t) => starts.get(t) !== 1)).toEqual([]);
    expect(batchOrderViolations(plan.mission, marks)).toEqual([]);
    expect(stageOrderViolations(plan.mission, marks)).toEqual([]);
  });

  it('stops at a failing script: the batch in flight finishes, later tasks are skipped, {done, fail, undo} exact', async () => {
    const { id, plan } = await preparedProject(stack, 'seed-fail', {
      example: 'seed',
      // Hosts of their own, so this project's instances are not locked by another test's.
      inventory: {
        nodes: [
          {
            id: 'fa',
            roles: ['management'],
            components: [
              { name: 'X', version: '1.0' },
              { name: 'Y', version: '1.0' },
            ],
          },
          { id: 'fb', roles: ['compute'], components: [{ name: 'X', version: '1.0' }] },
        ],
      },
    });
    scripts.failTask('fa_X_stop');
    const run = await startRun(stack, id, {});
    const view = await waitForRun(stack, run);

    expect(view.state).toBe('failed');
    // Batches: dispatch, check, stop(X) ← fails here, stop(Y), uprpm, start(Y), start(X).
    const stopBatch = plan.mission.findIndex((b) => b.flat(2).includes('fa_X_stop'));
    const before = plan.mission.slice(0, stopBatch + 1).flat(3);
    const after = plan.mission.slice(stopBatch + 1).flat(3);
    expect(view.result.fail).toEqual(['fa_X_stop']);
    expect(view.result.done.sort()).toEqual(before.filter((t) => t !== 'fa_X_stop').sort());
    expect(view.result.undo.sort()).toEqual([...after].sort());
    const states = await taskStates(stack, run);
    for (const t of after) expect(states.get(t)?.state).toBe('skipped');
    // The rest of the batch in flight (fb_X_stop) still ran to its end.
    expect(states.get('fb_X_stop')?.state).toBe('succeeded');
    const marks = scripts.marks();
    expect(marks.filter((m) => after.includes(m.task))).toEqual([]);

    const failed = await stack.ok<{ task: string; output: string; exitCode: number }[]>(
      'GET',
      `/runs/${run}/tasks?state=failed`,
    );
    expect(failed.map((f) => f.task)).toEqual(['fa_X_stop']);
    expect(failed[0].exitCode).toBe(3);
    expect(failed[0].output).toContain('injected failure of fa_X_stop');
  });

  it("runs a slice of the plan and only that, in the slice's own order", async () => {
    const { id, plan } = await preparedProject(stack, 'seed-slice', {
      example: 'seed',
      inventory: {
        nodes: [
          {
            id: 'sa',
            roles: ['management'],
            components: [
              { name: 'X', version: '1.0' },
              { name: 'Y', version: '1.0' },
            ],
          },
          { id: 'sb', roles: ['compute'], components: [{ name: 'X', version: '1.0' }] },
        ],
      },
    });
    const run = await startRun(stack, id, { command: 'upgrade', instances: ['sa/Y', 'sb/X'] });
    const view = await waitForRun(stack, run);
    expect(view.state).toBe('succeeded');
    const selected = new Set(view.result.done);
    expect([...selected].sort()).toEqual([
      'sa_Y_start',
      'sa_Y_stop',
      'sa_Y_uprpm',
      'sb_X_start',
      'sb_X_stop',
      'sb_X_uprpm',
    ]);
    const mission = restrict(plan.mission, selected);
    expect(mission.length).toBe(5);
    expect(batchOrderViolations(mission, scripts.marks())).toEqual([]);
  });

  it('guards the API: 401 without a token, 403 for a viewer starting a run, 400 with paths for a broken descriptor', async () => {
    expect((await stack.request('GET', '/projects', undefined, null)).status).toBe(401);
    expect((await stack.request('GET', '/projects', undefined, 'not-a-token')).status).toBe(401);
    const { id } = await preparedProject(stack, 'seed-auth', {
      example: 'seed',
      inventory: {
        nodes: [{ id: 'ua', roles: ['management'], components: [{ name: 'X', version: '1.0' }] }],
      },
      descriptor: { name: 'auth', packages: [{ component: 'X', version: '2.0', mode: 'restart' }] },
      logicBook: {
        modes: { restart: ['stop', 'start'] },
        commands: { upgrade: ['stop', 'start'] },
        phases: [{ action: 'stop' }, { action: 'start' }],
      },
    });
    const forbidden = await stack.request<{ error: string }>(
      'POST',
      `/projects/${id}/runs`,
      { command: 'upgrade' },
      TOKENS.viewer,
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toBe('AUTH.FORBIDDEN');

    const broken = await stack.request<{
      error: string;
      problems: { path: string; message: string }[];
    }>('POST', '/projects', {
      name: 'broken',
      inventory: 'nodes: []',
      descriptor:
        'name: x\npackages:\n  - { component: X, version: 2.0, mode: restart, colour: red }\n',
      logicBook: 'modes: {restart: [stop]}\nphases: [{action: stop}]\n',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['descriptor: packages[0].version', 'descriptor: packages[0].colour']),
    );
    expect((await stack.request('GET', '/projects/broken')).status).toBe(404);

    // Every change is in the audit log, which only an admin reads.
    expect((await stack.request('GET', '/audit', undefined, TOKENS.operator)).status).toBe(403);
    const audit = await stack.ok<{ action: string; actor: string; subject: string }[]>(
      'GET',
      '/audit?limit=500',
    );
    expect(audit.filter((e) => e.subject === id).map((e) => e.action)).toEqual(
      expect.arrayContaining(['project.create', 'collect', 'plan.compile']),
    );
    expect(audit.every((e) => e.actor.length > 0)).toBe(true);
  });

  it('documents the API: OpenAPI at /docs, health and the operator page without a token', async () => {
    const openapi = await stack.request<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/docs/json',
      undefined,
      null,
    );
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/projects',
        '/projects/{project}/runs',
        '/runs/{run}',
        '/runs/{run}/tasks/{task}/retry',
      ]),
    );
    expect((await stack.request('GET', '/docs', undefined, null)).status).toBe(200);
    expect(
      (await stack.request<{ status: string }>('GET', '/health', undefined, null)).body.status,
    ).toBe('ok');
    const page = await stack.request<string>('GET', '/', undefined, null);
    expect(page.body).toContain('<title>Ferry</title>');
  });
});
