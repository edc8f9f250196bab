import { TaskState, type TaskReportDto, type TaskSpecDto } from '@ferry/contracts';
import type { TaskOutcome } from '../jobs/task-runner';

/** A report before its sequence number (the publisher numbers reports in the order it sends them). */
export type UnnumberedReport = Omit<TaskReportDto, 'seq'>;

/**
 * One shape for every report (a flat literal, no spreads: a pool builds tens of thousands a second).
 * `undo` is present only on undo executions.
 */
function report(
  spec: TaskSpecDto,
  state: TaskState,
  exitCode: number | null,
  startedAt: string | null,
  endedAt: string | null,
  output: string,
): UnnumberedReport {
  const value: UnnumberedReport = {
    run: spec.run,
    task: spec.task,
    attempt: spec.attempt,
    host: spec.host,
    state,
    exitCode,
    startedAt,
    endedAt,
    output,
  };
  if (spec.undo) value.undo = true;
  return value;
}

export function runningReport(spec: TaskSpecDto, startedAt: string): UnnumberedReport {
  return report(spec, TaskState.Running, null, startedAt, null, '');
}

export function terminalReport(spec: TaskSpecDto, outcome: TaskOutcome): UnnumberedReport {
  return report(
    spec,
    outcome.state,
    outcome.exitCode,
    outcome.startedAt,
    outcome.endedAt,
    outcome.output,
  );
}

/** A task the job did not start because it stopped (a failure, a closed gate, a halt, shutdown). */
export function skippedReport(
  spec: TaskSpecDto,
  reason: string,
  at = new Date().toISOString(),
): UnnumberedReport {
  return report(spec, TaskState.Skipped, null, null, at, `not started: ${reason}`);
}
