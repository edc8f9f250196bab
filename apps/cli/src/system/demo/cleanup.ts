import { connect } from 'nats';
import { Client } from 'pg';
import { Streams, setSubjectNamespace, subjectNamespace } from '@ferry/contracts/subjects/subjects';

/** The status stream's name under a namespace (the contracts compute it from the current one). */
function statusStreamOf(namespace: string): string {
  const previous = subjectNamespace();
  setSubjectNamespace(namespace);
  try {
    return Streams.status().name;
  } finally {
    setSubjectNamespace(previous);
  }
}

export interface DemoLeftovers {
  /** A NATS the demo did not start (its stream stays there otherwise); null when it started its own. */
  readonly natsUrl: string | null;
  readonly namespace: string;
  /** The demo's own database on a PostgreSQL it did not start. */
  readonly databaseUrl: string | null;
}

/**
 * Removes what the demo left on servers it shares with others: its JetStream stream (and so its
 * consumer) and its database. Best effort: a leftover is harmless, so failures are ignored.
 */
export async function cleanupDemo(leftovers: DemoLeftovers): Promise<void> {
  if (leftovers.natsUrl) {
    try {
      const nc = await connect({
        servers: leftovers.natsUrl,
        timeout: 2000,
        maxReconnectAttempts: 0,
      });
      try {
        const jsm = await nc.jetstreamManager({ timeout: 2000 });
        await jsm.streams.delete(statusStreamOf(leftovers.namespace)).catch(() => false);
      } finally {
        await nc.close();
      }
    } catch {
      // best effort
    }
  }
  if (leftovers.databaseUrl) {
    const url = new URL(leftovers.databaseUrl);
    const name = decodeURIComponent(url.pathname.slice(1));
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
    } catch {
      // best effort
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
}
