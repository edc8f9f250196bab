import type { Command } from 'commander';
import {
  canonicalPlan,
  checkPlan,
  compileSources,
  FORCEABLE,
  parseRegroup,
  readLogicBook,
  readPlan,
  readSliceCommand,
  slicePlan,
  type SliceCommand,
} from '@ferry/plan';
import { CliError } from '../io/exit-codes';
import { problemsError, readText } from '../io/files';
import { readInputSources } from '../io/inputs';
import { emitPlan, parseFormat } from '../io/render';

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

function loadPlan(path: string) {
  const plan = readPlan(readText(path), path);
  if (!plan.ok) throw problemsError(plan.problems);
  return plan.value;
}

interface SliceFlags {
  spec?: string;
  command?: string;
  phases?: string[];
  instances?: string[];
  hosts?: string[];
  components?: string[];
  actions?: string[];
  roles?: string[];
  regroup?: string;
}

/** The slicing command from `--spec FILE` and the flags (flags win over the file). */
export function sliceCommandFrom(flags: SliceFlags, where = 'ferry slice'): SliceCommand {
  let command: SliceCommand = {};
  if (flags.spec !== undefined) {
    const spec = readSliceCommand(readText(flags.spec), flags.spec);
    if (!spec.ok) throw problemsError(spec.problems);
    command = spec.value;
  }
  const given = <K extends keyof SliceCommand>(key: K, value: SliceCommand[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  let regroup = undefined;
  if (flags.regroup !== undefined) {
    regroup = parseRegroup(flags.regroup) ?? undefined;
    if (!regroup)
      throw new CliError([
        `${where}: --regroup: expected PHASE=h1,h2;h3,h4, got ${JSON.stringify(flags.regroup)}`,
      ]);
  }
  command = {
    ...command,
    ...given('command', flags.command),
    ...given('phases', flags.phases),
    ...given('instances', flags.instances),
    ...given('hosts', flags.hosts),
    ...given('components', flags.components),
    ...given('actions', flags.actions),
    ...given('roles', flags.roles),
    ...given('regroup', regroup),
  };
  if (command.command === undefined && command.phases === undefined) {
    throw new CliError([
      `${where}: say what to run: --command NAME or --phases a,b (or --spec FILE)`,
    ]);
  }
  return command;
}

/** Slice options shared by `ferry slice` and `ferry run`. */
export function addSliceOptions(cmd: Command): Command {
  return cmd
    .option(
      '--command <name>',
      'an operator command of the logic book (its phases, every @release copy)',
    )
    .option(
      '--phases <a,b>',
      'phase names instead of --command (name, or name@release for one copy)',
      list,
    )
    .option('--instances <h/c,…>', 'host/component pairs', list)
    .option('--hosts <h1,h2>', 'hosts (global tasks are kept)', list)
    .option('--components <c1,c2>', 'components (a global task only if its target is listed)', list)
    .option('--actions <a1,a2>', 'actions (also filters verify and global tasks)', list)
    .option('--roles <r1,r2>', 'hosts holding any of these roles', list)
    .option(
      '--regroup <PHASE=h1,h3;h2,h4>',
      "rebuild one phase's chunks as these host groups, in this order",
    )
    .option(
      '--spec <file>',
      'a slicing command as JSON/YAML (keys of logic-book.md); flags override it',
    );
}

export function registerOfflineCommands(program: Command): void {
  program
    .command('plan')
    .description(
      'compile inventory + descriptor + logic book into the global plan (offline, no services)',
    )
    .requiredOption(
      '-i, --inventory <file|sim://…>',
      'inventory (YAML/JSON), or sim://nodes=N&components=C&… for a generated cluster',
    )
    .option(
      '-d, --descriptor <file>',
      'upgrade descriptor (YAML/JSON); optional with a sim:// inventory',
    )
    .requiredOption('-l, --logic <file>', 'logic book (YAML/JSON)')
    .option('-o, --output <file>', 'write the plan file (JSON) here; - for stdout')
    .option('--format <json|text|mermaid>', 'what to print on stdout (default: text)', parseFormat)
    .addHelpText(
      'after',
      '\nExit codes: 0 compiled, 2 input errors (each printed as "file: path: message [CODE]"; nothing is written).',
    )
    .action(
      async (opts: {
        inventory: string;
        descriptor?: string;
        logic: string;
        output?: string;
        format?: ReturnType<typeof parseFormat>;
      }) => {
        const sources = readInputSources(opts.inventory, opts.descriptor, opts.logic);
        const files = {
          inventory: opts.inventory,
          descriptor: opts.descriptor ?? opts.inventory,
          logicBook: opts.logic,
        };
        const compiled = compileSources(sources, files);
        if (!compiled.ok) throw problemsError(compiled.problems);
        await emitPlan(compiled.value.plan, opts.output, opts.format, {
          ...compiled.value.stats,
          coverage: compiled.value.walk.coverage,
        });
      },
    );

  addSliceOptions(
    program
      .command('slice')
      .description('cut the current plan (the part to run now) out of a plan file, order kept')
      .requiredOption('-p, --plan <file>', 'the plan file (JSON; - for stdin)'),
  )
    .option('-o, --output <file>', 'write the current plan (JSON) here; - for stdout')
    .option('--format <json|text|mermaid>', 'what to print on stdout (default: text)', parseFormat)
    .addHelpText(
      'after',
      '\nExample: ferry slice -p plan.json --command upgrade --instances A/Y,B/X -o current.json\nExit codes: 0 sliced, 2 input errors (unknown names, bad regroup, …; nothing is written).',
    )
    .action(
      async (
        opts: SliceFlags & {
          plan: string;
          output?: string;
          format?: ReturnType<typeof parseFormat>;
        },
      ) => {
        const plan = loadPlan(opts.plan);
        const command = sliceCommandFrom(opts);
        const sliced = slicePlan(plan, command, { file: 'command' });
        if (!sliced.ok) throw problemsError(sliced.problems);
        await emitPlan(sliced.value, opts.output, opts.format);
      },
    );

  program
    .command('check')
    .description('validate an edited plan file against the plan rules and the logic book')
    .requiredOption('-p, --plan <file>', 'the plan file (JSON; - for stdin)')
    .requiredOption('-l, --logic <file>', 'the logic book the plan was compiled with')
    .option(
      '-o, --output <file>',
      'also write the plan in canonical form here (only when it passes)',
    )
    .addHelpText(
      'after',
      '\nRules: every mission id is in `tasks` and appears once, `tasks` holds nothing else, a job holds only its host\'s tasks, and every instance keeps its mode\'s action order.\nExit codes: 0 valid, 2 problems (each printed as "file: path: message [CODE]").',
    )
    .action(async (opts: { plan: string; logic: string; output?: string }) => {
      const plan = loadPlan(opts.plan);
      const book = readLogicBook(readText(opts.logic), opts.logic);
      if (!book.ok) throw problemsError(book.problems);
      const problems = checkPlan(plan, book.value.modes, opts.plan);
      if (problems.length) {
        const forceable = problems.every((p) => FORCEABLE.has(p.code));
        const hint = forceable
          ? [
              '(only mode-order problems: an admin may force this plan through the API with ?force=true)',
            ]
          : [];
        throw new CliError([...problemsError(problems).lines, ...hint]);
      }
      const canonical = canonicalPlan(plan);
      if (opts.output !== undefined) await emitPlan(canonical, opts.output, 'json');
      process.stdout.write(
        `${opts.plan}: ok (${canonical.tasks.size} tasks in ${canonical.mission.length} batches)\n`,
      );
    });
}
