import type { JetStreamClient } from 'nats';
import type { Logger } from 'pino';
import { Subjects, TaskState } from '@ferry/contracts';
import { backoffMs, sleep } from '../retry/backoff';
import type { ExecutorStats } from '../stats/executor-stats';
import type { HostSequence } from './host-sequence';
import type { UnnumberedReport } from './task-reports';

export interface PublisherOptions {
  /** A buffered report waits at most this long before its message is sent. */
  readonly flushMs: number;
  /** A message is sent once it would grow past this (NATS refuses messages over 1 MiB). */
  readonly maxMessageBytes: number;
  /** Messages awaiting their PubAck at once. */
  readonly maxInFlight: number;
  readonly publishTimeoutMs: number;
}

export const DEFAULT_PUBLISHER_OPTIONS: PublisherOptions = {
  flushMs: 20,
  maxMessageBytes: 512 * 1024,
  maxInFlight: 32,
  publishTimeoutMs: 10_000,
};

interface Outgoing {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly msgID: string;
  readonly count: number;
  /** Reports of a task's end (not `running`): one per executed attempt. */
  readonly terminal: number;
  failures: number;
}

interface Buffered {
  readonly parts: string[];
  bytes: number;
  terminal: number;
}

/**
 * Sends task reports to JetStream (guarantee 1: no report is lost). Reports of one run share a
 * ReportBatchDto message, sent every ~20 ms or when it nears 512 KiB; each message has a msgID
 * (`<executor>:<seq>`) so a re-publish after a lost PubAck is stored once, is retried with backoff
 * until JetStream acknowledges it, and is never dropped. Several messages are in flight at once.
 */
export class ReportPublisher {
  private readonly buffers = new Map<string, Buffered>();
  private readonly queue: Outgoing[] = [];
  private inFlight = 0;
  private unacked = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  /** Grows across restarts too (µs at start), so msgIDs of a restarted executor never repeat. */
  private messageSeq = Date.now() * 1000;
  private idleWaiters: (() => void)[] = [];
  private readonly header: string;
  private readonly closing = new AbortController();

  constructor(
    private readonly js: Pick<JetStreamClient, 'publish'>,
    private readonly executorId: string,
    private readonly sequence: HostSequence,
    private readonly stats: ExecutorStats,
    private readonly logger: Logger,
    private readonly options: PublisherOptions = DEFAULT_PUBLISHER_OPTIONS,
  ) {
    this.header = `{"executor":${JSON.stringify(executorId)},"reports":[`;
  }

  /** Reports accepted but not yet acknowledged by JetStream. */
  get pending(): number {
    return this.unacked;
  }

  add(report: UnnumberedReport): void {
    // The sequence number is spliced into the serialised object instead of copying the report.
    const json = JSON.stringify(report);
    const part = `${json.slice(0, -1)},"seq":${this.sequence.next(report.host)}}`;
    const bytes = Buffer.byteLength(part) + 1;
    this.unacked++;
    let buffer = this.buffers.get(report.run);
    if (buffer && buffer.parts.length > 0 && buffer.bytes + bytes > this.options.maxMessageBytes) {
      this.seal(report.run, buffer);
      buffer = undefined;
    }
    if (!buffer) {
      buffer = { parts: [], bytes: this.header.length + 2, terminal: 0 };
      this.buffers.set(report.run, buffer);
    }
    buffer.parts.push(part);
    buffer.bytes += bytes;
    if (report.state !== TaskState.Running) buffer.terminal++;
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.options.flushMs);
  }

  /** Sends everything buffered now. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const [run, buffer] of this.buffers) this.seal(run, buffer);
  }

  /** Flushes and waits until JetStream acknowledged every report, or the time is up (false). */
  async drain(timeoutMs: number): Promise<boolean> {
    this.flush();
    if (this.unacked === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return done;
  }

  /** Stops retrying (after drain): the process is going away. */
  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.closing.abort();
  }

  private seal(run: string, buffer: Buffered): void {
    this.buffers.delete(run);
    if (buffer.parts.length === 0) return;
    const data = Buffer.from(`${this.header}${buffer.parts.join(',')}]}`);
    this.queue.push({
      subject: Subjects.status(run),
      data,
      msgID: `${this.executorId}:${++this.messageSeq}`,
      count: buffer.parts.length,
      terminal: buffer.terminal,
      failures: 0,
    });
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const message = this.queue.shift() as Outgoing;
      this.inFlight++;
      void this.send(message);
    }
    if (this.unacked === 0 && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  private async send(message: Outgoing): Promise<void> {
    for (;;) {
      try {
        await this.js.publish(message.subject, message.data, {
          msgID: message.msgID,
          timeout: this.options.publishTimeoutMs,
        });
        this.unacked -= message.count;
        this.stats.reportsSent += message.count;
        this.stats.terminalReportsSent += message.terminal;
        break;
      } catch (e) {
        message.failures++;
        const log = message.failures === 1 || message.failures % 10 === 0 ? 'warn' : 'debug';
        this.logger[log](
          {
            err: (e as Error).message,
            subject: message.subject,
            msgID: message.msgID,
            failures: message.failures,
          },
          'report publish failed; retrying',
        );
        if (!(await sleep(backoffMs(message.failures), this.closing.signal))) break;
      }
    }
    this.inFlight--;
    this.pump();
  }
}
