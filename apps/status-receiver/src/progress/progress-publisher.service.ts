import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { isTerminal, Subjects } from '@ferry/contracts';
import { LOGGER, Messaging } from '@ferry/platform';
import { ReportRepository, type RunBatch, type TaskMove } from '@ferry/storage';
import { ReceiverSettings } from '../settings';
import { batchesToCheck, progressMessages } from './progress-messages';

/**
 * Tells the dispatcher and the gateway what was just persisted: ferry.progress.<run>, published
 * after the commit. Progress is a notification, not the record (the database is): when it cannot
 * be sent, the run's state is still in run_tasks for anyone who reads it.
 */
@Injectable()
export class ProgressPublisher {
  constructor(
    private readonly reports: ReportRepository,
    private readonly messaging: Messaging,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async publish(moved: readonly TaskMove[]): Promise<void> {
    if (!moved.length) return;
    let ended: RunBatch[] = [];
    try {
      // After the commit, so of two receivers finishing one batch at once the later one sees it end.
      ended = await this.reports.endedBatches(batchesToCheck(moved, isTerminal));
    } catch (e) {
      this.logger.warn(
        { err: e },
        'could not check which batches ended; progress goes out without them',
      );
    }
    const at = new Date().toISOString();
    for (const message of progressMessages(moved, ended, at, ReceiverSettings.progressMaxBytes)) {
      try {
        this.messaging.publish(Subjects.progress(message.run), message);
      } catch (e) {
        this.logger.warn({ err: e, run: message.run }, 'could not publish progress');
      }
    }
  }
}
