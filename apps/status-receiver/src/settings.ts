/**
 * The receiver's limits. Sized for a 10,000-node run on a 2-core machine (see the brief's load
 * test): large transactions amortise the commit, bounded ones keep memory and ack_wait in check.
 */
export const ReceiverSettings = {
  /**
   * Bytes asked of JetStream per pull (the client also caps a pull at 100 messages): a message holds
   * one report or, from a busy executor pool, up to ~512 KiB of them, so bytes bound memory.
   */
  pullBytes: 8 * 1024 * 1024,
  /** Messages held unacked in this process before it stops pulling (back-pressure on a slow database). */
  maxInHandMessages: 5000,
  /** Reports held likewise. */
  maxInHandReports: 30_000,
  /** Reports per transaction: a bigger backlog is written as several transactions. */
  maxReportsPerTransaction: 10_000,
  /** Transactions at once: one fills while another commits (PostgreSQL row locks keep them apart). */
  writers: 2,
  /** Immediate retries of a transaction that hit a deadlock or serialization failure (receivers of a pool). */
  conflictRetries: 3,
  /** Redelivery delays after a database failure, growing with consecutive failures. */
  nakDelaysMs: [1000, 2000, 5000] as readonly number[],
  /** Heartbeats are buffered and written once per interval. */
  heartbeatFlushMs: 1000,
  /** Progress messages stay well under NATS's 1 MiB max_payload. */
  progressMaxBytes: 256 * 1024,
  /** How often throughput is logged (when there was any). */
  statsEveryMs: 10_000,
} as const;
