import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'nats';
import { CliError, EXIT } from '../io/exit-codes';
import { networkReason } from '../api/client';
import { whichExecutable } from './locate';
import { tailFile } from './log-tail';
import { describeExit, ManagedProcess } from './managed-process';
import { freePort } from './ports';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export type NatsProbe = { ok: true } | { ok: false; reason: string };

/** Whether a NATS server answers at `url` with JetStream enabled (the status stream needs it). */
export async function probeNats(url: string, timeoutMs = 2000): Promise<NatsProbe> {
  let nc;
  try {
    nc = await connect({
      servers: url,
      timeout: timeoutMs,
      maxReconnectAttempts: 0,
      reconnect: false,
    });
  } catch (e) {
    return { ok: false, reason: networkReason(e) };
  }
  try {
    const jsm = await nc.jetstreamManager({ timeout: timeoutMs });
    await jsm.getAccountInfo();
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `reachable, but without JetStream (${(e as Error).message})` };
  } finally {
    await nc.close().catch(() => undefined);
  }
}

export interface NatsEndpoint {
  readonly url: string;
  /** The nats-server `ferry up` started, or null when an external one is used. */
  readonly process: ManagedProcess | null;
}

export interface NatsOptions {
  readonly url: string;
  readonly stateDir: string;
  readonly logsDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly readyTimeoutMs?: number;
}

/**
 * NATS for the services: the one at `url` when it answers with JetStream, else a `nats-server -js`
 * from PATH on a free port of 127.0.0.1, its store under the state dir.
 */
export async function ensureNats(options: NatsOptions, probe?: NatsProbe): Promise<NatsEndpoint> {
  const found = probe ?? (await probeNats(options.url));
  if (found.ok) return { url: options.url, process: null };
  const binary = whichExecutable('nats-server', options.env.PATH);
  if (!binary) {
    throw new CliError(
      [
        `ferry: no NATS with JetStream at ${options.url} (${found.reason}), and no \`nats-server\` on PATH to start one.`,
        'Install nats-server (https://github.com/nats-io/nats-server/releases, or your package manager) or set NATS_URL to a NATS server started with -js.',
      ],
      EXIT.RUN_FAILED,
    );
  }
  const port = await freePort();
  const storeDir = join(options.stateDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const logFile = join(options.logsDir, 'nats-server.log');
  const server = ManagedProcess.start(
    'nats-server',
    binary,
    ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir],
    {
      env: options.env,
      logFile,
    },
  );
  const url = `nats://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
  for (;;) {
    if (!server.running) {
      throw new CliError(
        [
          `ferry: nats-server stopped while starting (${describeExit(server.exitStatus)}); the end of ${logFile}:`,
          ...tailFile(logFile, 15).map((l) => `  ${l}`),
        ],
        EXIT.RUN_FAILED,
      );
    }
    if ((await probeNats(url, 500)).ok) return { url, process: server };
    if (Date.now() > deadline) {
      await server.stop(2000);
      throw new CliError(
        [`ferry: nats-server did not become ready at ${url}; see ${logFile}`],
        EXIT.RUN_FAILED,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
