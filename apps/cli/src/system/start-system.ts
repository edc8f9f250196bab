import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, EXIT } from '../io/exit-codes';
import { waitForHealth } from './health';
import {
  bundledScripts,
  checkBuilt,
  isDirectory,
  locateDist,
  packageRoot,
  serviceEntry,
  SERVICES,
} from './locate';
import { readableLogLine, tailFile } from './log-tail';
import { describeExit, ManagedProcess } from './managed-process';
import { DEFAULT_NATS_URL, ensureNats, probeNats, type NatsEndpoint } from './nats';
import { freePort, portIsFree } from './ports';
import {
  DEFAULT_DATABASE_URL,
  ensurePostgres,
  probePostgres,
  type PostgresEndpoint,
} from './postgres';
import { lockStateDir } from './state-lock';
import { redactUrl } from './redact';
import { resolveTokens } from './tokens';

/** The executor's `--simulate` settings (no scripts run; each task takes `taskMs`). */
export interface SimulateOptions {
  readonly taskMs?: number;
  readonly taskMsJitter?: number;
  readonly failRate?: number;
  readonly seed?: number;
}

export interface SystemOptions {
  /** Everything `ferry up` writes: logs, the NATS store, the embedded database, executor state. */
  readonly stateDir: string;
  /** API port; default FERRY_PORT or 3000; 0 picks a free one. */
  readonly port?: number;
  readonly natsUrl?: string;
  readonly databaseUrl?: string;
  /** FERRY_TOKENS for the API; one admin token is made up when neither this nor the env has one. */
  readonly tokens?: string;
  /** The executor's script folder; default FERRY_SCRIPTS or the bundled `scripts/demo`. */
  readonly scripts?: string;
  /** FERRY_NAMESPACE: subjects, stream and consumer of their own on a shared NATS. */
  readonly namespace?: string;
  readonly logLevel?: string;
  /** DATABASE_POOL_SIZE of each service (small: an embedded PostgreSQL serves few connections). */
  readonly poolSize?: number;
  readonly simulate?: SimulateOptions | null;
  /** Where the compiled services are (default: found from this file). */
  readonly distDir?: string;
  /** Folder of the embedded PostgreSQL's data (default `<state dir>/pglite`). */
  readonly embeddedDataDir?: string;
  readonly readyTimeoutMs?: number;
  readonly stopGraceMs?: number;
  /** Base environment of the children and source of the defaults (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines while starting ("NATS: …", "PostgreSQL: …"). */
  readonly onStep?: (line: string) => void;
  /** Aborting it while starting stops what was started and rejects (exit code 130). */
  readonly signal?: AbortSignal;
}

export interface ServiceFailure {
  readonly service: string;
  readonly exit: string;
  readonly logFile: string;
  /** The last lines of its log, made readable. */
  readonly tail: readonly string[];
}

export interface RunningSystem {
  readonly apiUrl: string;
  readonly port: number;
  /** A token for the API (the highest role given), and whether it was made up. */
  readonly token: string;
  readonly tokenGenerated: boolean;
  readonly tokens: string;
  readonly stateDir: string;
  readonly logsDir: string;
  readonly namespace: string;
  readonly nats: { readonly url: string; readonly started: boolean };
  readonly postgres: { readonly url: string; readonly embedded: boolean };
  readonly scripts: string | null;
  readonly services: readonly {
    readonly name: string;
    readonly pid: number | undefined;
    readonly logFile: string;
  }[];
  /** Resolves when a service dies while the system is up (never, if none does). */
  readonly failure: Promise<ServiceFailure>;
  /** Stops the services (SIGTERM, then SIGKILL after a grace), then NATS and PostgreSQL if started. */
  stop(): Promise<void>;
}

/** Services that hold a database pool (the node executor keeps its state on local disk). */
const POOLED_SERVICES = SERVICES.filter((s) => s !== 'node-executor').length;
const DEFAULT_POOL_SIZE = 3;

/** The environment the Ferry variables are taken out of: the children get them explicitly. */
const FERRY_VARIABLES = [
  'NATS_URL',
  'DATABASE_URL',
  'FERRY_PORT',
  'FERRY_TOKENS',
  'FERRY_SCRIPTS',
  'FERRY_NAMESPACE',
  'FERRY_STATE_DIR',
  'LOG_LEVEL',
  'DATABASE_POOL_SIZE',
];

function portFrom(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError([`FERRY_PORT: not a port: ${JSON.stringify(value)}`]);
  return port;
}

