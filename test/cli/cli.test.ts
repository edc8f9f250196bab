import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freshDatabase, testNamespace } from '../support/database';
import {
  closedPort,
  deleteStatusStream,
  ferry,
  removeTempDirs,
  requireBuilt,
  startSystem,
  tempDir,
  type StartedSystem,
} from './cli-process';

/**
 * The operator's path through a running Ferry, with the compiled `ferry` against a system started
 * by `startSystem` (real NATS and PostgreSQL, every service a child process): the seed example is
 * created, collected, planned, run (a failing check, its output, a retry) and upgraded.
 */

const seed = resolve(__dirname, '..', '..', 'examples', 'seed');
const ACTIONS = ['dispatch', 'check', 'stop', 'uprpm', 'start', 'cleanup', 'downrpm'];

/** Harmless scripts; B_X_check fails ("disk full") until the marker file exists. */
function writeScripts(dir: string, marker: string): string {
  const scripts = join(dir, 'scripts');
  mkdirSync(join(scripts, '_default'), { recursive: true });
  for (const action of ACTIONS) {
    const failing =
      action === 'check'
        ? `if [ "$FERRY_TASK" = "B_X_check" ] && [ ! -e "${marker}" ]; then\n  echo "checking $FERRY_TARGET on $FERRY_HOST"\n  echo "disk full on $FERRY_HOST" >&2\n  exit 3\nfi\n`
        : '';
    const file = join(scripts, '_default', action);
    writeFileSync(
      file,
      `#!/bin/sh\n${failing}echo "$FERRY_TASK: ${action} done (attempt $FERRY_ATTEMPT)"\n`,
    );
    chmodSync(file, 0o755);
  }
  return scripts;
}

describe('ferry against a running system', () => {
  let system: StartedSystem;
  let drop: () => Promise<void>;
  let namespace: string;
  let env: NodeJS.ProcessEnv;
  let marker: string;
  let failedRun: string;

  beforeAll(async () => {
    requireBuilt();
    const db = await freshDatabase('cli');
    await db.dataSource.destroy();
    drop = db.drop;
    namespace = testNamespace('cli');
    const dir = tempDir('system');
    marker = join(dir, 'disk-fixed');
    system = await startSystem({
      stateDir: join(dir, 'state'),
      port: 0,
      namespace,
      natsUrl: process.env.NATS_URL,
      databaseUrl: db.url,
      scripts: writeScripts(dir, marker),
      env: { ...process.env, FERRY_TOKENS: '' },
    });
    env = { FERRY_API: system.apiUrl, FERRY_TOKEN: system.token };
  });

  afterAll(async () => {
    await system?.stop();
    await drop?.();
    if (namespace) await deleteStatusStream(process.env.NATS_URL as string, namespace);
    removeTempDirs();
  });

  it('creates a project from the seed files', async () => {
    const r = await ferry(
      [
        'project',
        'create',
        'seed',
        '--inventory',
        join(seed, 'inventory.yaml'),
        '--descriptor',
        join(seed, 'descriptor.yaml'),
        '--logic',
        join(seed, 'logic.yaml'),
      ],
      env,
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^project seed created \(id [0-9a-f-]{36}\)/);
  });

  it('refuses a broken descriptor with exit 2 and a file: path: message line', async () => {
    const broken = join(tempDir('broken'), 'descriptor.yaml');
    writeFileSync(
      broken,
      'name: broken\npackages:\n  - { component: X, version: 2.0, mode: restart }\n',
    );
    const r = await ferry(
      [
        'project',
        'create',
        'broken',
        '--inventory',
        join(seed, 'inventory.yaml'),
        '--descriptor',
        broken,
        '--logic',
        join(seed, 'logic.yaml'),
      ],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${broken}: packages[0].version: `);
    expect(r.stdout).toBe('');
  });

  it('collects the snapshot', async () => {
    const r = await ferry(['collect', 'seed'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^snapshot [0-9a-f-]{36}: 2 nodes, 4 instances, 3 components/);
  });

  it('compiles the plan and shows it for review', async () => {
    const r = await ferry(['plan', 'seed', '--show'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('A_X_dispatch, A_Y_dispatch, B_X_dispatch');
    expect(r.stdout).toMatch(/tasks\s+15/);
    expect(r.stdout).toMatch(/batches\s+7/);
  });

  it('follows a run that fails: exit 1, the failed task and the tail of its output', async () => {
    const r = await ferry(['run', 'seed', '--command', 'prepare', '--follow'], env);
    expect(r.code).toBe(1);
    failedRun = (r.stdout.match(/^run ([0-9a-f-]{36}) /m) ?? [])[1];
    expect(failedRun).toBeDefined();
    expect(r.stdout).toContain('batch 1/2 ended, 3 succeeded');
    expect(r.stdout).toContain('batch 2/2 ended, 2 succeeded, 1 failed');
    expect(r.stdout).toMatch(/failed in .*: done 5, fail 1, undo 0/);
    expect(r.stdout).toContain('  B_X_check  (B, attempt 1, failed, exit 3)');
    expect(r.stdout).toContain('    | disk full on B');
    expect(r.stderr).toContain(`run ${failedRun} failed`);
  });

  it('reports the failed run with status, exit 0', async () => {
    const r = await ferry(['status', failedRun], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`run ${failedRun}  failed`);
    expect(r.stdout).toMatch(/tasks\s+succeeded 5, failed 1/);
    expect(r.stdout).toMatch(/result\s+done 5, fail 1, undo 0/);
  });

  it('retries the failed task once its cause is fixed', async () => {
    writeFileSync(marker, 'fixed\n');
    const r = await ferry(['retry', 'B_X_check', '--run', failedRun], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^retry of B_X_check: attempt 2 /);
    // The new attempt runs within the run; wait until the database has it.
    let counts: Record<string, number> = {};
    for (let i = 0; i < 600 && counts.succeeded !== 6; i++) {
      await new Promise((r2) => setTimeout(r2, 100));
      counts = JSON.parse((await ferry(['status', failedRun, '--json'], env)).stdout).counts;
    }
    expect(counts).toEqual({ succeeded: 6 });
  });

  it('runs the upgrade to the end: exit 0 with the {done, fail, undo} counts', async () => {
    const r = await ferry(['run', 'seed', '--command', 'upgrade', '--follow'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('batch 5/5 ended');
    expect(r.stdout).toMatch(/succeeded in .*: done 9, fail 0, undo 0/);
  });

  it('refuses a run with nothing left to do (exit 2)', async () => {
    const r = await ferry(['run', 'seed', '--command', 'upgrade'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/RUN\.EMPTY/);
  });

  it('refuses an unknown command name (exit 2, the problem named)', async () => {
    const r = await ferry(['run', 'seed', '--command', 'upgarde'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('upgarde');
  });

  it('answers status of an unknown run with exit 2', async () => {
    const r = await ferry(['status', '00000000-0000-4000-8000-000000000000'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/NOT_FOUND/);
  });

  it('shows the task durations per component and action', async () => {
    const r = await ferry(['stats', 'seed'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^component\s+action\s+count\s+p50\s+p95\s+max$/);
    expect(r.stdout).toMatch(/^X\s+check\s+3 /m);
  });

  it('needs a token (exit 2) and says so', async () => {
    const r = await ferry(['project', 'list'], { ...env, FERRY_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/AUTH\.MISSING_TOKEN[\s\S]*FERRY_TOKEN/);
  });

  it('says to start Ferry when the API does not answer (exit 1)', async () => {
    const r = await ferry(['status', failedRun], {
      ...env,
      FERRY_API: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach the Ferry API .* is `ferry up` running\?/);
  });
});
