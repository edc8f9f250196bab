import { Inject, Injectable } from '@nestjs/common';
import type { JsMsg } from 'nats';
import type { Logger } from 'pino';
import { LOGGER } from '@ferry/platform';
import { ReportRepository, type AppliedReports, type AttemptRow } from '@ferry/storage';
import { ProgressPublisher } from '../progress/progress-publisher.service';
import { ReceiverSettings } from '../settings';
import { classifyFailure, sqlState } from './database-errors';
import { reduceReports } from './reduce';
import { WriterStats } from './writer-stats';

/** A decoded message of the status stream and its reports. */
export interface Incoming {
  readonly msg: JsMsg;
  readonly rows: readonly AttemptRow[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Cuts a backlog into transactions of at most `max` reports, never splitting a message. */
export function transactionsOf(batch: readonly Incoming[], max: number): Incoming[][] {
  const out: Incoming[][] = [];
  let current: Incoming[] = [];
  let reports = 0;
  for (const item of batch) {
    if (current.length && reports + item.rows.length > max) {
      out.push(current);
      current = [];
      reports = 0;
    }
    current.push(item);
    reports += item.rows.length;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Writes batches of report messages to PostgreSQL and settles each message with JetStream:
 * `ack` only after the transaction holding its reports committed (guarantee 1), `nak` with a
 * growing delay when the database is unavailable, `term` only for a message PostgreSQL itself
 * refuses (found by splitting the batch), which could never be stored.
 */
@Injectable()
export class ReportWriter {
  private failures = 0;
  private announced: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly stats: WriterStats;

  constructor(
    private readonly repository: ReportRepository,
    private readonly progress: ProgressPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.stats = new WriterStats(logger, ReceiverSettings.statsEveryMs);
  }

  /** Shutting down: a failed transaction no longer waits before it returns. */
  stop(): void {
    this.stopping = true;
  }

  /** Persists and settles every message of the batch; never throws. */
  async write(batch: readonly Incoming[]): Promise<void> {
    for (const transaction of transactionsOf(batch, ReceiverSettings.maxReportsPerTransaction)) {
      await this.persist(transaction);
    }
    this.stats.logIfDue();
  }

  private async persist(batch: readonly Incoming[]): Promise<void> {
    let applied: AppliedReports;
    let invalidRuns: AttemptRow[];
    const started = Date.now();
    try {
      ({ applied, invalidRuns } = await this.apply(batch));
    } catch (e) {
      const kind = classifyFailure(e);
      if (kind === 'content') return this.isolate(batch, e);
      return this.giveBack(batch, e);
    }
    for (const { msg } of batch) msg.ack();
    this.failures = 0;
    const unknown = [...invalidRuns, ...applied.unknown];
    const reports = batch.reduce((n, item) => n + item.rows.length, 0);
    this.stats.add({
      transactions: 1,
      messages: batch.length,
      reports,
      moved: applied.moved.length,
      unknown: unknown.length,
      transactionMs: Date.now() - started,
    });
    if (unknown.length) {
      this.logger.warn(
        {
          count: unknown.length,
          examples: unknown
            .slice(0, 5)
            .map((r) => ({ run: r.run, task: r.task, attempt: r.attempt })),
        },
        'dropped reports of tasks that are not in any run',
      );
    }
    // The reports are stored and acked: a failure to announce them must not touch the messages.
    // Announcements follow the order the commits finished in (a transaction that waited for
    // another's rows finishes after it), so no listener hears a task go back from `succeeded`.
    const announcing = Date.now();
    const announced = this.announced.then(() =>
      this.progress
        .publish(applied.moved)
        .catch((e: unknown) => this.logger.error({ err: e }, 'could not publish progress')),
    );
    this.announced = announced;
    await announced;
    this.stats.add({ progressMs: Date.now() - announcing });
  }

  /** One transaction, run again at once when it lost a deadlock to another receiver. */
  private async apply(
    batch: readonly Incoming[],
  ): Promise<{ applied: AppliedReports; invalidRuns: AttemptRow[] }> {
    const rows: AttemptRow[] = [];
    const invalidRuns: AttemptRow[] = [];
    // A run id that is not a uuid cannot name a run (and would fail the uuid[] cast of the batch).
    for (const item of batch)
      for (const row of item.rows) (UUID.test(row.run) ? rows : invalidRuns).push(row);
    const reduced = reduceReports(rows);
    for (let attempt = 0; ; attempt++) {
      try {
        return { applied: await this.repository.apply(reduced), invalidRuns };
      } catch (e) {
        if (classifyFailure(e) !== 'conflict' || attempt >= ReceiverSettings.conflictRetries)
          throw e;
        this.logger.debug(
          { code: sqlState(e), attempt },
          'transaction conflicted with another receiver; retrying',
        );
      }
    }
  }

  /** PostgreSQL refused the content: split until the refused message is alone, then drop it. */
  private async isolate(batch: readonly Incoming[], error: unknown): Promise<void> {
    if (batch.length > 1) {
      const middle = Math.ceil(batch.length / 2);
      await this.persist(batch.slice(0, middle));
      await this.persist(batch.slice(middle));
      return;
    }
    const { msg, rows } = batch[0];
    this.logger.error(
      {
        err: error,
        code: sqlState(error),
        subject: msg.subject,
        seq: msg.seq,
        reports: rows.length,
      },
      'PostgreSQL refuses this report message; it is terminated so it cannot block the stream',
    );
    msg.term();
  }

  /** The database is unavailable: JetStream delivers the messages again after a delay. */
  private async giveBack(batch: readonly Incoming[], error: unknown): Promise<void> {
    const delays = ReceiverSettings.nakDelaysMs;
    const delay = delays[Math.min(this.failures, delays.length - 1)];
    this.failures++;
    this.logger.error(
      { err: error, code: sqlState(error), messages: batch.length, redeliverInMs: delay },
      'could not store reports; they will be delivered again',
    );
    for (const { msg } of batch) msg.nak(delay);
    // Pause the pump as well, so it does not pull more messages only to give them back too.
    if (!this.stopping) await sleep(delay);
  }
}