export function failureOf(p: ManagedProcess): ServiceFailure {
  return {
    service: p.name,
    exit: describeExit(p.exitStatus),
    logFile: p.logFile,
    tail: tailFile(p.logFile, 15).map(readableLogLine),
  };
}

export function failureLines(f: ServiceFailure): string[] {
  return [
    `ferry: ${f.service} stopped (${f.exit}); the end of ${f.logFile}:`,
    ...f.tail.map((l) => `  ${l}`),
  ];
}

/**
 * Runs the whole system on this machine: NATS and PostgreSQL (the configured ones when they
 * answer, else a nats-server from PATH and an embedded PostgreSQL), every service as a child
 * process with its log under `<state dir>/logs`, and one node executor in pool mode. Resolves
 * once the API answers `GET /health` with 200.
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const env = options.env ?? process.env;
  const step = options.onStep ?? (() => undefined);
  const interrupted = () =>
    new CliError(['ferry: interrupted while starting; stopped what was started'], 130);
  const checkpoint = () => {
    if (options.signal?.aborted) throw interrupted();
  };
  const dist = locateDist(options.distDir);
  checkBuilt(dist);

  const stateDir = resolve(options.stateDir);
  const logsDir = join(stateDir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const unlock = lockStateDir(stateDir);

  let nats: NatsEndpoint | null = null;
  let postgres: PostgresEndpoint | null = null;
  const children: ManagedProcess[] = [];
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    const grace = options.stopGraceMs ?? 15_000;
    await Promise.all(children.map((c) => c.stop(grace)));
    await nats?.process?.stop(5000);
    await postgres?.embedded?.stop();
    unlock();
  };

  try {
    const requestedPort = options.port ?? portFrom(env.FERRY_PORT) ?? 3000;
    const port = requestedPort === 0 ? await freePort() : requestedPort;
    if (!(await portIsFree(port))) {
      throw new CliError(
        [
          `ferry: port ${port} is already in use (another \`ferry up\`?); choose another with --port or FERRY_PORT`,
        ],
        EXIT.RUN_FAILED,
      );
    }

    const simulate = options.simulate ?? null;
    const scripts = resolve(options.scripts ?? (env.FERRY_SCRIPTS || bundledScripts(dist)));
    if (!simulate && !isDirectory(scripts)) {
      throw new CliError(
        [
          `ferry: the task scripts folder ${scripts} does not exist; set FERRY_SCRIPTS to your scripts (or run with --simulate)`,
        ],
        EXIT.RUN_FAILED,
      );
    }
    const tokens = resolveTokens(options.tokens ?? env.FERRY_TOKENS);
    const namespace = options.namespace ?? env.FERRY_NAMESPACE ?? '';
    const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;

    const natsUrl = options.natsUrl ?? (env.NATS_URL || DEFAULT_NATS_URL);
    const databaseUrl = options.databaseUrl ?? (env.DATABASE_URL || DEFAULT_DATABASE_URL);
    const [natsProbe, pgProbe] = await Promise.all([
      probeNats(natsUrl),
      probePostgres(databaseUrl),
    ]);

    // NATS first: a missing nats-server is reported before anything else is started.
    checkpoint();
    nats = await ensureNats({ url: natsUrl, stateDir, logsDir, env }, natsProbe);
    checkpoint();
    step(
      nats.process
        ? `NATS        started nats-server at ${nats.url} (${natsUrl} did not answer with JetStream)`
        : `NATS        ${nats.url}`,
    );

    postgres = await ensurePostgres(
      {
        url: databaseUrl,
        dataDir: options.embeddedDataDir ?? join(stateDir, 'pglite'),
        // Each pooled service: its pool, plus the probe that checks its database exists.
        maxConnections: POOLED_SERVICES * (poolSize + 1) + 4,
      },
      pgProbe,
    );
    step(
      postgres.embedded
        ? `PostgreSQL  started an embedded PostgreSQL (PGlite, data in ${postgres.embedded.dataDir}) at ${postgres.url}`
        : `PostgreSQL  ${redactUrl(postgres.url)}`,
    );

    checkpoint();
    await migrate(postgres.url);
    checkpoint();

    const childEnv: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(env).filter(([key]) => !FERRY_VARIABLES.includes(key)),
    );
    Object.assign(childEnv, {
      NATS_URL: nats.url,
      DATABASE_URL: postgres.url,
      FERRY_PORT: String(port),
      FERRY_TOKENS: tokens.spec,
      FERRY_SCRIPTS: scripts,
      FERRY_STATE_DIR: stateDir,
      LOG_LEVEL: options.logLevel ?? env.LOG_LEVEL ?? 'info',
      DATABASE_POOL_SIZE: String(poolSize),
      ...(namespace ? { FERRY_NAMESPACE: namespace } : {}),
    });
    step(`services    ${SERVICES.join(', ')} (logs: ${join(logsDir, '<service>.log')})`);
    for (const service of SERVICES) {
      const args = service === 'node-executor' ? executorArgs(stateDir, simulate) : [];
      children.push(
        ManagedProcess.start(service, process.execPath, [serviceEntry(dist, service), ...args], {
          env: childEnv,
          logFile: join(logsDir, `${service}.log`),
          cwd: packageRoot(dist),
        }),
      );
    }

    const apiUrl = `http://127.0.0.1:${port}`;
    const firstExit = () => Promise.race(children.map((c) => c.exit.then(() => c)));
    const giveUp = new AbortController();
    const onAbort = () => giveUp.abort();
    options.signal?.addEventListener('abort', onAbort);
    const ready = await Promise.race([
      waitForHealth(apiUrl, options.readyTimeoutMs ?? 120_000, giveUp.signal).then((r) => ({
        kind: 'health' as const,
        ...r,
      })),
      firstExit().then((c) => ({ kind: 'exit' as const, child: c })),
    ]);
    giveUp.abort();
    options.signal?.removeEventListener('abort', onAbort);
    checkpoint();
    if (ready.kind === 'exit')
      throw new CliError(failureLines(failureOf(ready.child)), EXIT.RUN_FAILED);
    if (!ready.ok) {
      throw new CliError(
        [
          `ferry: the API at ${apiUrl} did not become healthy in time (${ready.detail}); see ${join(logsDir, 'orchestrator.log')}`,
        ],
        EXIT.RUN_FAILED,
      );
    }

    const failure = new Promise<ServiceFailure>((resolveFailure) => {
      for (const child of children) {
        void child.exit.then(() => {
          if (!child.stopping && !stopped) resolveFailure(failureOf(child));
        });
      }
    });
    const started = { nats, postgres };
    return {
      apiUrl,
      port,
      token: tokens.token,
      tokenGenerated: tokens.generated,
      tokens: tokens.spec,
      stateDir,
      logsDir,
      namespace,
      nats: { url: started.nats.url, started: started.nats.process !== null },
      postgres: { url: started.postgres.url, embedded: started.postgres.embedded !== null },
      scripts: simulate ? null : scripts,
      services: children.map((c) => ({ name: c.name, pid: c.pid, logFile: c.logFile })),
      failure,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

export function executorStatsFile(stateDir: string): string {
  return join(stateDir, 'executor', 'stats.json');
}

function executorArgs(stateDir: string, simulate: SimulateOptions | null): string[] {
  // The stats file carries the executor's counters (reports sent, duplicate executions) to ferry loadtest.
  const args = [
    '--pool',
    '--state-dir',
    join(stateDir, 'executor'),
    '--stats-file',
    executorStatsFile(stateDir),
  ];
  if (!simulate) return args;
  args.push('--simulate');
  if (simulate.taskMs !== undefined) args.push('--task-ms', String(simulate.taskMs));
  if (simulate.taskMsJitter !== undefined)
    args.push('--task-ms-jitter', String(simulate.taskMsJitter));
  if (simulate.failRate !== undefined) args.push('--fail-rate', String(simulate.failRate));
  if (simulate.seed !== undefined) args.push('--seed', String(simulate.seed));
  return args;
}

/**
 * Applies the migrations once before the services start. They would do it themselves under an
 * advisory lock, but the embedded PostgreSQL is a single session where that lock excludes nobody,
 * and a database that cannot be migrated is better reported here, once, than by six services.
 */
async function migrate(url: string): Promise<void> {
  const { openStorage } = await import('@ferry/storage');
  try {
    // Two connections: openStorage holds one for its advisory lock while the migrations use another.
    const dataSource = await openStorage({ url, poolSize: 2, applicationName: 'ferry-up' });
    await dataSource.destroy();
  } catch (e) {
    throw new CliError(
      [`ferry: cannot prepare the database at ${redactUrl(url)}: ${(e as Error).message}`],
      EXIT.RUN_FAILED,
    );
  }
}
