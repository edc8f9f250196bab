import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExit, ManagedProcess } from './managed-process';

/** Temporary folders of this file, removed after it. */
const scratchDirs: string[] = [];
const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const logFile = () => join(scratch('ferry-proc-'), 'child.log');

/** Running, not a zombie waiting for a reaper (in a container nobody may reap it). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

describe('ManagedProcess', () => {
  it('writes the child output to its log file, after a header line', async () => {
    const log = logFile();
    const p = ManagedProcess.start('echo', '/bin/sh', ['-c', 'echo hello; echo oops >&2'], {
      env: process.env,
      logFile: log,
    });
    expect(await p.exit).toEqual({ code: 0, signal: null });
    const text = readFileSync(log, 'utf8');
    expect(text).toMatch(/^--- .* ferry: starting echo: \/bin\/sh/);
    expect(text).toContain('hello\noops\n');
  });

  it('asks with SIGTERM first', async () => {
    const p = ManagedProcess.start('sleeper', '/bin/sh', ['-c', 'exec sleep 30'], {
      env: process.env,
      logFile: logFile(),
    });
    expect(await p.stop(10_000)).toEqual({ code: null, signal: 'SIGTERM' });
    expect(p.running).toBe(false);
  });

  it('insists with SIGKILL after the grace, and takes what the child started with it', async () => {
    const pidFile = join(scratch('ferry-proc-'), 'grandchild.pid');
    // The shell ignores SIGTERM and leaves a grandchild behind in its process group.
    const p = ManagedProcess.start(
      'stubborn',
      '/bin/sh',
      ['-c', `trap '' TERM; sleep 30 & echo $! > ${pidFile}; wait`],
      { env: process.env, logFile: logFile() },
    );
    while (!readFileSync(pidFile, { encoding: 'utf8', flag: 'a+' }).trim())
      await new Promise((r) => setTimeout(r, 20));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    const exit = await p.stop(200);
    expect(exit.signal).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it('reports a command that cannot be started', async () => {
    const p = ManagedProcess.start('ghost', '/nonexistent/ghost', [], {
      env: process.env,
      logFile: logFile(),
    });
    const exit = await p.exit;
    expect(describeExit(exit)).toBe('could not be started');
  });
});
