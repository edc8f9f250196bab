import { open, readFile, stat, unlink } from 'node:fs/promises';

/** How old a lock must be before it may be broken: critical sections last one fsync (milliseconds). */
const STALE_AFTER_MS = 10_000;
const MAX_WAIT_STEP_MS = 20;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock file shared by the executors of one machine (O_EXCL create, holder's pid inside), so that
 * "read what the others claimed, then append my claims" is one step across processes. A lock left
 * by a crashed holder is broken once it is old and its pid is gone (age alone after a long time,
 * for holders in another pid namespace). Node has no flock; this is the portable equivalent.
 */
export class FileLock {
  constructor(private readonly path: string) {}

  async acquire(): Promise<() => Promise<void>> {
    let step = 1;
    for (;;) {
      try {
        const handle = await open(this.path, 'wx');
        try {
          await handle.writeFile(`${process.pid}\n`);
        } finally {
          await handle.close();
        }
        return () => unlink(this.path).catch(() => undefined);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (await this.isStale()) {
        await unlink(this.path).catch(() => undefined);
        continue;
      }
      await sleep(step);
      step = Math.min(step * 2, MAX_WAIT_STEP_MS);
    }
  }

  private async isStale(): Promise<boolean> {
    try {
      const [info, content] = await Promise.all([stat(this.path), readFile(this.path, 'utf8')]);
      const age = Date.now() - info.mtimeMs;
      if (age < STALE_AFTER_MS) return false;
      const pid = Number.parseInt(content, 10);
      return !Number.isInteger(pid) || pid <= 0 || !processAlive(pid) || age > 6 * STALE_AFTER_MS;
    } catch {
      return false; // released meanwhile: just try again
    }
  }
}
