import { Module } from '@nestjs/common';
import { PlatformModule } from '@ferry/platform';
import { HistoryRepository, PlanRepository, PlanCache } from '@ferry/storage';
import { SliceHandler } from './slice/slice.handler';
import { SliceService } from './slice/slice.service';

/** The slicer: global plan + operator command → stored current plan (Subjects.slice()). */
@Module({
  imports: [PlatformModule.forService({ service: 'slicer', nats: true, storage: true })],
  providers: [PlanRepository, HistoryRepository, PlanCache, SliceService, SliceHandler],
})
export class SlicerModule {}
