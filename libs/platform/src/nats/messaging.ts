import type { ClassConstructor } from 'class-transformer';
import { connect, type Msg, type NatsConnection, type Subscription } from 'nats';
import {
  decodeMessage,
  encodeMessage,
  ErrorCodes,
  type ErrorBody,
  type Reply,
} from '@ferry/contracts';
import type { Logger } from 'pino';

export class RequestError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
    this.name = 'RequestError';
  }
}

/** Connects with endless reconnects: a broker restart must not kill a service. */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    pingInterval: 10_000,
  });
}

function isNoResponders(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === '503' || /no responders/i.test(String((e as Error).message));
}

/**
 * Typed request/reply and publish/subscribe over one connection. Every incoming payload is
 * validated against its DTO before a handler sees it; a bad message gets an error reply (or is
 * logged and dropped) and changes nothing.
 */
export class Messaging {
  /** Request handlers still working: a shutdown lets them answer before the connection closes. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly served: Subscription[] = [];

  constructor(
    readonly nc: NatsConnection,
    private readonly logger: Logger,
  ) {}

  /**
   * Stops taking requests, waits for the ones in flight to be answered, then drains the
   * connection: a rolling restart never leaves a caller without a reply.
   */
  async shutdown(): Promise<void> {
    if (this.nc.isClosed()) return;
    await Promise.allSettled(this.served.splice(0).map((s) => s.drain()));
    await Promise.allSettled([...this.inFlight]);
    await this.nc.drain().catch(() => undefined);
  }

  /** Sends a request and returns the validated reply value, or throws a RequestError. */
  async request<T extends object>(
    subject: string,
    payload: unknown,
    replyClass: ClassConstructor<T>,
    timeoutMs = 30_000,
  ): Promise<T> {
    let msg: Msg;
    try {
      msg = await this.nc.request(subject, encodeMessage(payload), { timeout: timeoutMs });
    } catch (e) {
      const what = isNoResponders(e) ? 'no service is listening' : (e as Error).message;
      throw new RequestError({
        error: ErrorCodes.SERVICE_UNAVAILABLE,
        message: `${subject}: ${what}`,
        problems: [],
      });
    }
    const reply = JSON.parse(new TextDecoder().decode(msg.data)) as Reply<unknown>;
    if (!reply.ok)
      throw new RequestError(
        reply.error ?? { error: ErrorCodes.INTERNAL, message: `${subject}: failed`, problems: [] },
      );
    const decoded = decodeMessage(replyClass, reply.value ?? {}, `${subject} reply`);
    if (!decoded.ok) throw new RequestError(decoded.error);
    return decoded.value;
  }

  /**
   * Serves a request/reply subject: validates the request, runs the handler, replies `{ok, value}`
   * or `{ok: false, error}`. Handler exceptions become INTERNAL errors (logged), never crashes.
   */
  serve<Req extends object, Res>(
    subject: string,
    requestClass: ClassConstructor<Req>,
    handler: (req: Req, msg: Msg) => Promise<Res>,
    queue?: string,
  ): Subscription {
    const subscription = this.nc.subscribe(subject, {
      queue,
      callback: (err, msg) => {
        if (err) {
          this.logger.error({ err, subject }, 'subscription error');
          return;
        }
        const work = this.handle(subject, requestClass, handler, msg);
        this.inFlight.add(work);
        void work.finally(() => this.inFlight.delete(work));
      },
    });
    this.served.push(subscription);
    return subscription;
  }

  private async handle<Req extends object, Res>(
    subject: string,
    requestClass: ClassConstructor<Req>,
    handler: (req: Req, msg: Msg) => Promise<Res>,
    msg: Msg,
  ): Promise<void> {
    const decoded = decodeMessage(requestClass, msg.data, subject);
    let reply: Reply<Res>;
    if (!decoded.ok) {
      reply = { ok: false, error: decoded.error };
    } else {
      try {
        reply = { ok: true, value: await handler(decoded.value, msg) };
      } catch (e) {
        if (e instanceof RequestError) reply = { ok: false, error: e.body };
        else {
          this.logger.error({ err: e, subject }, 'handler failed');
          reply = {
            ok: false,
            error: {
              error: ErrorCodes.INTERNAL,
              message: `${subject}: ${(e as Error).message}`,
              problems: [],
            },
          };
        }
      }
    }
    if (msg.reply) msg.respond(encodeMessage(reply));
  }

  publish(subject: string, payload: unknown): void {
    this.nc.publish(subject, encodeMessage(payload));
  }

  /** Subscribes with validation; invalid messages are logged and dropped. */
  subscribe<T extends object>(
    subject: string,
    cls: ClassConstructor<T>,
    handler: (value: T, msg: Msg) => void | Promise<void>,
    queue?: string,
  ): Subscription {
    return this.nc.subscribe(subject, {
      queue,
      callback: (err, msg) => {
        if (err) {
          this.logger.error({ err, subject }, 'subscription error');
          return;
        }
        const decoded = decodeMessage(cls, msg.data, msg.subject);
        if (!decoded.ok) {
          this.logger.warn(
            { subject: msg.subject, problems: decoded.error.problems },
            'rejected an invalid message',
          );
          return;
        }
        void Promise.resolve(handler(decoded.value, msg)).catch((e: unknown) =>
          this.logger.error({ err: e, subject: msg.subject }, 'message handler failed'),
        );
      },
    });
  }
}
