import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The last `lines` lines of a file (reading at most its last 64 KiB); empty if it cannot be read. */
export function tailFile(path: string, lines = 20): string[] {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\r\n?/g, '\n').replace(/\n+$/, '');
    return text ? text.split('\n').slice(-lines) : [];
  } catch {
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A pino JSON log line as `LEVEL message`, so a tail printed to an operator reads as text; other
 * lines (a stack trace, nats-server's own log) are kept as they are.
 */
export function readableLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as {
      level?: number | string;
      msg?: string;
      err?: { message?: string; stack?: string };
    };
    const levels: Record<number, string> = {
      10: 'TRACE',
      20: 'DEBUG',
      30: 'INFO',
      40: 'WARN',
      50: 'ERROR',
      60: 'FATAL',
    };
    const level =
      typeof entry.level === 'number'
        ? (levels[entry.level] ?? String(entry.level))
        : String(entry.level ?? '');
    const error = entry.err?.message ? `: ${entry.err.message}` : '';
    return `${level} ${entry.msg ?? ''}${error}`.trim();
  } catch {
    return line;
  }
}
