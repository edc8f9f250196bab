import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiClient } from '../../api/client';
import { withApi } from '../../api/errors';
import type { CollectSummary, PlanSummary, RunCreated, RunDetails } from '../../api/types';
import { followAndReport } from '../../commands/online/run';
import { formatDuration, resultLine, runDuration } from '../../commands/online/follow/render';
import type { Out } from '../../commands/online/follow/live-area';
import { CliError, EXIT } from '../../io/exit-codes';
import { DEFAULT_DATABASE_URL, probePostgres, withDatabaseName } from '../postgres';
import {
  failureLines,
  startSystem,
  type RunningSystem,
  type SimulateOptions,
} from '../start-system';
import { stateDirHolder } from '../state-lock';
import { cleanupDemo } from './cleanup';
import { demoDescriptor, demoSource, DEMO_LOGIC_BOOK } from './inputs';

export interface DemoOptions {
  /** The Ferry state dir; the demo works in `<state dir>/demo`, emptied first. */
  readonly stateDir: string;
  readonly nodes: number;
  readonly components: number;
  readonly port?: number;
  readonly simulate?: SimulateOptions | null;
  /** Leave the system up after the upgrade, until Ctrl-C (to browse the API and web page). */
  readonly keep?: boolean;
  readonly out?: Out;
  readonly env?: NodeJS.ProcessEnv;
}

interface RunOutcome {
  readonly command: string;
  readonly details: RunDetails;
}

const COMMANDS = ['prepare', 'upgrade'] as const;

/**
 * `ferry demo`: the whole system in this process's care, a simulated cluster, and a full upgrade
 * through the HTTP API (project, collect, plan, `prepare`, `upgrade`), each run followed live.
 * The demo keeps to itself: its own subjects (a FERRY_NAMESPACE), its own database (a fresh one
 * on the configured PostgreSQL, dropped afterwards, or an embedded one under the demo folder) and
 * its own folder for logs and state, so it neither disturbs nor is disturbed by a `ferry up`.
 * Returns the exit code: 0 when both runs succeeded, 1 otherwise.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const say = (...lines: string[]) => out.write(lines.map((l) => `${l}\n`).join(''));
  const env = options.env ?? process.env;
  const began = Date.now();
  const stateDir = join(resolve(options.stateDir), 'demo');
  const holder = stateDirHolder(stateDir);
  if (holder !== null)
    throw new CliError(
      [`ferry demo: another demo (pid ${holder}) is running in ${stateDir}`],
      EXIT.RUN_FAILED,
    );
  rmSync(stateDir, { recursive: true, force: true });

  const tag = randomBytes(3).toString('hex');
  const namespace = `demo-${tag}`;
  const configuredDb = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const useConfiguredDb = (await probePostgres(configuredDb)).ok;
  const databaseUrl = useConfiguredDb
    ? withDatabaseName(configuredDb, `ferry_demo_${tag}`)
    : undefined;
  const source = demoSource(options.nodes, options.components);

  say(
    `Ferry demo: a simulated ${options.nodes}-node cluster upgraded through the API`,
    'starting Ferry …',
  );
  // Ctrl-C or SIGTERM at any point stops everything the demo started.
  const interrupted = new AbortController();
  const onSignal = () => interrupted.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let system: RunningSystem | null = null;
  try {
    system = await startSystem({
      stateDir,
      port: options.port ?? 0,
      namespace,
      databaseUrl: databaseUrl ?? configuredDb,
      simulate: options.simulate ?? null,
      // The demo's own admin token, whatever FERRY_TOKENS says.
      env: { ...env, FERRY_TOKENS: '' },
      onStep: (line) => say(`  ${line}`),
      signal: interrupted.signal,
    });
    say(`Ferry is up at ${system.apiUrl} (${formatDuration(Date.now() - began)})`, '');
    const client = new ApiClient({ baseUrl: system.apiUrl, token: system.token });
    const work = demoUpgrade(client, source, say, out);
    const stopped = new Promise<never>((_, reject) => {
      interrupted.signal.addEventListener('abort', () =>
        reject(new CliError(['ferry demo: interrupted'], 130)),
      );
    });
    const failed = system.failure.then((f) => {
      throw new CliError(failureLines(f), EXIT.RUN_FAILED);
    });
    const outcome = await Promise.race([work, failed, stopped]);
    const ok =
      outcome.runs.length === COMMANDS.length &&
      outcome.runs.every((r) => r.details.state === 'succeeded');
    say('', ...summaryLines(outcome, system, Date.now() - began));
    if (options.keep) {
      say('', `the system stays up at ${system.apiUrl} (token ${system.token}); Ctrl-C stops it`);
      await Promise.race([
        failed,
        new Promise((r) => interrupted.signal.addEventListener('abort', r)),
      ]).catch(() => undefined);
    }
    return ok ? EXIT.OK : EXIT.RUN_FAILED;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (system) {
      say('stopping Ferry …');
      await system.stop();
      await cleanupDemo({
        natsUrl: system.nats.started ? null : system.nats.url,
        namespace,
        databaseUrl: databaseUrl ?? null,
      });
    }
  }
}

interface DemoOutcome {
  readonly collect: CollectSummary;
  readonly plan: PlanSummary;
  readonly runs: RunOutcome[];
}

async function demoUpgrade(
  client: ApiClient,
  source: string,
  say: (...lines: string[]) => void,
  out: Out,
): Promise<DemoOutcome> {
  const project = 'demo';
  await withApi(() =>
    client.post('/projects', {
      name: project,
      inventory: { source },
      descriptor: demoDescriptor(source),
      logicBook: DEMO_LOGIC_BOOK,
    }),
  );
  const collect = await withApi(() => client.post<CollectSummary>(`/projects/${project}/collect`));
  say(
    `collected   ${collect.nodes} nodes, ${collect.instances} instances, ${collect.components} components (${source})`,
  );
  const plan = await withApi(() => client.post<PlanSummary>(`/projects/${project}/plan`));
  say(`planned     ${plan.tasks} tasks in ${plan.batches} batches on ${plan.hosts} hosts`);
  const runs: RunOutcome[] = [];
  for (const command of COMMANDS) {
    const run = await withApi(() =>
      client.post<RunCreated>(`/projects/${project}/runs`, { command }),
    );
    say(
      '',
      `run ${command}: ${run.tasks ?? '?'} tasks in ${run.batches ?? '?'} batches (run ${run.id})`,
    );
    const { details } = await followAndReport(client, run.id, out, { handleInterrupt: false });
    runs.push({ command, details });
    if (details.state !== 'succeeded') break;
  }
  return { collect, plan, runs };
}

function summaryLines(outcome: DemoOutcome, system: RunningSystem, tookMs: number): string[] {
  const { collect, plan, runs } = outcome;
  const lines = [
    'Summary',
    `  cluster     ${collect.nodes} nodes, ${collect.instances} instances, ${collect.components} components`,
    `  plan        ${plan.tasks} tasks in ${plan.batches} batches`,
  ];
  for (const { command, details } of runs) {
    const took = runDuration(details);
    lines.push(
      `  ${command.padEnd(10)}  ${details.state}${took !== null ? ` in ${formatDuration(took)}` : ''}: ${resultLine(details)}`,
    );
  }
  for (const command of COMMANDS.slice(runs.length)) lines.push(`  ${command.padEnd(10)}  not run`);
  lines.push(
    `  total       ${formatDuration(tookMs)} (starting and stopping Ferry included)`,
    `  executor    ${system.scripts ? `ran the scripts of ${system.scripts}` : 'simulated the tasks'}`,
    `  logs        ${system.logsDir}`,
  );
  return lines;
}
