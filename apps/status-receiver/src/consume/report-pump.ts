import type { Consumer, ConsumerMessages, JsMsg } from 'nats';
import type { Logger } from 'pino';

export interface PumpOptions {
  /** Bytes per pull request (messages range from one report to ~512 KiB of them). */
  readonly pullBytes: number;
  /** Messages decoded but not yet settled, beyond which the pump stops pulling. */
  readonly maxInHandMessages: number;
  /** The same limit in reports, which is what costs memory and database time. */
  readonly maxInHandReports: number;
  /** Reports handed to one write (one message is never split, so a write may hold more). */
  readonly maxBatchReports: number;
  /** Writes (transactions) running at once. */
  readonly writers: number;
}

export interface PumpHandlers<T> {
  /** Turns a message into an item to write, or settles it at once (invalid) and returns null. */
  readonly accept: (msg: JsMsg) => T | null;
  /** Writes and settles a batch of items; must not throw. */
  readonly write: (batch: T[]) => Promise<void>;
  /** How many reports an item holds. */
  readonly weight: (item: T) => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Pulls the status stream and hands it to the writer in batches that size themselves: while the
 * writes run, the next batches fill up, so a quiet stream is written message by message at once and
 * a busy one in large transactions. At most `writers` writes run at a time, and when the in-hand
 * limits are reached the pump stops reading, which stops the pulls (a slow database holds back
 * JetStream, not this process's memory).
 */
export class ReportPump<T> {
  private pending: T[] = [];
  private inHandMessages = 0;
  private inHandReports = 0;
  private readonly writes = new Set<Promise<void>>();
  private scheduled = false;
  private stopping = false;
  private messages: ConsumerMessages | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly consumer: Consumer,
    private readonly handlers: PumpHandlers<T>,
    private readonly options: PumpOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /**
   * Stops pulling, writes what is in hand and settles it. Messages the server had already sent
   * towards this process but it never saw are delivered again after the consumer's ack_wait.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.messages?.stop();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        const messages = await this.consumer.consume({ max_bytes: this.options.pullBytes });
        this.messages = messages;
        if (this.stopping) messages.stop();
        // stop() lets the messages already received through before the loop ends.
        for await (const msg of messages) {
          this.take(msg);
          while (this.full()) await this.settled();
        }
        if (!this.stopping) {
          this.logger.warn('the status stream stopped delivering; pulling again shortly');
          await sleep(1000);
        }
      } catch (e) {
        if (this.stopping) break;
        this.logger.error({ err: e }, 'pulling the status stream failed; pulling again shortly');
        await sleep(1000);
      }
    }
    await this.drain();
  }

  private take(msg: JsMsg): void {
    let item: T | null;
    try {
      item = this.handlers.accept(msg);
    } catch (e) {
      // A bug in decoding must not settle the message: it comes back after ack_wait.
      this.logger.error({ err: e, subject: msg.subject }, 'could not read a report message');
      return;
    }
    if (item === null) return;
    this.pending.push(item);
    this.inHandMessages++;
    this.inHandReports += this.handlers.weight(item);
    this.schedule();
  }

  /** Starts writes on the next turn of the event loop, so every message already received is in them. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startWrites();
    });
  }

  /** Hands pending items to free writers, each at most a transaction's worth. */
  private startWrites(): void {
    while (this.pending.length && this.writes.size < this.options.writers) {
      const batch = this.takeBatch();
      const write: Promise<void> = this.writeOne(batch).finally(() => {
        this.writes.delete(write);
        this.startWrites();
      });
      this.writes.add(write);
    }
  }

  private takeBatch(): T[] {
    let reports = 0;
    let count = 0;
    while (count < this.pending.length) {
      const weight = this.handlers.weight(this.pending[count]);
      if (count > 0 && reports + weight > this.options.maxBatchReports) break;
      reports += weight;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async writeOne(batch: T[]): Promise<void> {
    try {
      await this.handlers.write(batch);
    } catch (e) {
      this.logger.error(
        { err: e },
        'writing reports failed unexpectedly; they will be delivered again',
      );
    }
    this.inHandMessages -= batch.length;
    for (const item of batch) this.inHandReports -= this.handlers.weight(item);
  }

  private full(): boolean {
    return (
      this.inHandMessages >= this.options.maxInHandMessages ||
      this.inHandReports >= this.options.maxInHandReports
    );
  }

  /** Resolves when a running write has settled its batch (starting writes if none runs). */
  private async settled(): Promise<void> {
    this.startWrites();
    if (this.writes.size) await Promise.race(this.writes);
  }

  private async drain(): Promise<void> {
    while (this.writes.size || this.pending.length) await this.settled();
  }
}
