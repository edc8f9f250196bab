import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Subscription } from 'nats';
import { QueueGroups, SliceRequestDto, Subjects } from '@ferry/contracts';
import { Messaging } from '@ferry/platform';
import { SliceService } from './slice.service';

/**
 * Serves Subjects.slice() in the slicer queue group. On shutdown it stops taking requests and waits
 * for the slices in flight, so a rolling restart does not leave a caller without a reply.
 */
@Injectable()
export class SliceHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscription?: Subscription;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly messaging: Messaging,
    private readonly service: SliceService,
  ) {}

  /** Subscribes, and flushes so that the server knows the subscription before the service says it is ready. */
  async onApplicationBootstrap(): Promise<void> {
    this.subscription = this.messaging.serve(
      Subjects.slice(),
      SliceRequestDto,
      (request) => this.track(this.service.slice(request)),
      QueueGroups.slicer,
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
