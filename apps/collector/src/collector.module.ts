import { Module } from '@nestjs/common';
import { PlatformModule } from '@ferry/platform';
import { ProjectRepository, SnapshotRepository } from '@ferry/storage';
import { CollectHandler } from './collect/collect.handler';
import { CollectService } from './collect/collect.service';
import { InventorySources } from './sources/inventory-sources';

/** The collector: inventory sources in, validated immutable snapshots out (Subjects.collect()). */
@Module({
  imports: [PlatformModule.forService({ service: 'collector', nats: true, storage: true })],
  providers: [
    ProjectRepository,
    SnapshotRepository,
    InventorySources,
    CollectService,
    CollectHandler,
  ],
})
export class CollectorModule {}
