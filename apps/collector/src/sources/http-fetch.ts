import { ErrorCodes } from '@ferry/contracts';
import { redactUrl, SourceError } from './source-error';

export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/** An inventory API that does not answer within 30 s, or sends more than 64 MiB, is an error. */
export const HTTP_LIMITS: FetchLimits = { timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024 };

function size(bytes: number): string {
  const round = (n: number) => Math.round(n * 10) / 10;
  if (bytes >= 1024 * 1024) return `${round(bytes / (1024 * 1024))} MiB`;
  return bytes >= 1024 ? `${round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

/** The useful part of Node's `fetch failed`: the cause's code and message (ECONNREFUSED, ENOTFOUND, …). */
function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code && cause.message && !cause.message.includes(cause.code))
    return `${cause.code}: ${cause.message}`;
  return cause?.message ?? cause?.code ?? (e as Error).message;
}

/**
 * GETs an inventory over HTTP(S) and returns its body as text. Every failure is a SourceError
 * whose message names the URL (credentials masked) and what went wrong: the status code, a
 * connection error, the timeout, or a body over the size limit (stopped as soon as it is exceeded).
 */
export async function fetchText(url: string, limits: FetchLimits = HTTP_LIMITS): Promise<string> {
  const shown = redactUrl(url);
  const unreachable = (message: string, status?: number) =>
    new SourceError(ErrorCodes.SOURCE_UNREACHABLE, shown, `GET ${shown}: ${message}`, status);
  const tooLarge = () =>
    new SourceError(
      ErrorCodes.INPUT_INVALID,
      shown,
      `GET ${shown}: the inventory is larger than ${size(limits.maxBytes)}`,
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SourceError(
      ErrorCodes.INPUT_INVALID,
      shown,
      `${JSON.stringify(shown)} is not a valid URL`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SourceError(
      ErrorCodes.INPUT_INVALID,
      shown,
      `${shown}: only http:// and https:// inventory URLs are supported`,
    );
  }
  // fetch refuses URLs with credentials: send them as Basic auth, as curl does.
  const headers: Record<string, string> = {
    accept: 'application/json, application/yaml;q=0.9, text/plain;q=0.5',
  };
  if (parsed.username || parsed.password) {
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const timedOut = () => unreachable(`no complete answer within ${limits.timeoutMs / 1000} s`);
  let response: Response;
  try {
    response = await fetch(parsed, { signal, redirect: 'follow', headers });
  } catch (e) {
    throw signal.aborted ? timedOut() : unreachable(`cannot connect (${causeOf(e)})`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw unreachable(
      `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      response.status,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limits.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw signal.aborted ? timedOut() : unreachable(`the answer broke off (${causeOf(e)})`);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
