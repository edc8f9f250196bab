import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { hostToken } from '@ferry/contracts';

/** Everything the executor is told at start, validated once (flags + environment). */
export interface ExecutorOptions {
  /** `host`: one node's agent; `pool`: serves the jobs of every host (a queue group member). */
  readonly mode: 'host' | 'pool';
  /** The node id in host mode, null in pool mode. */
  readonly host: string | null;
  readonly simulate: boolean;
  readonly simulation: SimulationOptions;
  /** Tasks of one stage running at once per host. */
  readonly parallel: number;
  readonly stateDir: string;
  readonly statsFile: string | null;
  readonly heartbeatMs: number;
  readonly killGraceMs: number;
  /** Names this process in reports, msgIDs and its attempt log file; unique per process. */
  readonly executorId: string;
  /** $FERRY_SCRIPTS; null only in simulation. */
  readonly scriptsDir: string | null;
}

export interface SimulationOptions {
  readonly taskMs: number;
  readonly taskMsJitter: number;
  readonly failRate: number;
  readonly failTasks: ReadonlySet<string>;
  readonly seed: number;
}

/** A flag or environment problem: printed as one line, exit code 2. */
export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

/** `--help` was asked for; the text was already written. */
export class HelpShown extends Error {}

const DEFAULT_PARALLEL = 16;
const DEFAULT_HEARTBEAT_S = 5;
const DEFAULT_KILL_GRACE_S = 10;
const DEFAULT_STATE_DIR = './.ferry/executor';
const SIMULATION_FLAGS = ['taskMs', 'taskMsJitter', 'failRate', 'failTasks', 'seed'] as const;

function wholeNumber(flag: string, min: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) {
      throw new OptionsError(`${flag} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
    }
    return Number(raw);
  };
}

function decimal(flag: string, min: number, max: number, minExclusive = false) {
  return (raw: string): number => {
    const value = Number(raw);
    const tooLow = minExclusive ? value <= min : value < min;
    if (raw.trim() === '' || !Number.isFinite(value) || tooLow || value > max) {
      const range = `${minExclusive ? '>' : '≥'} ${min}${Number.isFinite(max) ? ` and ≤ ${max}` : ''}`;
      throw new OptionsError(`${flag} must be a number ${range}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
}

function idList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function buildCommand(output: { out: string[]; err: string[] }): Command {
  return new Command('node-executor')
    .description('Ferry node executor: runs the jobs the dispatcher sends and reports every task')
    .addOption(new Option('--host <id>', 'serve the jobs of this node (ferry.node.<id>.jobs)'))
    .addOption(
      new Option('--pool', 'serve the jobs of every host, sharing them with other pool members'),
    )
    .option('--simulate', 'run no process: each task takes --task-ms and succeeds or fails by seed')
    .option('--task-ms <n>', 'simulated task duration in ms', wholeNumber('--task-ms', 0))
    .option(
      '--task-ms-jitter <n>',
      'simulated duration varies by ± this many ms',
      wholeNumber('--task-ms-jitter', 0),
    )
    .option(
      '--fail-rate <p>',
      'share of simulated task attempts that fail (0…1)',
      decimal('--fail-rate', 0, 1),
    )
    .option('--fail-tasks <ids>', 'comma-separated task ids whose simulated attempts fail', idList)
    .option('--seed <s>', 'seed of the simulation', wholeNumber('--seed', 0))
    .option(
      '--parallel <n>',
      'tasks of one stage at once per host',
      wholeNumber('--parallel', 1),
      DEFAULT_PARALLEL,
    )
    .option(
      '--state-dir <dir>',
      'where started attempts are kept (default $FERRY_STATE_DIR or ./.ferry/executor)',
    )
    .option('--stats-file <file>', 'write counters as JSON every second and at exit')
    .option(
      '--heartbeat-s <n>',
      'seconds between heartbeats',
      decimal('--heartbeat-s', 0, Infinity, true),
      DEFAULT_HEARTBEAT_S,
    )
    .option(
      '--kill-grace-s <n>',
      'seconds between SIGTERM and SIGKILL; also how long shutdown waits for running tasks',
      decimal('--kill-grace-s', 0, Infinity),
      DEFAULT_KILL_GRACE_S,
    )
    .option(
      '--executor-id <name>',
      'name of this executor process (unique among those sharing a state dir)',
    )
    .helpOption('-h, --help', 'show this help')
    .configureOutput({ writeOut: (s) => output.out.push(s), writeErr: (s) => output.err.push(s) })
    .exitOverride()
    .allowExcessArguments(false);
}

/** A name safe in a file name and a msgID. */
function safeName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_');
}

