import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PlatformModule } from '@ferry/platform';
import {
  AuditRepository,
  PlanRepository,
  ProjectRepository,
  RunRepository,
  SnapshotRepository,
  PlanCache,
} from '@ferry/storage';
import { AuditController } from './audit/audit.controller';
import { AuthGuard } from './auth/auth.guard';
import { HealthController } from './health/health.controller';
import { PlansController } from './plans/plans.controller';
import { PlansService } from './plans/plans.service';
import { ProjectsController } from './projects/projects.controller';
import { ProjectsService } from './projects/projects.service';
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import { WebController } from './web/web.controller';

@Module({
  imports: [PlatformModule.forService({ service: 'orchestrator', nats: true, storage: true })],
  controllers: [
    AuditController,
    ProjectsController,
    PlansController,
    RunsController,
    HealthController,
    WebController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    AuditRepository,
    PlanRepository,
    ProjectRepository,
    RunRepository,
    SnapshotRepository,
    PlanCache,
    ProjectsService,
    PlansService,
    RunsService,
  ],
})
export class OrchestratorModule {}
