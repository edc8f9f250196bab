import { mkdirSync } from 'node:fs';
import { Client } from 'pg';
import { networkReason } from '../api/client';
import { CliError, EXIT } from '../io/exit-codes';
import { PGliteServer } from './pglite-server';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ferry';

/** pg error codes that mean "the server is there": a missing database is created by the services. */
const MISSING_DATABASE = '3D000';
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
]);

export type PostgresProbe =
  | { ok: true }
  /** Nothing answers: an embedded PostgreSQL may stand in. */
  | { ok: false; absent: true; reason: string }
  /** A server answers but refuses us (authentication, permissions): starting another would hide that. */
  | { ok: false; absent: false; reason: string };

export async function probePostgres(url: string, timeoutMs = 3000): Promise<PostgresProbe> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === MISSING_DATABASE) return { ok: true };
    const reason = networkReason(e);
    const absent =
      !code ||
      CONNECTION_FAILURES.has(code) ||
      CONNECTION_FAILURES.has(reason) ||
      /timeout|terminated/i.test(reason);
    return {
      ok: false,
      absent,
      reason: code && !CONNECTION_FAILURES.has(code) ? `${code}: ${(e as Error).message}` : reason,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `url` with another database name (the demo keeps its data apart from the real one). */
export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface PostgresEndpoint {
  readonly url: string;
  /** Set when `ferry up` runs PostgreSQL itself (PGlite, in this process). */
  readonly embedded: { readonly dataDir: string; stop(): Promise<void> } | null;
}

export interface EmbeddedOptions {
  readonly dataDir: string;
  /** How many connections the services may hold at once (their pools added up). */
  readonly maxConnections: number;
}

/**
 * An embedded PostgreSQL: PGlite (PostgreSQL 17 compiled to WebAssembly, in this process) with its
 * data under the state dir, served on a free 127.0.0.1 port so the services connect as to any
 * PostgreSQL. PGlite is one single-user backend: the connections are multiplexed onto it one
 * whole protocol exchange at a time (see PGliteServer), a transaction keeps the others waiting,
 * and session state (advisory locks, SET) is shared. Enough for a demo or a laptop; not for a
 * load test.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<PostgresEndpoint> {
  mkdirSync(options.dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  let db: InstanceType<typeof PGlite>;
  try {
    db = await PGlite.create({ dataDir: options.dataDir });
  } catch (e) {
    throw new CliError(
      [
        `ferry: the embedded PostgreSQL (PGlite) could not open ${options.dataDir}: ${(e as Error).message}`,
      ],
      EXIT.RUN_FAILED,
    );
  }
  const server = new PGliteServer(db, options.maxConnections);
  const port = await server.start('127.0.0.1', 0);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    embedded: {
      dataDir: options.dataDir,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await server.stop().catch(() => undefined);
        await db.close().catch(() => undefined);
      },
    },
  };
}

export interface PostgresOptions extends EmbeddedOptions {
  readonly url: string;
}

/** PostgreSQL for the services: the server at `url` when it answers, else an embedded one. */
export async function ensurePostgres(
  options: PostgresOptions,
  probe?: PostgresProbe,
): Promise<PostgresEndpoint> {
  const found = probe ?? (await probePostgres(options.url));
  if (found.ok) return { url: options.url, embedded: null };
  if (!found.absent) {
    throw new CliError(
      [
        `ferry: PostgreSQL at ${options.url} refused the connection: ${found.reason}`,
        '(fix DATABASE_URL, or unset it to use an embedded PostgreSQL)',
      ],
      EXIT.RUN_FAILED,
    );
  }
  return startEmbeddedPostgres(options);
}