interface RawFlags {
  host?: string;
  pool?: boolean;
  simulate?: boolean;
  taskMs?: number;
  taskMsJitter?: number;
  failRate?: number;
  failTasks?: string[];
  seed?: number;
  parallel: number;
  stateDir?: string;
  statsFile?: string;
  heartbeatS: number;
  killGraceS: number;
  executorId?: string;
}

/**
 * Parses the executor's command line (argv without node and script) and its environment. Throws
 * OptionsError with one clear line for anything wrong, HelpShown after printing --help.
 */
export function parseExecutorArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  print: (text: string) => void = (t) => process.stdout.write(t),
): ExecutorOptions {
  const output = { out: [] as string[], err: [] as string[] };
  const command = buildCommand(output);
  try {
    command.parse(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof OptionsError) throw e;
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') {
        print(output.out.join(''));
        throw new HelpShown();
      }
      // Commander wraps errors thrown by option parsers; keep our message.
      throw new OptionsError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
  const flags = command.opts<RawFlags>();

  if (flags.host !== undefined && flags.pool)
    throw new OptionsError('use either --host ID or --pool, not both');
  if (flags.host === undefined && !flags.pool)
    throw new OptionsError('say which jobs to serve: --host ID (one node) or --pool (every host)');
  if (flags.host !== undefined) {
    try {
      hostToken(flags.host);
    } catch (e) {
      throw new OptionsError(`--host: ${(e as Error).message}`);
    }
  }
  const simulate = Boolean(flags.simulate);
  if (!simulate) {
    const stray = SIMULATION_FLAGS.filter((f) => flags[f] !== undefined);
    if (stray.length) {
      const names = stray.map((f) => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
      throw new OptionsError(`${names.join(', ')} only apply with --simulate`);
    }
  }

  let scriptsDir: string | null = null;
  if (!simulate) {
    // No silent default: a node agent that ran bundled demo scripts would report an upgrade that never happened.
    if (!env.FERRY_SCRIPTS)
      throw new OptionsError(
        'FERRY_SCRIPTS is not set: point it at the folder of task scripts (or use --simulate)',
      );
    scriptsDir = resolve(env.FERRY_SCRIPTS);
    let isDir = false;
    try {
      isDir = statSync(scriptsDir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new OptionsError(`FERRY_SCRIPTS=${env.FERRY_SCRIPTS} is not a folder`);
  }

  if (flags.executorId !== undefined && !/^[A-Za-z0-9._-]+$/.test(flags.executorId)) {
    throw new OptionsError(
      `--executor-id may hold only letters, digits, ".", "_" and "-", got ${JSON.stringify(flags.executorId)}`,
    );
  }
  // A node's agent keeps its name (and attempt log file) across restarts; pool members are per process.
  const executorId =
    flags.executorId ??
    (flags.host !== undefined
      ? `host-${safeName(flags.host)}`
      : `pool-${safeName(hostname())}-${process.pid}`);

  return {
    mode: flags.host !== undefined ? 'host' : 'pool',
    host: flags.host ?? null,
    simulate,
    simulation: {
      taskMs: flags.taskMs ?? 0,
      taskMsJitter: flags.taskMsJitter ?? 0,
      failRate: flags.failRate ?? 0,
      failTasks: new Set(flags.failTasks ?? []),
      seed: flags.seed ?? 0,
    },
    parallel: flags.parallel,
    stateDir: resolve(flags.stateDir ?? env.FERRY_STATE_DIR ?? DEFAULT_STATE_DIR),
    statsFile: flags.statsFile ? resolve(flags.statsFile) : null,
    heartbeatMs: Math.round(flags.heartbeatS * 1000),
    killGraceMs: Math.round(flags.killGraceS * 1000),
    executorId,
    scriptsDir,
  };
}
