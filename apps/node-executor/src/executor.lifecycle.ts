import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Subscription } from 'nats';
import type { Logger } from 'pino';
import { HaltDto, JobDto, QueueGroups, Subjects } from '@ferry/contracts';
import { ensureStatusStream, type Messaging } from '@ferry/platform';
import type { AttemptStore } from './attempts/attempt-store';
import type { ExecutorOptions } from './cli/options';
import type { HeartbeatService } from './heartbeat/heartbeat.service';
import type { JobService } from './jobs/job.service';
import type { ReportPublisher } from './reports/report-publisher';
import type { StatsFileWriter } from './stats/executor-stats';

/** How long shutdown waits for JetStream to acknowledge the last reports. */
const REPORT_DRAIN_MS = 30_000;

export interface LifecycleParts {
  readonly options: ExecutorOptions;
  readonly messaging: Messaging;
  readonly logger: Logger;
  readonly jobs: JobService;
  readonly heartbeat: HeartbeatService;
  readonly publisher: ReportPublisher;
  readonly store: AttemptStore;
  readonly statsWriter: StatsFileWriter | null;
}

/**
 * Start and stop in the right order. Start: the status stream exists, halts are heard before jobs
 * arrive, then the job subscription. Stop (SIGTERM, before the platform drains NATS): take no more
 * jobs, let running tasks finish within the grace period, flush every report, write the stats.
 */
export class ExecutorLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private jobSubscription: Subscription | null = null;
  private haltSubscription: Subscription | null = null;

  constructor(private readonly parts: LifecycleParts) {}

  async onApplicationBootstrap(): Promise<void> {
    const { options, messaging, jobs, logger } = this.parts;
    await ensureStatusStream(messaging.nc);
    this.haltSubscription = messaging.subscribe(Subjects.runHaltAll(), HaltDto, (halt) =>
      jobs.halt(halt.run, halt.reason),
    );
    const subject =
      options.host !== null ? Subjects.nodeJobs(options.host) : Subjects.nodeJobsAll();
    // A queue group in host mode too: two agents of one node (a restart overlapping) never both take a job.
    this.jobSubscription = messaging.serve(
      subject,
      JobDto,
      (job, msg) => jobs.accept(job, msg.subject),
      QueueGroups.executors,
    );
    await messaging.nc.flush();
    this.parts.heartbeat.start();
    this.parts.statsWriter?.start();
    logger.info(
      {
        executor: options.executorId,
        mode: options.mode,
        host: options.host,
        simulate: options.simulate,
        subject,
        stateDir: options.stateDir,
      },
      'node executor ready',
    );
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const { options, jobs, heartbeat, publisher, store, statsWriter, logger } = this.parts;
    logger.info({ signal, jobs: jobs.active }, 'stopping: no new jobs');
    this.jobSubscription?.unsubscribe();
    await jobs.shutdown(options.killGraceMs);
    heartbeat.stop();
    this.haltSubscription?.unsubscribe();
    if (!(await publisher.drain(REPORT_DRAIN_MS)))
      logger.error(
        { unsent: publisher.pending },
        'JetStream did not acknowledge every report before shutdown',
      );
    publisher.close();
    await statsWriter?.stop();
    await store.close();
  }
}
