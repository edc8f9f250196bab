import type { HeartbeatDto } from '@ferry/contracts';
import type { HeartbeatRow } from '@ferry/storage';

/**
 * The latest heartbeat per host since the last flush: a 10,000-node cluster beating every few
 * seconds becomes one row per node per flush, however often each node beat.
 */
export class HeartbeatBuffer {
  private rows = new Map<string, HeartbeatRow>();

  get size(): number {
    return this.rows.size;
  }

  /** Keeps the heartbeat unless a later sighting of its host is already buffered. */
  add(heartbeat: HeartbeatDto, seenAt: Date): boolean {
    const row: HeartbeatRow = {
      host: heartbeat.host,
      executor: heartbeat.executor,
      seenAt: seenAt.toISOString(),
      running: heartbeat.running.map(({ run, task, attempt }) => ({ run, task, attempt })),
    };
    // PostgreSQL text and jsonb cannot hold NUL: such a heartbeat would fail every flush it is in.
    const texts = [row.host, row.executor, ...heartbeat.running.flatMap((r) => [r.run, r.task])];
    if (texts.some((text) => text.includes('\u0000'))) return false;
    this.keep(row);
    return true;
  }

  /** Empties the buffer and returns its rows. */
  take(): HeartbeatRow[] {
    const rows = [...this.rows.values()];
    this.rows = new Map();
    return rows;
  }

  /** Puts back rows whose flush failed, unless newer ones arrived meanwhile. */
  restore(rows: readonly HeartbeatRow[]): void {
    for (const row of rows) this.keep(row);
  }

  private keep(row: HeartbeatRow): void {
    const current = this.rows.get(row.host);
    if (!current || current.seenAt <= row.seenAt) this.rows.set(row.host, row);
  }
}
