import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { encodeMessage, Streams, Subjects, type ReportBatchDto } from '@ferry/contracts';
import { ensureStatusConsumer, ensureStatusStream } from '@ferry/platform';

/** The test's side of NATS: publishing reports to FERRY_STATUS and reading the stream's state. */
export class StatusStream {
  private constructor(
    readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {}

  /** Creates the stream, and the receivers' consumer with a short ack_wait so redeliveries after a kill come soon. */
  static async open(ackWaitSeconds = 2): Promise<StatusStream> {
    const nc = await connect({ servers: process.env.NATS_URL });
    await ensureStatusStream(nc);
    await ensureStatusConsumer(nc, ackWaitSeconds);
    return new StatusStream(nc, nc.jetstream(), await nc.jetstreamManager());
  }

  async publish(run: string, batch: ReportBatchDto | string): Promise<void> {
    await this.js.publish(
      Subjects.status(run),
      typeof batch === 'string' ? new TextEncoder().encode(batch) : encodeMessage(batch),
    );
  }

  /** Messages still in the stream (work-queue retention: a message leaves when it is acked or terminated). */
  async stored(): Promise<number> {
    return (await this.jsm.streams.info(Streams.status().name)).state.messages;
  }

  /** Messages delivered to a receiver and not yet acked. */
  async unacked(): Promise<number> {
    const { name, consumer } = Streams.status();
    return (await this.jsm.consumers.info(name, consumer)).num_ack_pending;
  }

  async close(): Promise<void> {
    const { name } = Streams.status();
    await this.jsm.streams.delete(name).catch(() => undefined);
    await this.nc.close();
  }
}
