import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { HelpShown, OptionsError, parseExecutorArgs, type ExecutorOptions } from './cli/options';
import { startExecutor } from './executor.app';

const EXIT_INPUT = 2;

function fail(message: string, code: number): never {
  process.stderr.write(`ferry node-executor: ${message}\n`);
  process.exit(code);
}

/** Parses flags (exit 2 on a bad one), starts, and on SIGTERM/SIGINT shuts down gracefully, exit 0. */
export async function main(argv: readonly string[]): Promise<void> {
  let options: ExecutorOptions;
  try {
    options = parseExecutorArgs(argv, process.env);
  } catch (e) {
    if (e instanceof HelpShown) process.exit(0);
    if (e instanceof OptionsError) fail(`${e.message}\n(run with --help for usage)`, EXIT_INPUT);
    throw e;
  }
  let app: INestApplicationContext;
  try {
    app = await startExecutor(options);
  } catch (e) {
    fail(`cannot start: ${(e as Error).message}`, 1);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) fail(`second ${signal} during shutdown: exiting now`, 1);
    stopping = true;
    app
      .close()
      .then(() => process.exit(0))
      .catch((e: unknown) => fail(`shutdown failed: ${(e as Error).message}`, 1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) void main(process.argv.slice(2));
