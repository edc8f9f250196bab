import { Command, Option } from 'commander';
import { seg, withApi, type PlanSummary } from './api';
import { CliError } from '../../io/exit-codes';
import { writeChunks } from '../../io/files';
import { parseFormat, type Format } from '../../io/render';
import { apiClient, say, table } from './context';

interface OnlinePlanFlags {
  show?: boolean;
  format?: string;
  output?: string;
  [offline: string]: unknown;
}

/**
 * `[first, end)` as `2-3` (mission indices, inclusive, as in the text review) or `-` for a phase
 * whose `when` did not hold.
 */
function batchRange(range: readonly number[]): string {
  const [first, end] = range;
  if (first === undefined || end === undefined || end <= first) return '-';
  return end - first === 1 ? `${first}` : `${first}-${end - 1}`;
}

export function planSummaryLines(s: PlanSummary): string[] {
  const lines = [
    `plan ${s.plan} (${s.name}): ${s.tasks} tasks in ${s.batches} batches on ${s.hosts} hosts`,
    `  ${s.instancesTouched} instances touched, ${s.alreadyAtTarget} already at target`,
  ];
  if (s.phases?.length) {
    lines.push(
      ...table(
        ['  phase', 'batches', 'tasks'],
        s.phases.map((p) => [`  ${p.name}`, batchRange(p.batches), p.tasks]),
      ),
    );
  }
  return lines;
}

/** `ferry plan PROJECT`: compile the project's global plan on the API, then show it if asked. */
async function planOnline(project: string, flags: OnlinePlanFlags): Promise<void> {
  const client = apiClient();
  const path = `/projects/${seg(project)}/plan`;
  const summary = await withApi(() => client.post<PlanSummary>(path));
  const format: Format | undefined =
    flags.format !== undefined ? parseFormat(flags.format) : flags.show ? 'text' : undefined;
  if (flags.output !== undefined) {
    const json = await withApi(() => client.text(path, { format: 'json' }));
    await writeChunks(flags.output, [json.endsWith('\n') ? json : `${json}\n`]);
    if (flags.output === '-') return;
  }
  if (format === undefined) {
    say(...planSummaryLines(summary), `review it: ferry plan ${project} --show`);
    return;
  }
  const shown = await withApi(() => client.text(path, { format }));
  process.stdout.write(shown.endsWith('\n') ? shown : `${shown}\n`);
}

/** Rebuilds the command line of the flags given, to hand them to the offline command unchanged. */
function givenFlags(cmd: Command): string[] {
  const argv: string[] = [];
  for (const option of cmd.options) {
    const key = option.attributeName();
    if (cmd.getOptionValueSource(key) !== 'cli' || key === 'show') continue;
    const value = cmd.getOptionValue(key) as unknown;
    const flag = option.long ?? option.short ?? '';
    if (value === true || value === false) argv.push(flag);
    else argv.push(flag, String(value));
  }
  return argv;
}

/**
 * `ferry plan` has two forms (interfaces.md): offline, `ferry plan -i … -d … -l …` (the pure
 * compiler, registered by the offline commands), and online, `ferry plan PROJECT [--show]`.
 * Commander cannot hold two commands of one name, so this replaces the offline command with one
 * that takes an optional PROJECT: without it, the flags go to the offline command unchanged (its
 * own checks, help and exit codes apply); with it, the API compiles the plan.
 */
export function registerPlanCommand(program: Command): void {
  const offline = program.commands.find((c) => c.name() === 'plan');
  const plan = new Command('plan')
    .description(
      `${offline?.description() ?? 'compile the global plan'}; with PROJECT, compile it on the Ferry API instead`,
    )
    .argument(
      '[project]',
      'a project on the Ferry API (name or id): compile its plan from its snapshot and logic book',
    )
    .option('--show', 'with PROJECT: print the plan for review (the text format)');
  const offlineKeys: string[] = [];
  for (const option of offline?.options ?? []) {
    // Copies without parsers or requirements: the offline command checks its flags itself.
    plan.addOption(new Option(option.flags, option.description));
    offlineKeys.push(option.attributeName());
  }
  if (!offline) {
    plan
      .option('--format <json|text|mermaid>', 'what to print')
      .option('-o, --output <file>', 'write the plan JSON here');
  }
  plan
    .addHelpText(
      'after',
      [
        '',
        'Offline:  ferry plan -i inventory.yaml -d descriptor.yaml -l logic.yaml [-o plan.json] [--format text]',
        'Online:   ferry plan PROJECT [--show | --format json|text|mermaid] [-o plan.json]',
        'Exit codes: 0 compiled, 2 input errors (each printed as "file: path: message"), 1 API unreachable.',
      ].join('\n'),
    )
    .action(async (project: string | undefined, flags: OnlinePlanFlags, cmd: Command) => {
      if (project === undefined) {
        if (!offline) throw new CliError(['ferry plan: name a PROJECT']);
        await offline.parseAsync(givenFlags(cmd), { from: 'user' });
        return;
      }
      const compileOnly = offlineKeys.filter(
        (k) => !['format', 'output'].includes(k) && flags[k] !== undefined,
      );
      if (compileOnly.length) {
        throw new CliError([
          `ferry plan ${project}: the API compiles from the project's own inputs; ${compileOnly.map((k) => `--${k}`).join(', ')} belong to the offline form (ferry plan -i … -d … -l …)`,
        ]);
      }
      await planOnline(project, flags);
    });
  plan.copyInheritedSettings(program);
  // Replaced in place, so `ferry --help` keeps its order.
  const commands = program.commands as Command[];
  const at = offline ? commands.indexOf(offline) : commands.length;
  if (offline) commands.splice(at, 1);
  program.addCommand(plan);
  commands.splice(at, 0, ...commands.splice(commands.indexOf(plan), 1));
}
