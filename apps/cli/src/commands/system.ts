import { InvalidArgumentError, type Command } from 'commander';
import { CliError, EXIT } from '../io/exit-codes';
import { redactUrl } from '../system/redact';
import { formatDuration } from './online/follow/render';
import type { RunningSystem, ServiceFailure, SimulateOptions } from '../system/start-system';

const wholeNumber =
  (flag: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (raw: string) => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
      throw new InvalidArgumentError(
        `${flag} takes a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}.`,
      );
    }
    return Number(raw);
  };

const rate = (raw: string) => {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidArgumentError('--fail-rate takes a share from 0 to 1.');
  }
  return value;
};

interface SimulationFlags {
  simulate?: boolean;
  taskMs?: number;
  failRate?: number;
}

function simulationFrom(flags: SimulationFlags, command: string): SimulateOptions | null {
  if (!flags.simulate) {
    const stray = [
      flags.taskMs !== undefined ? '--task-ms' : '',
      flags.failRate !== undefined ? '--fail-rate' : '',
    ].filter(Boolean);
    if (stray.length)
      throw new CliError([`ferry ${command}: ${stray.join(', ')} only apply with --simulate`]);
    return null;
  }
  return { taskMs: flags.taskMs ?? 0, failRate: flags.failRate ?? 0 };
}

function defaultStateDir(): string {
  return process.env.FERRY_STATE_DIR || './.ferry';
}

/** What `ferry up` prints once the API answers. */
export function readyLines(system: RunningSystem, tookMs: number): string[] {
  const token = system.tokenGenerated
    ? [`  token       ${system.token}   (admin, made up for this run)`]
    : [`  token       from FERRY_TOKENS`];
  return [
    `Ferry is up (${formatDuration(tookMs)}).`,
    `  API         ${system.apiUrl}   (OpenAPI at ${system.apiUrl}/docs, web page at ${system.apiUrl}/)`,
    ...token,
    `  logs        ${system.logsDir}`,
    `  NATS        ${system.nats.url} (${system.nats.started ? 'started by ferry up' : 'external'})`,
    `  PostgreSQL  ${system.postgres.embedded ? `embedded (PGlite) at ${system.postgres.url}` : `${redactUrl(system.postgres.url)} (external)`}`,
    `  executor    one pool for every host, ${system.scripts ? `running the scripts of ${system.scripts}` : 'simulating the tasks'}`,
    '',
    'In another terminal:',
    `  export FERRY_API=${system.apiUrl}${system.tokenGenerated ? ` FERRY_TOKEN=${system.token}` : ''}`,
    '  ferry project create NAME --inventory SRC --descriptor FILE --logic FILE',
    '',
    'Ctrl-C stops everything.',
  ];
}

/** Waits for Ctrl-C / SIGTERM (resolves with the signal) or a service dying (resolves with it). */
function untilStopped(
  system: RunningSystem,
): Promise<{ signal: NodeJS.Signals } | { failure: ServiceFailure }> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      resolve({ signal });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void system.failure.then((failure) => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      resolve({ failure });
    });
  });
}

