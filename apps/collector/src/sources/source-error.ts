import { ErrorCodes, type ErrorBody } from '@ferry/contracts';

/**
 * A source that could not be read: unreachable (`SOURCE.UNREACHABLE`, with the HTTP status when
 * there was one) or unusable as delivered (`INPUT.INVALID`, e.g. larger than the limit).
 */
export class SourceError extends Error {
  constructor(
    readonly code: typeof ErrorCodes.SOURCE_UNREACHABLE | typeof ErrorCodes.INPUT_INVALID,
    readonly file: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SourceError';
  }

  toBody(): ErrorBody {
    return {
      error: this.code,
      message: this.message,
      problems: [{ path: '', message: this.message, code: this.code, file: this.file }],
      ...(this.status !== undefined ? { status: this.status } : {}),
    };
  }
}

/** A URL fit for messages and the snapshot's source: a password or token in it is masked. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    else if (u.username) u.username = '***';
    return u.toString();
  } catch {
    return url;
  }
}
