import type { Logger } from 'pino';
import {
  ErrorCodes,
  GateReplyDto,
  JobEndReplyDto,
  Subjects,
  type GateRequestDto,
  type JobEndDto,
} from '@ferry/contracts';
import { RequestError, type Messaging } from '@ferry/platform';
import { backoffMs, sleep } from '../retry/backoff';

/** How long one gate or job-end request waits for the dispatcher's answer. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Errors worth another try: nobody answered, or the dispatcher failed for a passing reason. */
function transient(e: unknown): boolean {
  if (!(e instanceof RequestError)) return true;
  return e.body.error === ErrorCodes.SERVICE_UNAVAILABLE || e.body.error === ErrorCodes.INTERNAL;
}

export type GateVerdict = 'go' | 'stop' | 'aborted';

/**
 * The executor's side of the conversation with the dispatcher that owns a run: the gate before
 * each stage after the first, and the job-end message. Both retry with backoff while no dispatcher
 * answers (it may be restarting: guarantee 3).
 */
export class DispatcherClient {
  constructor(
    private readonly messaging: Pick<Messaging, 'request'>,
    private readonly logger: Logger,
  ) {}

  /**
   * May the stage start? `stop` when the dispatcher says no (or rejects the request for good),
   * `aborted` when the signal fired while waiting (halt, shutdown).
   */
  async gate(request: GateRequestDto, signal: AbortSignal): Promise<GateVerdict> {
    for (let failures = 0; ;) {
      if (signal.aborted) return 'aborted';
      try {
        const reply = await this.messaging.request(
          Subjects.runGate(request.run),
          request,
          GateReplyDto,
          REQUEST_TIMEOUT_MS,
        );
        return reply.go ? 'go' : 'stop';
      } catch (e) {
        if (!transient(e)) {
          this.logger.warn(
            { err: (e as Error).message, run: request.run, key: request.key },
            'gate refused: stopping the job',
          );
          return 'stop';
        }
        failures++;
        if (failures === 1 || failures % 10 === 0)
          this.logger.warn(
            { err: (e as Error).message, run: request.run, failures },
            'gate: no answer yet; retrying',
          );
        if (!(await sleep(backoffMs(failures), signal))) return 'aborted';
      }
    }
  }

  /** Tells the dispatcher the job ended; retries until acknowledged or the signal fires (false). */
  async jobEnd(end: JobEndDto, signal: AbortSignal): Promise<boolean> {
    for (let failures = 0; ;) {
      try {
        await this.messaging.request(
          Subjects.runJobEnd(end.run),
          end,
          JobEndReplyDto,
          REQUEST_TIMEOUT_MS,
        );
        return true;
      } catch (e) {
        if (!transient(e)) {
          this.logger.error(
            { err: (e as Error).message, run: end.run, key: end.key },
            'job end refused by the dispatcher',
          );
          return false;
        }
        failures++;
        if (failures === 1 || failures % 10 === 0)
          this.logger.warn(
            { err: (e as Error).message, run: end.run, failures },
            'job end: no answer yet; retrying',
          );
        if (!(await sleep(backoffMs(failures), signal))) return false;
      }
    }
  }
}
