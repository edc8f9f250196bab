import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Subscription } from 'nats';
import type { Logger } from 'pino';
import { HeartbeatDto, QueueGroups, Subjects } from '@ferry/contracts';
import { LOGGER, Messaging } from '@ferry/platform';
import { HeartbeatRepository } from '@ferry/storage';
import { classifyFailure } from '../persist/database-errors';
import { ReceiverSettings } from '../settings';
import { HeartbeatBuffer } from './heartbeat-buffer';

/**
 * Node heartbeats into node_heartbeats, where the dispatcher notices silent nodes (guarantee 4).
 * Heartbeats are soft state, resent every few seconds: they are buffered and written once a
 * second in one statement; a failed flush is retried with the next one.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly buffer = new HeartbeatBuffer();
  private subscription: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly messaging: Messaging,
    private readonly repository: HeartbeatRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.messaging.subscribe(
      Subjects.nodeHeartbeatAll(),
      HeartbeatDto,
      (heartbeat) => {
        if (!this.buffer.add(heartbeat, new Date()))
          this.logger.warn(
            { host: JSON.stringify(heartbeat.host) },
            'dropped a heartbeat holding NUL characters',
          );
      },
      QueueGroups.receivers,
    );
    this.timer = setInterval(() => void this.flush(), ReceiverSettings.heartbeatFlushMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.subscription?.unsubscribe();
    await this.flush();
  }

  /** Writes the buffered heartbeats; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async write(): Promise<void> {
    const rows = this.buffer.take();
    if (!rows.length) return;
    try {
      await this.repository.upsert(rows);
    } catch (e) {
      if (classifyFailure(e) === 'content') {
        this.logger.error(
          { err: e, hosts: rows.length },
          'PostgreSQL refused a flush of heartbeats; dropped it',
        );
        return;
      }
      this.logger.warn(
        { err: e, hosts: rows.length },
        'could not store heartbeats; retrying with the next flush',
      );
      this.buffer.restore(rows);
    }
  }
}
