import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Subscription } from 'nats';
import { CollectRequestDto, QueueGroups, Subjects } from '@ferry/contracts';
import { Messaging } from '@ferry/platform';
import { CollectService } from './collect.service';

/**
 * Serves Subjects.collect() in the collector queue group. On shutdown it stops taking requests and
 * waits for the collects in flight, so a rolling restart does not leave a caller without a reply.
 */
@Injectable()
export class CollectHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscription?: Subscription;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly messaging: Messaging,
    private readonly service: CollectService,
  ) {}

  /** Subscribes, and flushes so that the server knows the subscription before the service says it is ready. */
  async onApplicationBootstrap(): Promise<void> {
    this.subscription = this.messaging.serve(
      Subjects.collect(),
      CollectRequestDto,
      (request) => this.track(this.service.collect(request)),
      QueueGroups.collector,
    );
    await this.messaging.nc.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.drain().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }
}
