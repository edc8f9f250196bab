import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CollectRequestDto, QueueGroups, Subjects } from '@ferry/contracts';
import { Messaging } from '@ferry/platform';
import { CollectService } from './collect.service';

/** Serves Subjects.collect() in the collector queue group (Messaging answers requests in flight at shutdown). */
@Injectable()
export class CollectHandler implements OnApplicationBootstrap {
  constructor(
    private readonly messaging: Messaging,
    private readonly service: CollectService,
  ) {}

  onApplicationBootstrap(): void {
    this.messaging.serve(
      Subjects.collect(),
      CollectRequestDto,
      (request) => this.service.collect(request),
      QueueGroups.collector,
    );
  }
}
