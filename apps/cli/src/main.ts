import { Command, CommanderError } from 'commander';
import { registerOfflineCommands } from './commands/offline';
import { registerOnlineCommands } from './commands/online';
import { registerSystemCommands } from './commands/system';
import { CliError, EXIT } from './io/exit-codes';

export function buildProgram(): Command {
  const program = new Command('ferry')
    .description('Ferry: plan-driven upgrades for large clusters')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerOfflineCommands(program);
  registerOnlineCommands(program);
  registerSystemCommands(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Runs the CLI and maps errors to exit codes: input errors 2, failed runs 1. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv as string[]);
    return EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return EXIT.OK;
      return EXIT.INPUT;
    }
    if (e instanceof CliError) {
      process.stderr.write(`${e.lines.join('\n')}\n`);
      return e.exitCode;
    }
    process.stderr.write(`ferry: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.RUN_FAILED;
  }
}

/** Entry used by bin/ferry.js and by `node dist/apps/cli/src/main.js`. */
export function run(): void {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) run();
