import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueGroups, SliceRequestDto, Subjects } from '@ferry/contracts';
import { Messaging } from '@ferry/platform';
import { SliceService } from './slice.service';

/** Serves Subjects.slice() in the slicer queue group (Messaging answers requests in flight at shutdown). */
@Injectable()
export class SliceHandler implements OnApplicationBootstrap {
  constructor(
    private readonly messaging: Messaging,
    private readonly service: SliceService,
  ) {}

  onApplicationBootstrap(): void {
    this.messaging.serve(
      Subjects.slice(),
      SliceRequestDto,
      (request) => this.service.slice(request),
      QueueGroups.slicer,
    );
  }
}
