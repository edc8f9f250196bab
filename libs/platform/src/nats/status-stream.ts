import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import { Streams } from '@ferry/contracts';

const NANOS_PER_SECOND = 1_000_000_000;

/**
 * Creates (or updates) the FERRY_STATUS stream: file storage so reports survive a broker restart,
 * work-queue retention so a report leaves the stream only when a receiver acked it (after its
 * database commit), and a duplicate window so a report re-published after a lost PubAck is stored
 * once. Executors and receivers both call this; it is idempotent.
 */
export async function ensureStatusStream(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const { name, subjects } = Streams.status();
  const config = {
    name,
    subjects,
    storage: StorageType.File,
    retention: RetentionPolicy.Workqueue,
    max_age: 7 * 24 * 3600 * NANOS_PER_SECOND,
    duplicate_window: 120 * NANOS_PER_SECOND,
  };
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, config);
  } catch (e) {
    if (!/stream not found/i.test(String((e as Error).message))) throw e;
    await jsm.streams.add(config).catch(async (err: unknown) => {
      // Another process created it between our lookup and add.
      if (!/already in use|exists/i.test(String((err as Error).message))) throw err;
    });
  }
}

/** The durable pull consumer every status receiver shares (a pool splits the load). */
export async function ensureStatusConsumer(
  nc: NatsConnection,
  ackWaitSeconds = 30,
): Promise<string> {
  const jsm = await nc.jetstreamManager();
  const { name, consumer } = Streams.status();
  const config = {
    durable_name: consumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: ackWaitSeconds * NANOS_PER_SECOND,
    max_ack_pending: 100_000,
  };
  try {
    await jsm.consumers.info(name, consumer);
  } catch {
    await jsm.consumers.add(name, config).catch((err: unknown) => {
      if (!/already in use|exists/i.test(String((err as Error).message))) throw err;
    });
  }
  return consumer;
}
