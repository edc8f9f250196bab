import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, Messaging, PlatformModule } from '@ferry/platform';
import { AttemptStore } from './attempts/attempt-store';
import type { ExecutorOptions } from './cli/options';
import { ExecutorLifecycle } from './executor.lifecycle';
import { DispatcherClient } from './gate/dispatcher-client';
import { HeartbeatService } from './heartbeat/heartbeat.service';
import { RunningRegistry } from './heartbeat/running-registry';
import { HostLimiter } from './jobs/host-limiter';
import { JobService } from './jobs/job.service';
import { StageRunner } from './jobs/stage-runner';
import { TASK_RUNNER, type TaskRunner } from './jobs/task-runner';
import { HostSequence } from './reports/host-sequence';
import { ReportPublisher } from './reports/report-publisher';
import { ScriptRunner } from './scripts/script-runner';
import { SimulatedRunner } from './simulate/simulated-runner';
import { ExecutorStats, StatsFileWriter } from './stats/executor-stats';

export const EXECUTOR_OPTIONS = Symbol('EXECUTOR_OPTIONS');

/**
 * The node executor: plain classes wired here by factories (they take their settings from the
 * parsed command line, which Nest's class-based injection cannot express).
 */
@Module({})
export class NodeExecutorModule {
  static forOptions(options: ExecutorOptions): DynamicModule {
    return {
      module: NodeExecutorModule,
      imports: [PlatformModule.forService({ service: 'node-executor', nats: true })],
      providers: [
        { provide: EXECUTOR_OPTIONS, useValue: options },
        { provide: ExecutorStats, useFactory: () => new ExecutorStats(options.executorId) },
        {
          provide: StatsFileWriter,
          useFactory: (stats: ExecutorStats) =>
            options.statsFile ? new StatsFileWriter(stats, options.statsFile) : null,
          inject: [ExecutorStats],
        },
        {
          provide: AttemptStore,
          useFactory: () => AttemptStore.open(options.stateDir, options.executorId),
        },
        { provide: RunningRegistry, useFactory: () => new RunningRegistry() },
        {
          provide: ReportPublisher,
          useFactory: (messaging: Messaging, stats: ExecutorStats, logger: Logger) =>
            new ReportPublisher(
              messaging.nc.jetstream(),
              options.executorId,
              new HostSequence(),
              stats,
              logger,
            ),
          inject: [Messaging, ExecutorStats, LOGGER],
        },
        {
          provide: TASK_RUNNER,
          useFactory: (): TaskRunner =>
            options.simulate
              ? new SimulatedRunner(options.simulation)
              : new ScriptRunner({
                  scriptsDir: options.scriptsDir as string,
                  killGraceMs: options.killGraceMs,
                }),
        },
        {
          provide: DispatcherClient,
          useFactory: (messaging: Messaging, logger: Logger) =>
            new DispatcherClient(messaging, logger),
          inject: [Messaging, LOGGER],
        },
        {
          provide: HeartbeatService,
          useFactory: (messaging: Messaging, registry: RunningRegistry) =>
            new HeartbeatService(messaging, registry, {
              executorId: options.executorId,
              intervalMs: options.heartbeatMs,
              ownHost: options.host,
            }),
          inject: [Messaging, RunningRegistry],
        },
        {
          provide: JobService,
          useFactory: (
            store: AttemptStore,
            runner: TaskRunner,
            publisher: ReportPublisher,
            registry: RunningRegistry,
            stats: ExecutorStats,
            dispatcher: DispatcherClient,
            logger: Logger,
          ) =>
            new JobService({
              store,
              runner,
              stats,
              publisher,
              dispatcher,
              logger,
              ownHost: options.host,
              executorId: options.executorId,
              stages: new StageRunner({
                store,
                runner,
                publisher,
                registry,
                stats,
                limiter: new HostLimiter(options.parallel),
                logger,
              }),
            }),
          inject: [
            AttemptStore,
            TASK_RUNNER,
            ReportPublisher,
            RunningRegistry,
            ExecutorStats,
            DispatcherClient,
            LOGGER,
          ],
        },
        {
          provide: ExecutorLifecycle,
          useFactory: (
            messaging: Messaging,
            logger: Logger,
            jobs: JobService,
            heartbeat: HeartbeatService,
            publisher: ReportPublisher,
            store: AttemptStore,
            statsWriter: StatsFileWriter | null,
          ) =>
            new ExecutorLifecycle({
              options,
              messaging,
              logger,
              jobs,
              heartbeat,
              publisher,
              store,
              statsWriter,
            }),
          inject: [
            Messaging,
            LOGGER,
            JobService,
            HeartbeatService,
            ReportPublisher,
            AttemptStore,
            StatsFileWriter,
          ],
        },
      ],
      exports: [ExecutorStats, JobService, RunningRegistry],
    };
  }
}
