import { AckPolicy, type ConsumerMessages, type NatsConnection } from 'nats';
import { decodeMessage, ReportBatchDto, Streams, type TaskReportDto } from '@ferry/contracts';
import { ensureStatusStream } from '@ferry/platform';
import { eventually } from './eventually';

/** Reads every report the executors put in the (namespaced) status stream, as the receiver would. */
export class ReportReader {
  readonly reports: TaskReportDto[] = [];
  readonly batches: ReportBatchDto[] = [];
  private messages: ConsumerMessages | null = null;

  private constructor(private readonly nc: NatsConnection) {}

  static async open(nc: NatsConnection): Promise<ReportReader> {
    await ensureStatusStream(nc);
    const { name } = Streams.status();
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.add(name, {
      durable_name: 'executor-test',
      ack_policy: AckPolicy.Explicit,
    });
    const reader = new ReportReader(nc);
    const consumer = await nc.jetstream().consumers.get(name, 'executor-test');
    reader.messages = await consumer.consume({ max_messages: 1000 });
    void (async () => {
      for await (const m of reader.messages as ConsumerMessages) {
        const decoded = decodeMessage(ReportBatchDto, m.data);
        if (!decoded.ok)
          throw new Error(`invalid report batch in the stream: ${decoded.error.message}`);
        reader.batches.push(decoded.value);
        reader.reports.push(...decoded.value.reports);
        m.ack();
      }
    })();
    return reader;
  }

  of(run: string, taskId?: string): TaskReportDto[] {
    return this.reports.filter((r) => r.run === run && (taskId === undefined || r.task === taskId));
  }

  /** The terminal report of each task of a run, once there is one for every id. */
  terminal(
    run: string,
    ids: readonly string[],
    timeoutMs = 30_000,
  ): Promise<Map<string, TaskReportDto>> {
    return eventually(
      () => {
        const found = new Map(
          this.of(run)
            .filter((r) => r.state !== 'running')
            .map((r) => [r.task, r]),
        );
        return ids.every((id) => found.has(id)) ? found : undefined;
      },
      `terminal reports of ${ids.join(', ')}`,
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    this.messages?.stop();
    const jsm = await this.nc.jetstreamManager();
    await jsm.streams.delete(Streams.status().name).catch(() => undefined);
  }
}
