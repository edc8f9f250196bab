import { TaskState, type TaskSpecDto } from '@ferry/contracts';
import { taskName, type TaskHooks, type TaskOutcome, type TaskRunner } from '../jobs/task-runner';
import { simulatedDurationMs, simulatedFailure, type SimulationParams } from './simulated-outcome';
import { TimerWheel } from './timer-wheel';

/**
 * Attempts shorter than this send only their terminal report (carrying startedAt): a `running`
 * report that is overtaken within a second tells nobody anything and doubles the report volume.
 */
export const SIM_RUNNING_REPORT_MS = 1000;

interface Pending {
  stopReason: string | null;
}

/**
 * Stands in for scripts (--simulate): no process work at all, each attempt takes its seeded
 * duration and succeeds or fails by seed. Ends are batched on a timer wheel.
 */
export class SimulatedRunner implements TaskRunner {
  private readonly pending = new Set<Pending>();

  constructor(
    private readonly params: SimulationParams,
    private readonly wheel = new TimerWheel(),
  ) {}

  run(spec: TaskSpecDto, hooks: TaskHooks): Promise<TaskOutcome> {
    const name = taskName(spec);
    const ms = simulatedDurationMs(this.params, name, spec.attempt);
    // Like a script: one that would outlast its timeout is ended at the timeout.
    const timedOut = ms > spec.timeout_s * 1000;
    const fails = !timedOut && simulatedFailure(this.params, name, spec.attempt);
    const startedAt = new Date().toISOString();
    if (ms >= SIM_RUNNING_REPORT_MS) hooks.onStarted(startedAt);
    const entry: Pending = { stopReason: null };
    this.pending.add(entry);
    const what = `simulated ${spec.action} on ${spec.host}/${spec.target}`;
    return new Promise((resolve) => {
      this.wheel.schedule(timedOut ? spec.timeout_s * 1000 : ms, () => {
        this.pending.delete(entry);
        const endedAt = new Date().toISOString();
        if (entry.stopReason !== null) {
          resolve({
            state: TaskState.Failed,
            exitCode: 1,
            output: `${what}: ${entry.stopReason}`,
            startedAt,
            endedAt,
          });
        } else if (timedOut) {
          resolve({
            state: TaskState.TimedOut,
            exitCode: 143,
            output: `${what}: timed out after ${spec.timeout_s} s (it takes ${ms} ms)`,
            startedAt,
            endedAt,
          });
        } else {
          resolve({
            state: fails ? TaskState.Failed : TaskState.Succeeded,
            exitCode: fails ? 1 : 0,
            output: `${what} (${ms} ms)${fails ? ': simulated failure' : ''}`,
            startedAt,
            endedAt,
          });
        }
      });
    });
  }

  stopAll(reason: string): void {
    for (const entry of this.pending) entry.stopReason = reason;
    this.wheel.flushAll();
  }
}
