import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { connect } from 'nats';

export const DEFAULT_NATS = 'nats://127.0.0.1:4222';
export const DEFAULT_DATABASE = 'postgres://postgres@127.0.0.1:5432/ferry';

async function natsReachable(url: string): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: 2000, maxReconnectAttempts: 0 });
    try {
      // JetStream must be enabled: the status stream depends on it.
      await (await nc.jetstreamManager({ timeout: 2000 })).getAccountInfo();
      return true;
    } finally {
      await nc.close();
    }
  } catch {
    return false;
  }
}

async function postgresReachable(url: string): Promise<boolean> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({
    connectionString: maintenance.toString(),
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function dockerEngineAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export interface TestServices {
  natsUrl: string;
  databaseUrl: string;
  stop: () => Promise<void>;
}

/**
 * The real NATS (with JetStream) and PostgreSQL the integration tests run against: NATS_URL and
 * DATABASE_URL (or the local defaults) when reachable, else containers when a Docker engine runs.
 * Never a mock, and never a silent skip: without them the run fails saying what to start.
 */
export async function provideServices(): Promise<TestServices> {
  const natsUrl = process.env.NATS_URL || DEFAULT_NATS;
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE;
  const [natsOk, pgOk] = await Promise.all([
    natsReachable(natsUrl),
    postgresReachable(databaseUrl),
  ]);
  if (natsOk && pgOk) return { natsUrl, databaseUrl, stop: async () => undefined };

  if (dockerEngineAvailable()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const started: { stop: () => Promise<unknown> }[] = [];
    let nats = natsUrl;
    let database = databaseUrl;
    if (!natsOk) {
      const c = await new GenericContainer('nats:2.10')
        .withCommand(['-js'])
        .withExposedPorts(4222)
        .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
        .start();
      started.push(c);
      nats = `nats://${c.getHost()}:${c.getMappedPort(4222)}`;
    }
    if (!pgOk) {
      const c = await new GenericContainer('postgres:16')
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
        .withExposedPorts(5432)
        .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
        .start();
      started.push(c);
      database = `postgres://postgres@${c.getHost()}:${c.getMappedPort(5432)}/ferry`;
    }
    return {
      natsUrl: nats,
      databaseUrl: database,
      stop: async () => void (await Promise.all(started.map((c) => c.stop()))),
    };
  }

  const missing = [
    natsOk ? null : `NATS with JetStream at ${natsUrl} (start: nats-server -js, or set NATS_URL)`,
    pgOk ? null : `PostgreSQL at ${databaseUrl} (start PostgreSQL 15+, or set DATABASE_URL)`,
  ].filter(Boolean);
  throw new Error(
    `Integration tests need real services and found none for: ${missing.join('; ')}. No Docker engine is available for testcontainers either.`,
  );
}