export function registerSystemCommands(program: Command): void {
  program
    .command('up')
    .description(
      'run the whole system on this machine until interrupted (NATS, PostgreSQL, every service, a node executor pool)',
    )
    .option(
      '--port <port>',
      'API port (default $FERRY_PORT or 3000; 0 picks a free one)',
      wholeNumber('--port', 0, 65535),
    )
    .option(
      '--state-dir <dir>',
      'logs, NATS store, embedded database and executor state (default $FERRY_STATE_DIR or ./.ferry)',
    )
    .option(
      '--simulate',
      'the executor runs no scripts: each task takes --task-ms and fails at --fail-rate',
    )
    .option(
      '--task-ms <n>',
      'with --simulate: how long each task takes',
      wholeNumber('--task-ms', 0),
    )
    .option('--fail-rate <p>', 'with --simulate: share of task attempts that fail (0…1)', rate)
    .option('--quiet', 'print only FERRY_API and FERRY_TOKEN once ready (and errors)')
    .addHelpText(
      'after',
      [
        '',
        'Uses NATS_URL (default nats://127.0.0.1:4222) when it answers with JetStream, else starts nats-server from PATH;',
        'uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ferry) when it answers, else an embedded PostgreSQL.',
        'FERRY_TOKENS (role:token,…) sets the API tokens; without it an admin token is made up and printed.',
        'FERRY_SCRIPTS names the task scripts (default: the bundled harmless demo scripts).',
        'Exit codes: 0 stopped by Ctrl-C/SIGTERM, 1 could not start or a service died.',
      ].join('\n'),
    )
    .action(
      async (flags: SimulationFlags & { port?: number; stateDir?: string; quiet?: boolean }) => {
        const simulate = simulationFrom(flags, 'up');
        const { startSystem, failureLines } = await import('../system/start-system');
        const print = (...lines: string[]) =>
          process.stdout.write(lines.map((l) => `${l}\n`).join(''));
        const began = Date.now();
        // Ctrl-C while starting stops what was started (the default would leave it running).
        const starting = new AbortController();
        const abort = () => starting.abort();
        process.on('SIGINT', abort);
        process.on('SIGTERM', abort);
        let system: RunningSystem;
        try {
          if (!flags.quiet)
            print(`ferry up: starting (state dir ${flags.stateDir ?? defaultStateDir()})`);
          system = await startSystem({
            stateDir: flags.stateDir ?? defaultStateDir(),
            ...(flags.port !== undefined ? { port: flags.port } : {}),
            simulate,
            signal: starting.signal,
            ...(flags.quiet ? {} : { onStep: (line: string) => print(`  ${line}`) }),
          });
        } finally {
          process.removeListener('SIGINT', abort);
          process.removeListener('SIGTERM', abort);
        }
        // A token from FERRY_TOKENS is the operator's own secret: only a made-up one is printed.
        if (flags.quiet)
          print(
            `FERRY_API=${system.apiUrl}`,
            ...(system.tokenGenerated ? [`FERRY_TOKEN=${system.token}`] : []),
          );
        else print('', ...readyLines(system, Date.now() - began));

        const stopped = await untilStopped(system);
        // A second Ctrl-C while stopping does not wait: the exit hook kills what is left.
        const force = () => process.exit(130);
        process.on('SIGINT', force);
        process.on('SIGTERM', force);
        if ('failure' in stopped) {
          process.stderr.write(`${failureLines(stopped.failure).join('\n')}\n`);
          if (!flags.quiet) print('stopping Ferry …');
          await system.stop();
          throw new CliError(
            [`ferry up: stopped because ${stopped.failure.service} died`],
            EXIT.RUN_FAILED,
          );
        }
        if (!flags.quiet) print('', `${stopped.signal}: stopping Ferry …`);
        await system.stop();
        if (!flags.quiet) print('stopped.');
      },
    );

  program
    .command('demo')
    .description(
      'ferry up + a simulated cluster and a full upgrade through the API (collect, plan, prepare, upgrade); prints a summary and exits',
    )
    .option(
      '--nodes <n>',
      'nodes of the simulated cluster',
      wholeNumber('--nodes', 1, 100_000),
      200,
    )
    .option(
      '--components <n>',
      'components per node (at least 2: the logic book orders comp-01 and comp-02)',
      wholeNumber('--components', 2, 100),
      4,
    )
    .option('--port <port>', 'API port (default: a free one)', wholeNumber('--port', 0, 65535))
    .option(
      '--state-dir <dir>',
      'the demo works in <dir>/demo, emptied first (default $FERRY_STATE_DIR or ./.ferry)',
    )
    .option('--simulate', 'simulate the tasks instead of running the bundled demo scripts')
    .option(
      '--task-ms <n>',
      'with --simulate: how long each task takes',
      wholeNumber('--task-ms', 0),
    )
    .option(
      '--fail-rate <p>',
      'with --simulate: share of task attempts that fail (0…1), to see a failed run',
      rate,
    )
    .option('--keep', 'leave the system up after the upgrade, until Ctrl-C')
    .addHelpText(
      'after',
      '\nExit codes: 0 both runs succeeded, 1 a run failed (or the system could not start).',
    )
    .action(
      async (
        flags: SimulationFlags & {
          nodes: number;
          components: number;
          port?: number;
          stateDir?: string;
          keep?: boolean;
        },
      ) => {
        const simulate = simulationFrom(flags, 'demo');
        const { runDemo } = await import('../system/demo/run-demo');
        const code = await runDemo({
          stateDir: flags.stateDir ?? defaultStateDir(),
          nodes: flags.nodes,
          components: flags.components,
          simulate,
          keep: flags.keep,
          ...(flags.port !== undefined ? { port: flags.port } : {}),
        });
        if (code !== EXIT.OK)
          throw new CliError(['ferry demo: the upgrade did not succeed (see above)'], code);
      },
    );

  program
    .command('loadtest')
    .description(
      "the whole stack with a simulated executor pool: one run of a generated cluster's whole plan, measured",
    )
    .option(
      '--nodes <n>',
      'nodes of the simulated cluster',
      wholeNumber('--nodes', 1, 1_000_000),
      10_000,
    )
    .option(
      '--components <n>',
      'components per node (at least 2)',
      wholeNumber('--components', 2, 100),
      10,
    )
    .option('--task-ms <n>', 'how long each simulated task takes', wholeNumber('--task-ms', 0), 0)
    .option('--fail-rate <p>', 'share of task attempts that fail (0…1)', rate, 0)
    .option('--out <file>', 'also write the report (JSON) here')
    .option(
      '--state-dir <dir>',
      'works in <dir>/loadtest, emptied first (default $FERRY_STATE_DIR or ./.ferry)',
    )
    .addHelpText(
      'after',
      '\nPrints the report of interfaces.md as JSON on stdout (progress on stderr).\nExit codes: 0 no report lost and no attempt run twice (and, without --fail-rate, the run succeeded); 1 otherwise.',
    )
    .action(
      async (flags: {
        nodes: number;
        components: number;
        taskMs: number;
        failRate: number;
        out?: string;
        stateDir?: string;
      }) => {
        const { runLoadtest } = await import('../system/loadtest/run-loadtest');
        const report = await runLoadtest({
          stateDir: flags.stateDir ?? defaultStateDir(),
          nodes: flags.nodes,
          components: flags.components,
          taskMs: flags.taskMs,
          failRate: flags.failRate,
          out: flags.out,
        });
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        const healthy =
          report.reports_lost === 0 &&
          report.duplicate_executions === 0 &&
          (flags.failRate > 0 || report.state === 'succeeded');
        if (!healthy)
          throw new CliError(
            [
              `ferry loadtest: the run ended ${report.state} with ${report.reports_lost} report(s) lost and ${report.duplicate_executions} duplicate execution(s)`,
            ],
            EXIT.RUN_FAILED,
          );
      },
    );
}
