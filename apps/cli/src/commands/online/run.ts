import type { Command } from 'commander';
import { seg, type ApiClient, withApi, type RunCreated, type RunDetails } from './api';
import { CliError, EXIT } from '../../io/exit-codes';
import { addSliceOptions, sliceCommandFrom } from '../offline';
import { apiClient, countOrPercent, say } from './context';
import { FollowInterrupted, followRun, type FollowOptions } from './follow/follow-run';
import type { Out } from './follow/live-area';
import { failedTasks, runSummaryLines } from './follow/run-summary';

interface RunFlags {
  spec?: string;
  command?: string;
  phases?: string[];
  instances?: string[];
  hosts?: string[];
  components?: string[];
  actions?: string[];
  roles?: string[];
  regroup?: string;
  includeDone?: boolean;
  maxInFlight?: number | string;
  errorThreshold?: number | string;
  follow?: boolean;
}

/** The body of `POST /projects/:id/runs`: the slicing command and the policy flags given. */
export function runRequest(flags: RunFlags): Record<string, unknown> {
  const command: Record<string, unknown> = { ...sliceCommandFrom(flags, 'ferry run') };
  if (flags.includeDone) command.exclude_done = false;
  const policy: Record<string, number | string> = {};
  if (flags.maxInFlight !== undefined) policy.max_in_flight = flags.maxInFlight;
  if (flags.errorThreshold !== undefined) policy.error_threshold = flags.errorThreshold;
  return Object.keys(policy).length ? { ...command, policy } : command;
}

export function runStartedLine(run: RunCreated, project: string): string {
  const size =
    run.tasks !== undefined ? `: ${run.tasks} tasks in ${run.batches ?? '?'} batches` : '';
  const excluded = run.excludedDone ? ` (${run.excludedDone} tasks already done left out)` : '';
  return `run ${run.id} ${run.state} for project ${project}${size}${excluded}`;
}

/**
 * Follows a run to its end and prints how it ended with its failed tasks; returns the exit code
 * (1 when the run failed or was cancelled).
 */
export async function followAndReport(
  client: ApiClient,
  runId: string,
  out: Out = process.stdout,
  options: Omit<FollowOptions, 'out'> = {},
): Promise<{ details: RunDetails; exitCode: number }> {
  let details: RunDetails;
  try {
    details = await withApi(() => followRun(client, runId, { ...options, out }));
  } catch (e) {
    if (e instanceof FollowInterrupted) throw new CliError([e.message], 130);
    throw e;
  }
  const failed =
    details.state === 'succeeded' ? [] : await withApi(() => failedTasks(client, runId));
  out.write(
    runSummaryLines(details, failed)
      .map((l) => `${l}\n`)
      .join(''),
  );
  return { details, exitCode: details.state === 'succeeded' ? EXIT.OK : EXIT.RUN_FAILED };
}

export function registerRunCommand(program: Command): void {
  addSliceOptions(
    program
      .command('run')
      .description(
        "run a slice of the project's global plan (an operator command of the logic book, filtered)",
      )
      .argument('<project>', 'project name or id'),
  )
    .option(
      '--include-done',
      'also run tasks that already succeeded in earlier runs (exclude_done: false)',
    )
    .option(
      '--max-in-flight <n|N%>',
      'nodes running jobs at once within a batch (default unlimited)',
      countOrPercent('--max-in-flight', 1),
    )
    .option(
      '--error-threshold <n|N%>',
      'failed tasks tolerated before the run stops (default 0)',
      countOrPercent('--error-threshold', 0),
    )
    .option('--follow', 'show live progress until the run ends, then its result and failed tasks')
    .addHelpText(
      'after',
      '\nExample: ferry run demo --command upgrade --hosts node-001,node-002 --max-in-flight 25% --follow\nExit codes: 0 started (with --follow: succeeded), 1 the run failed or was cancelled, 2 input errors (unknown names, overlapping run, empty slice).',
    )
    .action(async (project: string, flags: RunFlags) => {
      const body = runRequest(flags);
      const client = apiClient();
      const run = await withApi(() =>
        client.post<RunCreated>(`/projects/${seg(project)}/runs`, body),
      );
      say(runStartedLine(run, project));
      if (!flags.follow) {
        say(`follow it: ferry status ${run.id}`);
        return;
      }
      const { details, exitCode } = await followAndReport(client, run.id);
      if (exitCode !== EXIT.OK) {
        throw new CliError(
          [`ferry: run ${run.id} ${details.state}${details.reason ? `: ${details.reason}` : ''}`],
          exitCode,
        );
      }
    });
}
