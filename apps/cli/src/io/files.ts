import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { once } from 'node:events';
import { dirname, basename, join } from 'node:path';
import { formatProblem, type Problem } from '@ferry/plan';
import { CliError } from './exit-codes';

/** Reads a file (or stdin for `-`), turning a missing or unreadable file into an input error. */
export function readText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new CliError([`${path}: cannot read: ${reason}`]);
  }
}

export function problemsError(problems: readonly Problem[]): CliError {
  return new CliError(problems.map(formatProblem));
}

/**
 * Writes text pieces to a file atomically (a temporary file renamed into place), so a failed or
 * interrupted write never leaves half a plan behind; `-` writes to stdout.
 */
export async function writeChunks(path: string, chunks: Iterable<string>): Promise<void> {
  if (path === '-') {
    await writeStdout(chunks);
    return;
  }
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, 'w');
  } catch (e) {
    throw new CliError([`${path}: cannot write: ${(e as Error).message}`]);
  }
  try {
    for (const chunk of chunks) writeSync(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
    throw new CliError([`${path}: cannot write: ${(e as Error).message}`]);
  }
}

/** Writes to stdout honouring back-pressure; a reader that goes away (`| head`) is not an error. */
export async function writeStdout(chunks: Iterable<string>): Promise<void> {
  let closed = false;
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closed = true;
    else throw e;
  };
  process.stdout.on('error', onError);
  try {
    for (const chunk of chunks) {
      if (closed) return;
      if (!process.stdout.write(chunk))
        await Promise.race([once(process.stdout, 'drain'), once(process.stdout, 'error')]);
    }
  } finally {
    process.stdout.off('error', onError);
  }
}
