import type { ApiClient } from './client';

/** One server-sent event (`event:` defaults to `message`; `data:` lines joined by newlines). */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/**
 * An incremental `text/event-stream` parser (WHATWG HTML, "Server-sent events"): feed it text as
 * it arrives, in chunks of any size, and it returns the events completed so far. Lines end with
 * LF, CRLF or CR (a CR at the end of a chunk waits for the next one, in case an LF follows);
 * comment lines (`:`) are keep-alives; an event without data is not dispatched.
 */
export class SseParser {
  private buffer = '';
  private started = false;
  private data: string[] = [];
  private eventType = '';
  private eventId: string | undefined;
  /** The last `id:` seen, to send back as `Last-Event-ID` when reconnecting. */
  lastEventId: string | undefined;
  /** The server's `retry:` advice in ms, if it gave one. */
  retryMs: number | undefined;

  feed(chunk: string): SseEvent[] {
    let text = this.buffer + chunk;
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && i === text.length - 1) break; // maybe CRLF split across chunks
      this.line(text.slice(start, i), events);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    this.buffer = text.slice(start);
    return events;
  }

  /** The stream ended: a lone trailing CR still ends its line; an unterminated event is dropped. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer.endsWith('\r')) this.line(this.buffer.slice(0, -1), events);
    this.buffer = '';
    this.data = [];
    this.eventType = '';
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.eventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(events: SseEvent[]): void {
    if (this.eventId !== undefined) this.lastEventId = this.eventId;
    if (this.data.length) {
      const event = this.eventType || 'message';
      const data = this.data.join('\n');
      events.push(this.eventId !== undefined ? { event, data, id: this.eventId } : { event, data });
    }
    this.data = [];
    this.eventType = '';
    this.eventId = undefined;
  }
}

/**
 * Opens `path` as an event stream and yields its events until the server closes it or `signal`
 * aborts. Connection failures and error statuses throw (ApiUnreachable, ApiError); reconnecting is
 * the caller's choice.
 */
export async function* readEventStream(
  client: ApiClient,
  path: string,
  options: { signal?: AbortSignal; lastEventId?: string; parser?: SseParser } = {},
): AsyncGenerator<SseEvent> {
  const parser = options.parser ?? new SseParser();
  const headers: Record<string, string> = { 'cache-control': 'no-cache' };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const response = await client.send('GET', path, {
    accept: 'text/event-stream',
    headers,
    signal: options.signal,
  });
  if (!response.body) return;
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
    yield* parser.feed(decoder.decode());
    yield* parser.end();
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
