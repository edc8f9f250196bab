import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, EXIT } from '../io/exit-codes';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One `ferry up` per state dir: two would share the embedded database files, the NATS store and
 * the executor's record of started attempts, and corrupt all three. A lock left by a process that
 * no longer runs is taken over.
 */
export function lockStateDir(stateDir: string): () => void {
  const file = join(stateDir, 'ferry-up.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new CliError(
          [
            `ferry: another \`ferry up\` (pid ${holder}) is using ${stateDir}; stop it, or give this one its own --state-dir`,
          ],
          EXIT.RUN_FAILED,
        );
      }
      try {
        unlinkSync(file); // stale: its owner is gone
      } catch {
        // someone else took it over first; the next attempt tells
      }
    }
  }
  throw new CliError([`ferry: could not lock ${stateDir}`], EXIT.RUN_FAILED);
}

/** The pid of the live `ferry up` holding `stateDir`, or null. */
export function stateDirHolder(stateDir: string): number | null {
  try {
    const holder = Number(readFileSync(join(stateDir, 'ferry-up.lock'), 'utf8').trim());
    return Number.isInteger(holder) && holder > 0 && alive(holder) ? holder : null;
  } catch {
    return null;
  }
}
