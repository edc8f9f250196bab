import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUT_TAIL_BYTES, TaskState, type TaskSpecDto } from '@ferry/contracts';
import { ScriptRunner } from './script-runner';

function spec(overrides: Partial<TaskSpecDto> = {}): TaskSpecDto {
  return {
    task: 'n1_nova-api_uprpm',
    run: 'run-1',
    attempt: 2,
    host: 'n1',
    target: 'nova-api',
    action: 'uprpm',
    mode: 'restart',
    from: '21.0',
    to: '22.0',
    release: null,
    rpms: ['nova-api-22.0', 'python-nova-22.0'],
    timeout_s: 30,
    ...overrides,
  };
}

describe('ScriptRunner', () => {
  let dir: string;
  const started: string[] = [];
  const hooks = { onStarted: (at: string) => void started.push(at) };

  async function script(path: string, body: string, mode = 0o755): Promise<string> {
    const full = join(dir, path);
    await mkdir(join(full, '..'), { recursive: true });
    await writeFile(full, `#!/bin/sh\n${body}\n`);
    await chmod(full, mode);
    return full;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-scripts-'));
    started.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('passes the task context only as environment variables, with no arguments', async () => {
    await script('nova-api/uprpm', 'echo "args=$#"; env | grep ^FERRY_ | sort');
    const runner = new ScriptRunner({
      scriptsDir: dir,
      killGraceMs: 100,
      baseEnv: {
        PATH: process.env.PATH,
        FERRY_TOKENS: 'admin:secret',
        DATABASE_URL: 'postgres://x',
      },
    });
    const outcome = await runner.run(spec({ release: null, mode: null }), hooks);
    expect(outcome.state).toBe(TaskState.Succeeded);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.output.trim().split('\n')).toEqual([
      'args=0',
      'FERRY_ACTION=uprpm',
      'FERRY_ATTEMPT=2',
      'FERRY_FROM=21.0',
      'FERRY_HOST=n1',
      'FERRY_MODE=',
      'FERRY_RELEASE=',
      'FERRY_RPMS=nova-api-22.0 python-nova-22.0',
      'FERRY_RUN=run-1',
      'FERRY_TARGET=nova-api',
      'FERRY_TASK=n1_nova-api_uprpm',
      'FERRY_TO=22.0',
    ]);
    expect(started).toEqual([outcome.startedAt]);
  });

  it('never reads a value as shell syntax', async () => {
    const marker = join(dir, 'pwned');
    await script('_default/uprpm', 'echo "$FERRY_RPMS"');
    const runner = new ScriptRunner({ scriptsDir: dir, killGraceMs: 100 });
    const outcome = await runner.run(
      spec({ rpms: [`$(touch ${marker})`, '`id`;', '&&', 'rm -rf /'] }),
      hooks,
    );
    expect(outcome.output.trim()).toBe(`$(touch ${marker}) \`id\`; && rm -rf /`);
    await expect(readFile(marker)).rejects.toThrow();
  });

  it('runs an undo as <task>~undo, with the spec the dispatcher turned round passed on as is', async () => {
    await script('_default/downrpm', 'echo "$FERRY_TASK $FERRY_ACTION $FERRY_FROM $FERRY_TO"');
    const runner = new ScriptRunner({ scriptsDir: dir, killGraceMs: 100 });
    const outcome = await runner.run(
      spec({ action: 'downrpm', from: '22.0', to: '21.0', undo: true }),
      hooks,
    );
    expect(outcome.output.trim()).toBe('n1_nova-api_uprpm~undo downrpm 22.0 21.0');
  });

  it('prefers <target>/<action> over _default/<action>', async () => {
    await script('nova-api/uprpm', 'echo specific');
    await script('_default/uprpm', 'echo default');
    const runner = new ScriptRunner({ scriptsDir: dir, killGraceMs: 100 });
    expect((await runner.run(spec(), hooks)).output.trim()).toBe('specific');
    expect((await runner.run(spec({ target: 'keystone' }), hooks)).output.trim()).toBe('default');
  });

  it('fails with the exit code kept, stdout and stderr interleaved', async () => {
    await script('_default/uprpm', 'echo out1; echo err1 >&2; sleep 0.05; echo out2; exit 7');
    const outcome = await new ScriptRunner({ scriptsDir: dir, killGraceMs: 100 }).run(
      spec(),
      hooks,
    );
    expect(outcome.state).toBe(TaskState.Failed);
    expect(outcome.exitCode).toBe(7);
    expect(outcome.output).toContain('out1');
    expect(outcome.output).toContain('err1');
    expect(outcome.output.indexOf('err1')).toBeLessThan(outcome.output.indexOf('out2'));
  });

  it('fails without a script, naming target/action', async () => {
    const outcome = await new ScriptRunner({ scriptsDir: dir, killGraceMs: 100 }).run(
      spec(),
      hooks,
    );
    expect(outcome).toMatchObject({
      state: TaskState.Failed,
      exitCode: null,
      output: 'no script for nova-api/uprpm',
    });
    expect(started).toEqual([]);
  });

  it('fails a script without the executable bit with a clear message', async () => {
    const path = await script('_default/uprpm', 'echo hi', 0o644);
    const outcome = await new ScriptRunner({ scriptsDir: dir, killGraceMs: 100 }).run(
      spec(),
      hooks,
    );
    expect(outcome.state).toBe(TaskState.Failed);
    expect(outcome.output).toBe(`script ${path} is not executable (chmod +x it)`);
  });

  it('refuses targets and actions that would leave the scripts folder', async () => {
    await script('_default/uprpm', 'echo hi');
    const outcome = await new ScriptRunner({ scriptsDir: dir, killGraceMs: 100 }).run(
      spec({ target: '..', action: '../_default/uprpm' }),
      hooks,
    );
    expect(outcome.state).toBe(TaskState.Failed);
    expect(outcome.output).toMatch(/^invalid target/);
  });

  it('times out with SIGTERM: a script that exits on it ends timed_out', async () => {
    const marker = join(dir, 'got-term');
    await script(
      '_default/uprpm',
      `trap 'echo term > ${marker}; exit 143' TERM\necho started\nwhile :; do sleep 0.05; done`,
    );
    const outcome = await new ScriptRunner({ scriptsDir: dir, killGraceMs: 5000 }).run(
      spec({ timeout_s: 1 }),
      hooks,
    );
    expect(outcome.state).toBe(TaskState.TimedOut);
    expect(outcome.exitCode).toBe(143);
    expect(await readFile(marker, 'utf8')).toBe('term\n');
    expect(outcome.output).toContain('started');
    expect(outcome.output).toContain('timed out after 1 s');
  });

  it('times out with SIGKILL after the grace period when SIGTERM is ignored', async () => {
    await script('_default/uprpm', `trap '' TERM\necho stubborn\nwhile :; do sleep 0.05; done`);
    const outcome = await new ScriptRunner({ scriptsDir: dir, killGraceMs: 300 }).run(
      spec({ timeout_s: 1 }),
      hooks,
    );
    expect(outcome.state).toBe(TaskState.TimedOut);
    expect(outcome.exitCode).toBe(128 + 9);
  });

  it('keeps only the last 64 KiB of output', async () => {
    // ~200 KiB of numbered lines; the tail must end with the last one and start mid-stream.
    await script(
      '_default/uprpm',
      'i=0; while [ $i -lt 20000 ]; do echo "line $i xxxxxxxx"; i=$((i+1)); done; echo END',
    );
    const outcome = await new ScriptRunner({ scriptsDir: dir, killGraceMs: 100 }).run(
      spec(),
      hooks,
    );
    expect(outcome.state).toBe(TaskState.Succeeded);
    expect(Buffer.byteLength(outcome.output)).toBe(OUTPUT_TAIL_BYTES);
    expect(outcome.output.endsWith('line 19999 xxxxxxxx\nEND\n')).toBe(true);
    expect(outcome.output).not.toContain('line 0 ');
  });

  it('stops running scripts at shutdown and reports them failed', async () => {
    await script('_default/uprpm', 'echo working; while :; do sleep 0.05; done');
    const runner = new ScriptRunner({ scriptsDir: dir, killGraceMs: 100 });
    const pending = runner.run(spec(), {
      onStarted: () => setTimeout(() => runner.stopAll('the executor is shutting down'), 100),
    });
    const outcome = await pending;
    expect(outcome.state).toBe(TaskState.Failed);
    expect(outcome.output).toContain('the executor is shutting down: script stopped');
    expect(runner.count).toBe(0);
  });
});
