import type { Command } from 'commander';
import { seg, withApi, type RunControlReply, type RunDetails } from './api';
import { CliError } from '../../io/exit-codes';
import { apiClient, say } from './context';
import { formatDuration, resultLine, runDuration } from './follow/render';
import { followAndReport } from './run';

/** States in the order a task goes through them, for a readable count line. */
const STATE_ORDER = [
  'pending',
  'sent',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'lost',
  'skipped',
  'undone',
];

function describeCommand(command: Readonly<Record<string, unknown>> | undefined): string {
  if (!command) return '-';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(command)) {
    if (value === undefined || value === null) continue;
    if (key === 'command') parts.unshift(String(value));
    else if (Array.isArray(value)) parts.push(`--${key} ${value.join(',')}`);
    else if (typeof value === 'object') parts.push(`--${key} ${JSON.stringify(value)}`);
    else parts.push(`--${key} ${String(value)}`);
  }
  return parts.join(' ') || '-';
}

export function statusLines(d: RunDetails): string[] {
  const counts = Object.entries(d.counts ?? {})
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (STATE_ORDER.indexOf(a) + 1 || 99) - (STATE_ORDER.indexOf(b) + 1 || 99))
    .map(([state, n]) => `${state} ${n}`);
  const total = d.batch?.total ?? 0;
  const index = Math.min(d.batch?.index ?? 0, total);
  const batch =
    total === 0 ? '-' : index >= total ? `${total}/${total} (all done)` : `${index + 1}/${total}`;
  const lines = [
    `run ${d.id}  ${d.state}`,
    `  project   ${d.project}`,
    `  command   ${describeCommand(d.command)}`,
    `  batch     ${batch}`,
    `  tasks     ${counts.join(', ') || '-'}`,
  ];
  if (d.result) lines.push(`  result    ${resultLine(d)}`);
  if (d.reason) lines.push(`  reason    ${d.reason}`);
  const took = runDuration(d);
  const times = [
    d.createdAt ? `created ${d.createdAt}` : '',
    d.startedAt ? `started ${d.startedAt}` : '',
    d.endedAt ? `ended ${d.endedAt}` : '',
  ].filter(Boolean);
  const tookText = took !== null ? ` (took ${formatDuration(took)})` : '';
  if (times.length) lines.push(`  times     ${times.join(', ')}${tookText}`);
  return lines;
}

export function registerRunsCommands(program: Command): void {
  program
    .command('status')
    .description('show a run: state, current batch, task counts per state, result')
    .argument('<run>', 'run id')
    .option('--json', 'print the run as the API gives it')
    .option('--follow', 'follow the run until it ends (as `ferry run --follow`)')
    .addHelpText(
      'after',
      "\nExit codes: 0 (whatever the run's state: status only reports), 2 unknown run; with --follow, 1 when the run fails.",
    )
    .action(async (run: string, flags: { json?: boolean; follow?: boolean }) => {
      const client = apiClient();
      if (flags.follow) {
        const { details, exitCode } = await followAndReport(client, run);
        if (exitCode)
          throw new CliError(
            [
              `ferry: run ${details.id} ${details.state}${details.reason ? `: ${details.reason}` : ''}`,
            ],
            exitCode,
          );
        return;
      }
      const details = await withApi(() => client.get<RunDetails>(`/runs/${seg(run)}`));
      if (flags.json) say(JSON.stringify(details, null, 2));
      else say(...statusLines(details));
    });

  for (const [verb, what] of [
    ['pause', 'pause a run at the end of its current batch'],
    ['resume', 'resume a paused run'],
    ['cancel', 'cancel a run: nothing more is started, its remaining tasks are skipped'],
  ] as const) {
    program
      .command(verb)
      .description(what)
      .argument('<run>', 'run id')
      .action(async (run: string) => {
        const reply = await withApi(() =>
          apiClient().post<RunControlReply>(`/runs/${seg(run)}/${verb}`),
        );
        say(`run ${reply?.id ?? run}: ${reply?.state ?? `${verb} requested`}`);
      });
  }

  program
    .command('retry')
    .description('run a new attempt of one failed task (after fixing what made it fail)')
    .argument('<task>', 'task id, e.g. node-017_comp-02_check')
    .requiredOption('--run <run>', 'the run the task belongs to')
    .addHelpText(
      'after',
      '\nThe attempt runs within its run; `ferry status RUN` shows how it ends.',
    )
    .action(async (task: string, flags: { run: string }) => {
      const reply = await withApi(() =>
        apiClient().post<RetryReply>(`/runs/${seg(flags.run)}/tasks/${seg(task)}/retry`),
      );
      say(retryLine(task, reply));
    });

  program
    .command('undo')
    .description(
      "run one task's undo action (or, without TASK, undo every succeeded task of the run, in reverse order)",
    )
    .argument('[task]', 'task id; without it the whole run is undone')
    .requiredOption('--run <run>', 'the run')
    .action(async (task: string | undefined, flags: { run: string }) => {
      const path =
        task === undefined
          ? `/runs/${seg(flags.run)}/undo`
          : `/runs/${seg(flags.run)}/tasks/${seg(task)}/undo`;
      const reply = await withApi(() => apiClient().post<UndoReply>(path));
      say(...undoLines(task ?? `run ${flags.run}`, reply));
    });
}

/** `POST /runs/:id/tasks/:task/retry` (TaskControlReplyDto). */
interface RetryReply {
  readonly task?: string;
  readonly attempt?: number;
  readonly started?: boolean;
  readonly runState?: string;
}

/** `POST …/undo` (UndoReplyDto and the run). */
interface UndoReply {
  readonly run?: string;
  readonly undoing?: number;
  readonly tasks?: readonly string[];
  readonly withoutUndo?: readonly string[];
}

export function retryLine(task: string, reply: RetryReply | undefined): string {
  const attempt = reply?.attempt !== undefined ? `attempt ${reply.attempt}` : 'a new attempt';
  const when = reply?.started === false ? 'queued behind the running batch' : 'started';
  const run = reply?.runState ? ` (run ${reply.runState})` : '';
  return `retry of ${task}: ${attempt} ${when}${run}`;
}

export function undoLines(what: string, reply: UndoReply | undefined): string[] {
  const undoing = reply?.undoing ?? reply?.tasks?.length ?? 0;
  const lines = [
    `undo of ${what}: ${undoing} undo task(s) running${reply?.run ? ` in run ${reply.run}` : ''}`,
  ];
  if (reply?.withoutUndo?.length) {
    lines.push(`  without an undo action (left as they are): ${reply.withoutUndo.join(', ')}`);
  }
  return lines;
}
