import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../main';

/** Temporary folders of this file, removed after it. */
const scratchDirs: string[] = [];
const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs the CLI in this process, capturing what it prints. */
async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const stdout = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((c: unknown) => (out.push(String(c)), true));
  const stderr = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((c: unknown) => (err.push(String(c)), true));
  try {
    const code = await main(['node', 'ferry', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.env = saved;
  }
}

interface Route {
  status?: number;
  body: unknown;
}

/** A stand-in API on a local HTTP server: `METHOD path` → answer; it records what it was sent. */
async function fakeApi(routes: Record<string, Route>) {
  const seen: { method: string; url: string; body: string; auth?: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body,
        auth: req.headers.authorization,
      });
      const route = routes[`${req.method} ${req.url}`];
      res.statusCode = route?.status ?? (route ? 200 : 404);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify(
          route?.body ?? { error: 'NOT_FOUND', message: `${req.url} does not exist`, problems: [] },
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const seed = join(__dirname, '..', '..', '..', '..', '..', 'examples', 'seed');

describe('ferry plan (offline and online forms in one command)', () => {
  it('hands -i/-d/-l to the offline compiler unchanged', async () => {
    const file = join(scratch('ferry-plan-'), 'plan.json');
    const r = await cli([
      'plan',
      '-i',
      join(seed, 'inventory.yaml'),
      '-d',
      join(seed, 'descriptor.yaml'),
      '-l',
      join(seed, 'logic.yaml'),
      '-o',
      file,
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('ferry.plan/v1');
  });

  it('keeps the offline checks: without -i (and without PROJECT) it is an input error', async () => {
    const r = await cli(['plan', '-l', join(seed, 'logic.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--inventory/);
  });

  it('refuses offline flags together with a PROJECT', async () => {
    const r = await cli(['plan', 'demo', '-i', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/offline form/);
  });

  it('compiles on the API with a PROJECT and prints the summary', async () => {
    const api = await fakeApi({
      'POST /projects/demo/plan': {
        body: {
          plan: 'p1',
          name: 'restart',
          tasks: 15,
          batches: 7,
          hosts: 2,
          instancesTouched: 3,
          alreadyAtTarget: 0,
          phases: [{ name: 'stop', batches: [2, 4], tasks: 3 }],
        },
      },
    });
    try {
      const r = await cli(['plan', 'demo'], { FERRY_API: api.url, FERRY_TOKEN: 't0k' });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('plan p1 (restart): 15 tasks in 7 batches on 2 hosts');
      expect(r.stdout).toMatch(/stop\s+2-3\s+3/);
      expect(api.seen[0].auth).toBe('Bearer t0k');
    } finally {
      await api.close();
    }
  });
});

describe('online commands against the API', () => {
  it('sends a file inventory as text and a sim:// one as a source', async () => {
    const api = await fakeApi({
      'POST /projects': { status: 201, body: { id: 'id1', name: 'demo' } },
    });
    try {
      const args = [
        '--descriptor',
        join(seed, 'descriptor.yaml'),
        '--logic',
        join(seed, 'logic.yaml'),
      ];
      expect(
        (
          await cli(
            ['project', 'create', 'demo', '--inventory', join(seed, 'inventory.yaml'), ...args],
            { FERRY_API: api.url },
          )
        ).code,
      ).toBe(0);
      expect(
        (
          await cli(['project', 'create', 'demo', '--inventory', 'sim://nodes=3', ...args], {
            FERRY_API: api.url,
          })
        ).code,
      ).toBe(0);
      const [file, sim] = api.seen.map((s) => JSON.parse(s.body));
      expect(file.inventory).toBe(readFileSync(join(seed, 'inventory.yaml'), 'utf8'));
      expect(sim.inventory).toEqual({ source: 'sim://nodes=3' });
      expect(file.logicBook).toContain('restart-upgrade');
    } finally {
      await api.close();
    }
  });

  it("prints the API's problems against the operator's own file names (exit 2)", async () => {
    const dir = scratch('ferry-bad-');
    const descriptor = join(dir, 'broken.yaml');
    writeFileSync(descriptor, 'name: x\n');
    const api = await fakeApi({
      'POST /projects': {
        status: 400,
        body: {
          error: 'INPUT.INVALID',
          message: 'invalid',
          problems: [
            {
              file: 'descriptor',
              path: 'descriptor: packages',
              message: 'is required',
              code: 'INPUT.MISSING_KEY',
            },
          ],
        },
      },
    });
    try {
      const r = await cli(
        [
          'project',
          'create',
          'x',
          '--inventory',
          'sim://nodes=2',
          '--descriptor',
          descriptor,
          '--logic',
          join(seed, 'logic.yaml'),
        ],
        { FERRY_API: api.url },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`${descriptor}: packages: is required [INPUT.MISSING_KEY]\n`);
    } finally {
      await api.close();
    }
  });

  it('turns the run flags into the request body', async () => {
    const api = await fakeApi({
      'POST /projects/demo/runs': {
        status: 201,
        body: { id: 'r1', state: 'running', tasks: 4, batches: 2 },
      },
    });
    try {
      const r = await cli(
        [
          'run',
          'demo',
          '--command',
          'upgrade',
          '--hosts',
          'A,B',
          '--max-in-flight',
          '25%',
          '--error-threshold',
          '2',
          '--include-done',
        ],
        { FERRY_API: api.url },
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('run r1 running for project demo: 4 tasks in 2 batches');
      expect(JSON.parse(api.seen[0].body)).toEqual({
        command: 'upgrade',
        hosts: ['A', 'B'],
        exclude_done: false,
        policy: { max_in_flight: '25%', error_threshold: 2 },
      });
    } finally {
      await api.close();
    }
  });

  it('rejects a malformed limit before asking the API (exit 2)', async () => {
    const r = await cli(['run', 'demo', '--command', 'upgrade', '--max-in-flight', 'lots'], {
      FERRY_API: 'http://127.0.0.1:9',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-in-flight/);
  });

  it('follows a run that fails: its failed tasks with their output, exit 1', async () => {
    const failed = {
      id: 'r1',
      project: 'p',
      state: 'failed',
      counts: { succeeded: 1, failed: 1 },
      batch: { index: 1, total: 1 },
      result: { done: ['A_X_check'], fail: ['B_X_check'], undo: [] },
      reason: '1 task(s) failed',
      tasks: 2,
    };
    const api = await fakeApi({
      'POST /projects/demo/runs': {
        status: 201,
        body: { id: 'r1', state: 'running', tasks: 2, batches: 1 },
      },
      'GET /runs/r1': { body: failed },
      'GET /runs/r1/tasks?state=failed&limit=50': {
        body: [
          {
            task: 'B_X_check',
            host: 'B',
            target: 'X',
            action: 'check',
            batch: 0,
            state: 'failed',
            attempt: 1,
            exitCode: 1,
            startedAt: null,
            endedAt: null,
            output: 'checking\ndisk full\n',
          },
        ],
      },
      'GET /runs/r1/tasks?state=timed_out&limit=50': { body: [] },
      'GET /runs/r1/tasks?state=lost&limit=50': { body: [] },
    });
    try {
      const r = await cli(['run', 'demo', '--command', 'prepare', '--follow'], {
        FERRY_API: api.url,
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('done 1, fail 1, undo 0');
      expect(r.stdout).toContain('  B_X_check  (B, attempt 1, failed, exit 1)');
      expect(r.stdout).toContain('    | disk full');
      expect(r.stderr).toContain('run r1 failed: 1 task(s) failed');
    } finally {
      await api.close();
    }
  });

  it('reports a failed run with `status` but exits 0; an unknown run exits 2', async () => {
    const api = await fakeApi({
      'GET /runs/r1': {
        body: {
          id: 'r1',
          project: 'p',
          state: 'failed',
          counts: { failed: 1, skipped: 2 },
          batch: { index: 1, total: 3 },
          result: { done: [], fail: ['t'], undo: ['u', 'v'] },
          reason: '1 task(s) failed',
        },
      },
    });
    try {
      const ok = await cli(['status', 'r1'], { FERRY_API: api.url });
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('run r1  failed');
      expect(ok.stdout).toContain('tasks     failed 1, skipped 2');
      expect(ok.stdout).toContain('result    done 0, fail 1, undo 2');
      const unknown = await cli(['status', 'nope'], { FERRY_API: api.url });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('NOT_FOUND');
    } finally {
      await api.close();
    }
  });

  it('says to start Ferry when nothing listens (exit 1)', async () => {
    const api = await fakeApi({});
    await api.close(); // a port that was just free
    const r = await cli(['status', 'r1'], { FERRY_API: api.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach the Ferry API .*ECONNREFUSED.*ferry up/);
  });

  it('prints stats as a table', async () => {
    const api = await fakeApi({
      'GET /projects/demo/stats': {
        body: [{ component: 'nova-api', action: 'stop', count: 3, p50: 1.5, p95: 2.25, max: 2.5 }],
      },
    });
    try {
      const r = await cli(['stats', 'demo'], { FERRY_API: api.url });
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').slice(0, 2)).toEqual([
        'component  action  count  p50   p95  max',
        'nova-api   stop        3  1.5  2.25  2.5',
      ]);
    } finally {
      await api.close();
    }
  });

  it('pauses, resumes and cancels a run; a control the run cannot take is exit 2', async () => {
    const api = await fakeApi({
      'POST /runs/r1/pause': { body: { id: 'r1', state: 'paused' } },
      'POST /runs/r1/cancel': { body: { id: 'r1', state: 'cancelled' } },
      'POST /runs/r1/resume': {
        status: 409,
        body: { error: 'RUN.WRONG_STATE', message: 'run r1 is cancelled', problems: [] },
      },
    });
    try {
      expect(await cli(['pause', 'r1'], { FERRY_API: api.url })).toMatchObject({
        code: 0,
        stdout: 'run r1: paused\n',
      });
      expect(await cli(['cancel', 'r1'], { FERRY_API: api.url })).toMatchObject({
        code: 0,
        stdout: 'run r1: cancelled\n',
      });
      expect(await cli(['resume', 'r1'], { FERRY_API: api.url })).toMatchObject({
        code: 2,
        stderr: 'RUN.WRONG_STATE: run r1 is cancelled\n',
      });
    } finally {
      await api.close();
    }
  });

  it('retries and undoes tasks, and undoes a whole run without a task', async () => {
    const api = await fakeApi({
      'POST /runs/r1/tasks/B_X_check%40pike/retry': {
        body: { task: 'B_X_check@pike', attempt: 2, started: true, runState: 'running' },
      },
      'POST /runs/r1/tasks/A_X_stop/undo': {
        body: { run: 'r1', undoing: 1, tasks: ['A_X_stop'], withoutUndo: [] },
      },
      'POST /runs/r1/undo': {
        body: { run: 'r1', undoing: 2, tasks: ['a', 'b'], withoutUndo: ['A_X_check'] },
      },
    });
    try {
      expect(
        (await cli(['retry', 'B_X_check@pike', '--run', 'r1'], { FERRY_API: api.url })).stdout,
      ).toBe('retry of B_X_check@pike: attempt 2 started (run running)\n');
      expect((await cli(['undo', 'A_X_stop', '--run', 'r1'], { FERRY_API: api.url })).stdout).toBe(
        'undo of A_X_stop: 1 undo task(s) running in run r1\n',
      );
      const whole = await cli(['undo', '--run', 'r1'], { FERRY_API: api.url });
      expect(whole.code).toBe(0);
      expect(whole.stdout).toBe(
        'undo of run r1: 2 undo task(s) running in run r1\n  without an undo action (left as they are): A_X_check\n',
      );
      const missing = await cli(['retry', 'A_X_stop'], { FERRY_API: api.url });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/--run/);
    } finally {
      await api.close();
    }
  });
});
