import { open } from 'node:fs/promises';
import { ErrorCodes } from '@ferry/contracts';
import { SourceError } from './source-error';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory (give the inventory file)',
};

/** Reads an inventory file the collector can see, with the same size limit as HTTP sources. */
export async function readTextFile(path: string, maxBytes: number): Promise<string> {
  const fail = (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    return new SourceError(
      ErrorCodes.SOURCE_UNREACHABLE,
      path,
      `cannot read ${path}: ${REASONS[code] ?? (e as Error).message}`,
    );
  };
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw fail(e);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw fail(Object.assign(new Error('directory'), { code: 'EISDIR' }));
    if (stat.size > maxBytes)
      throw new SourceError(
        ErrorCodes.INPUT_INVALID,
        path,
        `${path} is larger than ${Math.round((maxBytes / (1024 * 1024)) * 10) / 10} MiB`,
      );
    return await handle.readFile({ encoding: 'utf8' });
  } catch (e) {
    throw e instanceof SourceError ? e : fail(e);
  } finally {
    await handle.close();
  }
}
