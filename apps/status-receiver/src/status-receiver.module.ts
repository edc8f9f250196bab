import { Module } from '@nestjs/common';
import { PlatformModule } from '@ferry/platform';
import { HeartbeatRepository, ReportRepository } from '@ferry/storage';
import { ReportConsumer } from './consume/report-consumer.service';
import { HeartbeatService } from './heartbeats/heartbeat.service';
import { ReportWriter } from './persist/report-writer.service';
import { ProgressPublisher } from './progress/progress-publisher.service';

/**
 * The status receiver: task reports from JetStream into PostgreSQL in bulk, progress out after
 * each commit, node heartbeats into node_heartbeats. Run as many as the load needs: they share
 * one durable consumer and one heartbeat queue group.
 */
@Module({
  imports: [PlatformModule.forService({ service: 'status-receiver', nats: true, storage: true })],
  providers: [
    ReportRepository,
    HeartbeatRepository,
    ProgressPublisher,
    ReportWriter,
    ReportConsumer,
    HeartbeatService,
  ],
})
export class StatusReceiverModule {}
