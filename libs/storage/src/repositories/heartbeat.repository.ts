import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pick } from './bulk';

/** The latest heartbeat of one node. */
export interface HeartbeatRow {
  readonly host: string;
  readonly executor: string;
  /** ISO-8601: when a receiver saw the heartbeat (the receiver's clock, so node clocks do not matter). */
  readonly seenAt: string;
  /** The attempts running on the node: `[{run, task, attempt}]`. */
  readonly running: readonly unknown[];
}

/**
 * One statement per flush, however many nodes: the arrays become rows. A row is only replaced by a
 * newer sighting, so two receivers of a pool flushing out of order never move seen_at backwards.
 */
const UPSERT_HEARTBEATS = `
INSERT INTO node_heartbeats AS h (host, executor, seen_at, running)
SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[]) ORDER BY 1
ON CONFLICT (host) DO UPDATE SET executor = EXCLUDED.executor, seen_at = EXCLUDED.seen_at, running = EXCLUDED.running
WHERE EXCLUDED.seen_at >= h.seen_at`;

/** node_heartbeats: when each node was last heard of, and what it was running then. */
@Injectable()
export class HeartbeatRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Upserts the rows (at most one per host) in one statement. */
  async upsert(rows: readonly HeartbeatRow[]): Promise<void> {
    if (!rows.length) return;
    await this.dataSource.query(UPSERT_HEARTBEATS, [
      pick(rows, (r) => r.host),
      pick(rows, (r) => r.executor),
      pick(rows, (r) => r.seenAt),
      pick(rows, (r) => JSON.stringify(r.running)),
    ]);
  }
}
