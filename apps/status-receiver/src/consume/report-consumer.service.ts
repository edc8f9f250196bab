import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { JsMsg } from 'nats';
import type { Logger } from 'pino';
import { Streams } from '@ferry/contracts';
import { ensureStatusConsumer, ensureStatusStream, LOGGER, Messaging } from '@ferry/platform';
import { ReportWriter, type Incoming } from '../persist/report-writer.service';
import { ReceiverSettings } from '../settings';
import { decodeReports } from './decode-reports';
import { ReportPump } from './report-pump';

/**
 * Joins the durable consumer every receiver of the pool shares and feeds the writer. On SIGTERM it
 * stops pulling, writes and acks what it holds, then lets the platform close NATS and PostgreSQL.
 */
@Injectable()
export class ReportConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private pump: ReportPump<Incoming> | null = null;

  constructor(
    private readonly messaging: Messaging,
    private readonly writer: ReportWriter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const nc = this.messaging.nc;
    await ensureStatusStream(nc);
    const name = await ensureStatusConsumer(nc);
    const consumer = await nc.jetstream().consumers.get(Streams.status().name, name);
    this.pump = new ReportPump<Incoming>(
      consumer,
      {
        accept: (msg) => this.accept(msg),
        write: (batch) => this.writer.write(batch),
        weight: (item) => item.rows.length,
      },
      {
        pullBytes: ReceiverSettings.pullBytes,
        maxInHandMessages: ReceiverSettings.maxInHandMessages,
        maxInHandReports: ReceiverSettings.maxInHandReports,
        maxBatchReports: ReceiverSettings.maxReportsPerTransaction,
        writers: ReceiverSettings.writers,
      },
      this.logger,
    );
    this.pump.start();
    this.logger.info({ stream: Streams.status().name, consumer: name }, 'receiving task reports');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.logger.info('stopping: no more pulls; storing the reports in hand');
    this.writer.stop();
    await this.pump?.stop();
    this.logger.info('report consumer stopped; reports in hand are stored and acked');
  }

  /** An invalid message can never become valid: it is logged with its problems and terminated. */
  private accept(msg: JsMsg): Incoming | null {
    const decoded = decodeReports(msg.data, msg.subject);
    if (decoded.ok) return { msg, rows: decoded.rows };
    this.logger.warn(
      { subject: msg.subject, seq: msg.seq, problems: decoded.problems.slice(0, 20) },
      'terminated an invalid report message',
    );
    msg.term();
    return null;
  }
}
