import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FileLock } from './file-lock';

const LOG_PREFIX = 'started-';
const LOG_SUFFIX = '.log';
const LOCK_FILE = '.started.lock';
const NEWLINE = 0x0a;

/** Who holds a key: a claim of ours not on disk yet, ours on disk, or another executor's. */
const enum Holder {
  Pending,
  Mine,
  Other,
}

interface PendingClaim {
  readonly candidates: readonly string[];
  readonly resolve: (claimed: string[]) => void;
  readonly reject: (e: unknown) => void;
}

/** The attempt log file of one executor. */
export function attemptLogName(executorId: string): string {
  return `${LOG_PREFIX}${executorId}${LOG_SUFFIX}`;
}

/**
 * The on-disk record of every attempt (and job) this machine's executors have started (guarantee 2:
 * no attempt runs twice). Append-only: each executor appends to its own `started-<id>.log` and
 * reads the others' files incrementally (by offset), so a pool sharing one state dir sees each
 * other's claims. A key is only handed out once it is on disk (fsync), and claims that arrive
 * together share one write + fsync (group commit), so 10,000 jobs cost a handful of fsyncs.
 *
 * "Read the others, then append mine" runs under a lock file shared by the state dir's executors,
 * so of two executors claiming one key exactly one gets it.
 */
export class AttemptStore {
  private readonly known = new Map<string, Holder>();
  private readonly offsets = new Map<string, number>();
  private pending: PendingClaim[] = [];
  private flushing = false;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly ownName: string,
    private readonly own: FileHandle,
    private ownSize: number,
    private readonly lock: FileLock,
  ) {}

  /** Opens (creating) the state dir and loads every attempt log in it. */
  static async open(dir: string, executorId: string): Promise<AttemptStore> {
    await mkdir(dir, { recursive: true });
    const ownName = attemptLogName(executorId);
    const own = await open(join(dir, ownName), 'a+');
    const content = await own.readFile();
    // A crash mid-append leaves a partial last line: it was never fsynced, so no task started on it.
    const complete = content.lastIndexOf(NEWLINE) + 1;
    if (complete < content.length) {
      await own.truncate(complete);
      await own.sync();
    }
    const store = new AttemptStore(dir, ownName, own, complete, new FileLock(join(dir, LOCK_FILE)));
    store.addLines(content.subarray(0, complete), Holder.Mine);
    await syncDir(dir);
    await store.readOthers();
    return store;
  }

  /** Keys known to have been started by any executor of this state dir (as far as read). */
  has(key: string): boolean {
    const holder = this.known.get(key);
    return holder === Holder.Mine || holder === Holder.Other;
  }

  get size(): number {
    return this.known.size;
  }

  /**
   * Claims keys for this executor: resolves with those that nobody had started (now on disk, safe
   * to start); keys already started here or by another executor of the state dir are left out.
   */
  claim(keys: readonly string[]): Promise<string[]> {
    if (this.closed) return Promise.reject(new Error('attempt store is closed'));
    const candidates: string[] = [];
    for (const key of keys) {
      if (this.known.has(key)) continue;
      // Known at once, so a second claim of the same key in this process is refused immediately.
      this.known.set(key, Holder.Pending);
      candidates.push(key);
    }
    if (candidates.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending.push({ candidates, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flushLoop());
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
    await this.own.close();
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      try {
        const claimed = await this.commit(batch);
        batch.forEach((p, i) => p.resolve(claimed[i]));
      } catch (e) {
        // Not on disk: forget our candidates so nothing treats them as started, and refuse them.
        for (const p of batch) {
          for (const key of p.candidates)
            if (this.known.get(key) === Holder.Pending) this.known.delete(key);
        }
        batch.forEach((p) => p.reject(e));
      }
    }
    this.flushing = false; // synchronous with the last emptiness check: no claim can slip between
  }

  private async commit(batch: readonly PendingClaim[]): Promise<string[][]> {
    const release = await this.lock.acquire();
    try {
      // A key another executor wrote wins over our pending claim, whichever read noticed it: this
      // one, or an earlier one made while these claims were already waiting.
      await this.readOthers();
      const claimed = batch.map((p) =>
        p.candidates.filter((key) => this.known.get(key) === Holder.Pending),
      );
      const lines = claimed.flat();
      if (lines.length) {
        const data = Buffer.from(`${lines.join('\n')}\n`);
        try {
          await this.own.write(data, 0, data.length, null);
          await this.own.datasync();
        } catch (e) {
          await this.own.truncate(this.ownSize).catch(() => undefined);
          throw e;
        }
        this.ownSize += data.length;
        for (const key of lines) this.known.set(key, Holder.Mine);
      }
      return claimed;
    } finally {
      await release();
    }
  }

  /** Reads what the other executors' logs gained since last time. */
  private async readOthers(): Promise<void> {
    const names = (await readdir(this.dir)).filter(
      (n) => n.startsWith(LOG_PREFIX) && n.endsWith(LOG_SUFFIX) && n !== this.ownName,
    );
    for (const name of names) {
      const offset = this.offsets.get(name) ?? 0;
      const handle = await open(join(this.dir, name), 'r');
      try {
        const { size } = await handle.stat();
        if (size <= offset) continue;
        const buffer = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        // Only whole lines: the writer may be in the middle of its append.
        const complete = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE) + 1;
        this.addLines(buffer.subarray(0, complete), Holder.Other);
        this.offsets.set(name, offset + complete);
      } finally {
        await handle.close();
      }
    }
  }

  /** Records keys read from a log; another executor's line overrides a pending claim of ours. */
  private addLines(data: Buffer, holder: Holder): void {
    if (data.length === 0) return;
    for (const line of data.toString('utf8').split('\n')) {
      if (!line) continue;
      const current = this.known.get(line);
      if (current === undefined || current === Holder.Pending) this.known.set(line, holder);
    }
  }
}

/** Makes a newly created log file's directory entry durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the file's own fsyncs still hold its content.
  } finally {
    await handle.close();
  }
}
