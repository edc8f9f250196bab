import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { TaskState } from '@ferry/contracts';
import { pick } from './bulk';

/** One task_attempts row: the merged reports of one (run, task, attempt, undo). */
export interface AttemptRow {
  readonly run: string;
  readonly task: string;
  readonly attempt: number;
  readonly undo: boolean;
  readonly host: string;
  readonly state: TaskState;
  readonly exitCode: number | null;
  /** ISO-8601 times. */
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly output: string;
  readonly executor: string;
  readonly seq: number;
}

/** A state a report proposes for a run_tasks row. */
export interface TaskStep {
  readonly run: string;
  readonly task: string;
  readonly attempt: number;
  readonly state: TaskState;
}

/**
 * Reports reduced in memory, ready for the bulk statements. The statements rely on the
 * uniqueness stated here (PostgreSQL refuses to touch one row twice in one statement).
 */
export interface ReducedReports {
  /** At most one row per (run, task, attempt, undo). */
  readonly attempts: readonly AttemptRow[];
  /** From task executions: at most one per (run, task), the highest (attempt, rank). */
  readonly steps: readonly TaskStep[];
  /** From succeeded undo executions: at most one per (run, task), the highest attempt. */
  readonly undone: readonly TaskStep[];
}

/** A run_tasks row that moved, as RETURNING saw it. */
export interface TaskMove {
  readonly run: string;
  readonly task: string;
  readonly state: TaskState;
  readonly attempt: number;
  readonly batch: number;
}

export interface AppliedReports {
  /** Tasks whose state moved, in the order the statements moved them. */
  readonly moved: TaskMove[];
  /** Rows dropped because their (run, task) is not in run_tasks. */
  readonly unknown: AttemptRow[];
}

export interface RunBatch {
  readonly run: string;
  readonly batch: number;
}

/** Rows per statement: a few thousand keep each array parse cheap and a statement well under PostgreSQL's limits. */
const CHUNK = 5000;

/**
 * Stores only what exists in run_tasks (a report for an unknown run or task must not become a
 * foreign-key error that fails the whole batch forever) and applies the forward-only rule in SQL:
 * a row is replaced only by a strictly higher rank. An existing row of the other kind (undo vs
 * task execution) is never overwritten; a report that does not rank higher changes nothing at all.
 * A higher one keeps the times and output it lacks from the stored row, so a `succeeded` report
 * after its `running` one keeps the start time. Returns the indexes of the rows that were unknown.
 */
const UPSERT_ATTEMPTS = `
WITH r AS (
  SELECT r.*, EXISTS (SELECT 1 FROM run_tasks t WHERE t.run_id = r.run_id AND t.task_id = r.task_id) AS known
    FROM unnest($1::int[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::text[], $7::int[],
                $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::bigint[])
      AS r(i, run_id, task_id, attempt, host, state, exit_code, started_at, ended_at, output, executor, seq)
), written AS (
  INSERT INTO task_attempts AS a (run_id, task_id, attempt, undo, host, state, exit_code, started_at, ended_at, output, executor, seq)
  SELECT run_id, task_id, attempt, $13::boolean, host, state, exit_code, started_at, ended_at, output, executor, seq
    FROM r WHERE known ORDER BY run_id, task_id, attempt
  ON CONFLICT (run_id, task_id, attempt) DO UPDATE SET
    host = EXCLUDED.host,
    state = EXCLUDED.state,
    exit_code = COALESCE(EXCLUDED.exit_code, a.exit_code),
    started_at = COALESCE(EXCLUDED.started_at, a.started_at),
    ended_at = COALESCE(EXCLUDED.ended_at, a.ended_at),
    output = CASE WHEN EXCLUDED.output <> '' THEN EXCLUDED.output ELSE a.output END,
    executor = EXCLUDED.executor,
    seq = EXCLUDED.seq,
    updated_at = now()
  WHERE a.undo = EXCLUDED.undo AND ferry_state_rank(EXCLUDED.state) > ferry_state_rank(a.state)
)
SELECT i FROM r WHERE NOT known`;

/**
 * A task execution's report moves its task when it is a newer attempt, or the same attempt at a
 * higher rank: duplicates and late or old reports change nothing.
 */
const STEP_TASKS = `
UPDATE run_tasks AS t SET state = s.state, attempt = s.attempt, updated_at = now()
  FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[]) AS s(run_id, task_id, attempt, state)
 WHERE t.run_id = s.run_id AND t.task_id = s.task_id
   AND (s.attempt > t.attempt OR (s.attempt = t.attempt AND ferry_state_rank(s.state) > ferry_state_rank(t.state)))
RETURNING t.run_id, t.task_id, t.state, t.attempt, t.batch`;

/**
 * A succeeded undo execution turns a succeeded task into undone (runtime.md, "Task states"),
 * unless a newer attempt of the task has been made since. The row takes the undo's attempt so a
 * late report of the undone attempt stays older.
 */
const UNDO_TASKS = `
UPDATE run_tasks AS t SET state = 'undone', attempt = GREATEST(t.attempt, s.attempt), updated_at = now()
  FROM unnest($1::uuid[], $2::text[], $3::int[]) AS s(run_id, task_id, attempt)
 WHERE t.run_id = s.run_id AND t.task_id = s.task_id
   AND t.state = 'succeeded' AND s.attempt >= t.attempt
RETURNING t.run_id, t.task_id, t.state, t.attempt, t.batch`;

/**
 * Of the given (run, batch) pairs, those without a task that is still pending, sent or running.
 * The state list (not ferry_state_rank) lets the (run_id, batch, state) index answer it.
 */
const ENDED_BATCHES = `
SELECT b.run_id, b.batch FROM unnest($1::uuid[], $2::int[]) AS b(run_id, batch)
 WHERE NOT EXISTS (SELECT 1 FROM run_tasks t
                    WHERE t.run_id = b.run_id AND t.batch = b.batch AND t.state IN ('pending', 'sent', 'running'))`;

type MoveRow = {
  run_id: string;
  task_id: string;
  state: TaskState;
  attempt: number;
  batch: number;
};

/** Rows of an UPDATE … RETURNING (EntityManager.query answers an UPDATE with `[rows, count]`; the structured result is unambiguous). */
async function returning<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = m.queryRunner ?? m.connection.createQueryRunner();
  try {
    return (await runner.query(sql, params, true)).records as T[];
  } finally {
    if (!m.queryRunner) await runner.release();
  }
}

function toMove(row: MoveRow): TaskMove {
  return {
    run: row.run_id,
    task: row.task_id,
    state: row.state,
    attempt: row.attempt,
    batch: row.batch,
  };
}

/**
 * Task reports into task_attempts and run_tasks: the status receiver's bulk path. Every write is a
 * multi-row statement over `unnest` arrays (never a statement per report, never COPY, so an
 * embedded PostgreSQL runs it too).
 */
@Injectable()
export class ReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Applies a set of reduced reports in one transaction. */
  async apply(reports: ReducedReports): Promise<AppliedReports> {
    return this.dataSource.transaction((m) => this.applyIn(m, reports));
  }

  /** The same, inside a transaction the caller owns. */
  async applyIn(m: EntityManager, reports: ReducedReports): Promise<AppliedReports> {
    // A batch touches a few thousand of a run's (up to a million) tasks: probing the primary key
    // per row beats hashing the whole run_tasks table, which the planner picks once a batch is
    // large (measured on 500k tasks, 20k reports: 190 ms against 330 ms for the UPDATE).
    await m.query('SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off');
    const unknown: AttemptRow[] = [];
    // Task executions first, then undo executions: the two kinds never share a statement, so a
    // (run, task, attempt) key appears at most once in each.
    for (const undo of [false, true]) {
      const rows = reports.attempts.filter((r) => r.undo === undo);
      for (let start = 0; start < rows.length; start += CHUNK) {
        const chunk = rows.slice(start, start + CHUNK);
        const dropped: { i: number }[] = await m.query(UPSERT_ATTEMPTS, [
          chunk.map((_, i) => i),
          pick(chunk, (r) => r.run),
          pick(chunk, (r) => r.task),
          pick(chunk, (r) => r.attempt),
          pick(chunk, (r) => r.host),
          pick(chunk, (r) => r.state),
          pick(chunk, (r) => r.exitCode),
          pick(chunk, (r) => r.startedAt),
          pick(chunk, (r) => r.endedAt),
          pick(chunk, (r) => r.output),
          pick(chunk, (r) => r.executor),
          pick(chunk, (r) => r.seq),
          undo,
        ]);
        for (const { i } of dropped) unknown.push(chunk[i]);
      }
    }
    const moved: TaskMove[] = [];
    for (let start = 0; start < reports.steps.length; start += CHUNK) {
      const chunk = reports.steps.slice(start, start + CHUNK);
      const rows = await returning<MoveRow>(m, STEP_TASKS, [
        pick(chunk, (s) => s.run),
        pick(chunk, (s) => s.task),
        pick(chunk, (s) => s.attempt),
        pick(chunk, (s) => s.state),
      ]);
      for (const row of rows) moved.push(toMove(row));
    }
    for (let start = 0; start < reports.undone.length; start += CHUNK) {
      const chunk = reports.undone.slice(start, start + CHUNK);
      const rows = await returning<MoveRow>(m, UNDO_TASKS, [
        pick(chunk, (s) => s.run),
        pick(chunk, (s) => s.task),
        pick(chunk, (s) => s.attempt),
      ]);
      for (const row of rows) moved.push(toMove(row));
    }
    return { moved, unknown };
  }

  /** Which of these batches have no task left that is pending, sent or running (one query). */
  async endedBatches(batches: readonly RunBatch[]): Promise<RunBatch[]> {
    if (!batches.length) return [];
    const rows: { run_id: string; batch: number }[] = await this.dataSource.query(ENDED_BATCHES, [
      pick(batches, (b) => b.run),
      pick(batches, (b) => b.batch),
    ]);
    return rows.map((r) => ({ run: r.run_id, batch: r.batch }));
  }
}
