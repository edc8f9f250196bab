import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RunState, TaskState, type RunKind, type RunPolicy } from '@ferry/contracts';
import { RunEntity } from '../entities/run.entity';
import { RunBatchEntity } from '../entities/run-batch.entity';

export interface NewRun {
  readonly projectId: string;
  readonly planId: string;
  readonly globalPlanId: string;
  readonly kind: RunKind;
  readonly undoOf?: string | null;
  readonly command: Record<string, unknown>;
  readonly policy: RunPolicy;
  readonly createdBy: string;
}

export type CreateRunResult = { ok: true; run: RunEntity } | { ok: false; conflicts: string[] };

/** A task of a batch with what a node needs to run it. */
export interface BatchTaskRow {
  task: string;
  host: string;
  stage: number;
  state: TaskState;
  attempt: number;
  target: string;
  action: string;
  mode: string | null;
  from: string | null;
  to: string | null;
  release: string | null;
  undo: string | null;
}

export interface RunResult {
  done: string[];
  fail: string[];
  undo: string[];
}

const TERMINAL = `('succeeded','failed','timed_out','lost','skipped','undone')`;
const FAILED = `('failed','timed_out','lost')`;

/** Runs, their task states and the instance locks: every SQL of run control lives here. */
@Injectable()
export class RunRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates a run for a stored current plan in one transaction: the run row, one run_tasks row per
   * task (copied server-side from plan_tasks), one run_batches row per batch, and a lock on every
   * (host, component) of the plan. If another active run holds any of them, nothing is written and
   * the overlapping instances are returned (runtime.md, guarantee 5).
   */
  async create(input: NewRun): Promise<CreateRunResult> {
    return this.dataSource
      .transaction(async (m) => {
        const [{ tasks, batches }] = (await m.query(
          `SELECT count(*)::int AS tasks, coalesce(max(batch) + 1, 0)::int AS batches FROM plan_tasks WHERE plan_id = $1`,
          [input.planId],
        )) as { tasks: number; batches: number }[];
        const run = await m.save(
          m.create(RunEntity, {
            projectId: input.projectId,
            planId: input.planId,
            globalPlanId: input.globalPlanId,
            kind: input.kind,
            undoOf: input.undoOf ?? null,
            command: input.command,
            policy: input.policy,
            state: RunState.Pending,
            batchIndex: 0,
            batchTotal: batches,
            taskTotal: tasks,
            reason: null,
            owner: null,
            ownerSeenAt: null,
            createdBy: input.createdBy,
            startedAt: null,
            endedAt: null,
          }),
        );
        const conflicts = await this.lockInstances(m, run.id, input.planId);
        if (conflicts.length) {
          // Throwing rolls the transaction back: the run and any lock taken so far disappear.
          throw new LockConflict(conflicts);
        }
        await m.query(
          `INSERT INTO run_tasks (run_id, task_id, batch, stage, position, host, target, action)
         SELECT $1, task_id, batch, stage, position, host, target, action FROM plan_tasks WHERE plan_id = $2`,
          [run.id, input.planId],
        );
        await m.query(
          `INSERT INTO run_batches (run_id, batch, tasks, jobs)
         SELECT $1, batch, count(*), count(DISTINCT host) FROM plan_tasks WHERE plan_id = $2 GROUP BY batch`,
          [run.id, input.planId],
        );
        return { ok: true as const, run };
      })
      .catch((e: unknown) => {
        if (e instanceof LockConflict) return { ok: false as const, conflicts: e.conflicts };
        throw e;
      });
  }

  /** Takes every instance of the plan; returns the instances other runs hold (empty when all were taken). */
  private async lockInstances(m: EntityManager, runId: string, planId: string): Promise<string[]> {
    await m.query(
      `INSERT INTO instance_locks (host, component, run_id)
       SELECT DISTINCT host, target, $1::uuid FROM plan_tasks WHERE plan_id = $2
       ON CONFLICT (host, component) DO NOTHING`,
      [runId, planId],
    );
    const rows = (await m.query(
      `SELECT DISTINCT l.host || '/' || l.component AS instance
         FROM plan_tasks p JOIN instance_locks l ON l.host = p.host AND l.component = p.target
        WHERE p.plan_id = $1 AND l.run_id <> $2
        ORDER BY 1`,
      [planId, runId],
    )) as { instance: string }[];
    return rows.map((r) => r.instance);
  }

  /** Re-takes the locks of a run that is resumed or retried after it ended. */
  async relock(runId: string): Promise<string[]> {
    return this.dataSource
      .transaction(async (m) => {
        const [run] = (await m.query(`SELECT plan_id FROM runs WHERE id = $1`, [runId])) as {
          plan_id: string;
        }[];
        const conflicts = await this.lockInstances(m, runId, run.plan_id);
        if (conflicts.length) throw new LockConflict(conflicts);
        return [];
      })
      .catch((e: unknown) => {
        if (e instanceof LockConflict) return e.conflicts;
        throw e;
      });
  }

  /** Asks the owner of a running run to pause or cancel it (it polls this). */
  async requestControl(runId: string, control: 'pause' | 'cancel' | null): Promise<void> {
    await this.dataSource.query(`UPDATE runs SET control = $2 WHERE id = $1`, [runId, control]);
  }

  async control(runId: string): Promise<'pause' | 'cancel' | null> {
    const [row] = (await this.dataSource.query(`SELECT control FROM runs WHERE id = $1`, [
      runId,
    ])) as { control: 'pause' | 'cancel' | null }[];
    return row?.control ?? null;
  }

  /** Inventory and descriptor of the snapshot a run's plan was compiled from (packages of each instance). */
  async snapshotOfRun(runId: string): Promise<{ inventory: unknown; descriptor: unknown } | null> {
    const [row] = (await this.dataSource.query(
      `SELECT s.inventory, s.descriptor FROM runs r JOIN plans p ON p.id = r.global_plan_id JOIN snapshots s ON s.id = p.snapshot_id WHERE r.id = $1`,
      [runId],
    )) as { inventory: unknown; descriptor: unknown }[];
    return row ?? null;
  }

  async releaseLocks(runId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM instance_locks WHERE run_id = $1`, [runId]);
  }

  async get(id: string): Promise<RunEntity | null> {
    return this.dataSource.getRepository(RunEntity).findOneBy({ id });
  }

  async ofProject(projectId: string, limit = 100): Promise<RunEntity[]> {
    return this.dataSource
      .getRepository(RunEntity)
      .find({ where: { projectId }, order: { createdAt: 'DESC' }, take: limit });
  }

  async batches(runId: string): Promise<RunBatchEntity[]> {
    return this.dataSource
      .getRepository(RunBatchEntity)
      .find({ where: { runId }, order: { batch: 'ASC' } });
  }

  /**
   * Claims a run for this dispatcher if nobody owns it or its owner stopped renewing the claim
   * (guarantee 3: a run survives its dispatcher).
   */
  async claim(runId: string, owner: string, staleSeconds: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `UPDATE runs SET owner = $2, owner_seen_at = now()
        WHERE id = $1 AND (owner IS NULL OR owner = $2 OR owner_seen_at < now() - make_interval(secs => $3))
        RETURNING id`,
      [runId, owner, staleSeconds],
    )) as [unknown[], number];
    return rows[1] > 0;
  }

  async renewClaims(owner: string, runIds: readonly string[]): Promise<void> {
    if (!runIds.length) return;
    await this.dataSource.query(
      `UPDATE runs SET owner_seen_at = now() WHERE owner = $1 AND id = ANY($2::uuid[])`,
      [owner, runIds],
    );
  }

  async disown(runId: string, owner: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE runs SET owner = NULL, owner_seen_at = NULL WHERE id = $1 AND owner = $2`,
      [runId, owner],
    );
  }

  /** Runs in flight whose owner is gone: a (re)started dispatcher picks them up. */
  async orphans(staleSeconds: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM runs WHERE state IN ('running') AND (owner IS NULL OR owner_seen_at < now() - make_interval(secs => $1)) ORDER BY created_at`,
      [staleSeconds],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async setState(
    runId: string,
    state: RunState,
    fields: {
      reason?: string | null;
      started?: boolean;
      ended?: boolean;
      batchIndex?: number;
    } = {},
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE runs SET state = $2,
         reason = CASE WHEN $3::boolean THEN $4 ELSE reason END,
         started_at = CASE WHEN $5::boolean THEN coalesce(started_at, now()) ELSE started_at END,
         ended_at = CASE WHEN $6::boolean THEN now() WHEN $2 IN ('running', 'paused', 'pending') THEN NULL ELSE ended_at END,
         batch_index = coalesce($7, batch_index)
       WHERE id = $1`,
      [
        runId,
        state,
        fields.reason !== undefined,
        fields.reason ?? null,
        fields.started ?? false,
        fields.ended ?? false,
        fields.batchIndex ?? null,
      ],
    );
  }

  async markBatch(runId: string, batch: number, edge: 'started' | 'ended'): Promise<void> {
    const column = edge === 'started' ? 'started_at' : 'ended_at';
    await this.dataSource.query(
      `UPDATE run_batches SET ${column} = coalesce(${column}, now()) WHERE run_id = $1 AND batch = $2`,
      [runId, batch],
    );
  }

  /** Tasks of one batch with their spec fields, in mission order (jobs are contiguous per host). */
  async batchTasks(runId: string, planId: string, batch: number): Promise<BatchTaskRow[]> {
    return (await this.dataSource.query(
      `SELECT rt.task_id AS task, rt.host, rt.stage, rt.state, rt.attempt, pt.target, pt.action, pt.mode,
              pt.from_version AS "from", pt.to_version AS "to", pt.release, pt.undo
         FROM run_tasks rt JOIN plan_tasks pt ON pt.plan_id = $2 AND pt.task_id = rt.task_id
        WHERE rt.run_id = $1 AND rt.batch = $3
        ORDER BY rt.position`,
      [runId, planId, batch],
    )) as BatchTaskRow[];
  }

  async tasks(
    runId: string,
    planId: string,
    taskIds: readonly string[],
  ): Promise<(BatchTaskRow & { batch: number })[]> {
    return (await this.dataSource.query(
      `SELECT rt.task_id AS task, rt.host, rt.stage, rt.batch, rt.state, rt.attempt, pt.target, pt.action, pt.mode,
              pt.from_version AS "from", pt.to_version AS "to", pt.release, pt.undo
         FROM run_tasks rt JOIN plan_tasks pt ON pt.plan_id = $2 AND pt.task_id = rt.task_id
        WHERE rt.run_id = $1 AND rt.task_id = ANY($3::text[])
        ORDER BY rt.position`,
      [runId, planId, taskIds],
    )) as (BatchTaskRow & { batch: number })[];
  }

  /** Forward-only moves made by the dispatcher itself (sent, skipped); returns the ids that moved. */
  async moveTasks(
    runId: string,
    taskIds: readonly string[],
    state: TaskState.Sent | TaskState.Skipped,
  ): Promise<string[]> {
    if (!taskIds.length) return [];
    const rows = (await this.dataSource.query(
      `UPDATE run_tasks SET state = $3, updated_at = now()
        WHERE run_id = $1 AND task_id = ANY($2::text[]) AND ferry_state_rank(state) < ferry_state_rank($3)
        RETURNING task_id`,
      [runId, taskIds, state],
    )) as [{ task_id: string }[], number];
    return rows[0].map((r) => r.task_id);
  }

  /** Every task not yet started in batches from `fromBatch` on becomes skipped (the run stopped before them). */
  async skipRemaining(runId: string, fromBatch: number): Promise<number> {
    const rows = (await this.dataSource.query(
      `UPDATE run_tasks SET state = 'skipped', updated_at = now()
        WHERE run_id = $1 AND batch >= $2 AND state = 'pending'`,
      [runId, fromBatch],
    )) as [unknown[], number];
    return rows[1];
  }

  /**
   * Tasks that ended `lost` (a node that never acknowledged its job, or stopped heartbeating):
   * the state moves forward only, and an attempt row records why.
   */
  async markLost(
    runId: string,
    tasks: readonly { task: string; host: string; attempt: number }[],
    reason: string,
  ): Promise<string[]> {
    if (!tasks.length) return [];
    return this.dataSource.transaction(async (m) => {
      const moved = (await m.query(
        `UPDATE run_tasks rt SET state = 'lost', updated_at = now()
           FROM unnest($2::text[], $3::int[]) AS u(task_id, attempt)
          WHERE rt.run_id = $1 AND rt.task_id = u.task_id AND rt.attempt = u.attempt AND ferry_state_rank(rt.state) < 3
          RETURNING rt.task_id, rt.host, rt.attempt`,
        [runId, tasks.map((t) => t.task), tasks.map((t) => t.attempt)],
      )) as [{ task_id: string; host: string; attempt: number }[], number];
      const rows = moved[0];
      if (rows.length) {
        await m.query(
          `INSERT INTO task_attempts (run_id, task_id, attempt, undo, host, state, output, ended_at)
           SELECT $1, u.task_id, u.attempt, false, u.host, 'lost', $5, now() FROM unnest($2::text[], $3::text[], $4::int[]) AS u(task_id, host, attempt)
           ON CONFLICT (run_id, task_id, attempt) DO UPDATE SET state = 'lost', output = task_attempts.output || E'\\n' || $5, ended_at = now(), updated_at = now()
           WHERE ferry_state_rank(task_attempts.state) < 3`,
          [
            runId,
            rows.map((r) => r.task_id),
            rows.map((r) => r.host),
            rows.map((r) => r.attempt),
            reason,
          ],
        );
      }
      return rows.map((r) => r.task_id);
    });
  }

  /** The next attempt number of a task: retries and undos both add one. */
  async nextAttempts(runId: string, taskIds: readonly string[]): Promise<Map<string, number>> {
    const rows = (await this.dataSource.query(
      `SELECT rt.task_id, greatest(rt.attempt, coalesce(max(ta.attempt), 0)) + 1 AS next
         FROM run_tasks rt LEFT JOIN task_attempts ta ON ta.run_id = rt.run_id AND ta.task_id = rt.task_id
        WHERE rt.run_id = $1 AND rt.task_id = ANY($2::text[])
        GROUP BY rt.task_id, rt.attempt`,
      [runId, taskIds],
    )) as { task_id: string; next: number }[];
    return new Map(rows.map((r) => [r.task_id, Number(r.next)]));
  }

  /**
   * A new attempt of failed tasks (retry): the one backward move of a task state, made explicitly
   * by the dispatcher, never by a report. Returns the tasks that were reset.
   */
  async newAttempts(runId: string, attempts: ReadonlyMap<string, number>): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `UPDATE run_tasks rt SET attempt = u.attempt, state = 'pending', updated_at = now()
         FROM unnest($2::text[], $3::int[]) AS u(task_id, attempt)
        WHERE rt.run_id = $1 AND rt.task_id = u.task_id AND rt.state IN ${FAILED}
        RETURNING rt.task_id`,
      [runId, [...attempts.keys()], [...attempts.values()]],
    )) as [{ task_id: string }[], number];
    return rows[0].map((r) => r.task_id);
  }

  /**
   * Resuming a failed or cancelled run: the tasks it never ran become pending again and the run
   * continues at the first batch that still has work. Returns that batch.
   */
  async reopen(runId: string): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE run_tasks SET state = 'pending', updated_at = now() WHERE run_id = $1 AND state = 'skipped'`,
        [runId],
      );
      const [row] = (await m.query(
        `SELECT min(batch) AS batch FROM run_tasks WHERE run_id = $1 AND state NOT IN ('succeeded', 'undone')`,
        [runId],
      )) as { batch: number | null }[];
      const batch = row.batch ?? 0;
      await m.query(`UPDATE run_batches SET ended_at = NULL WHERE run_id = $1 AND batch >= $2`, [
        runId,
        batch,
      ]);
      await m.query(`UPDATE runs SET batch_index = $2, ended_at = NULL WHERE id = $1`, [
        runId,
        batch,
      ]);
      return batch;
    });
  }

  /** Takes the locks of some instances of a run (a retry or undo after the run ended). */
  async lockSome(
    runId: string,
    instances: readonly { host: string; target: string }[],
  ): Promise<string[]> {
    return this.dataSource
      .transaction(async (m) => {
        await m.query(
          `INSERT INTO instance_locks (host, component, run_id) SELECT DISTINCT u.host, u.target, $1::uuid FROM unnest($2::text[], $3::text[]) AS u(host, target)
           ON CONFLICT (host, component) DO NOTHING`,
          [runId, instances.map((i) => i.host), instances.map((i) => i.target)],
        );
        const rows = (await m.query(
          `SELECT DISTINCT l.host || '/' || l.component AS instance FROM unnest($2::text[], $3::text[]) AS u(host, target)
             JOIN instance_locks l ON l.host = u.host AND l.component = u.target WHERE l.run_id <> $1 ORDER BY 1`,
          [runId, instances.map((i) => i.host), instances.map((i) => i.target)],
        )) as { instance: string }[];
        if (rows.length) throw new LockConflict(rows.map((r) => r.instance));
        return [];
      })
      .catch((e: unknown) => {
        if (e instanceof LockConflict) return e.conflicts;
        throw e;
      });
  }

  /** How many of these tasks are not terminal yet. */
  async openAmong(runId: string, taskIds: readonly string[]): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS open FROM run_tasks WHERE run_id = $1 AND task_id = ANY($2::text[]) AND state NOT IN ${TERMINAL}`,
      [runId, taskIds],
    )) as { open: number }[];
    return row.open;
  }

  /** Succeeded tasks of a run in mission order, with the action that reverses each (null: none). */
  async succeededTasks(runId: string): Promise<(BatchTaskRow & { batch: number })[]> {
    return (await this.dataSource.query(
      `SELECT rt.task_id AS task, rt.host, rt.stage, rt.batch, rt.state, rt.attempt, pt.target, pt.action, pt.mode,
              pt.from_version AS "from", pt.to_version AS "to", pt.release, pt.undo
         FROM runs r JOIN run_tasks rt ON rt.run_id = r.id JOIN plan_tasks pt ON pt.plan_id = r.plan_id AND pt.task_id = rt.task_id
        WHERE r.id = $1 AND rt.state = 'succeeded'
        ORDER BY rt.position`,
      [runId],
    )) as (BatchTaskRow & { batch: number })[];
  }

  /** Undo executions are attempts of their own (undo = true), registered before they are sent. */
  async registerUndo(
    runId: string,
    attempts: readonly { task: string; host: string; attempt: number }[],
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO task_attempts (run_id, task_id, attempt, undo, host, state)
       SELECT $1, u.task_id, u.attempt, true, u.host, 'sent' FROM unnest($2::text[], $3::text[], $4::int[]) AS u(task_id, host, attempt)
       ON CONFLICT (run_id, task_id, attempt) DO NOTHING`,
      [
        runId,
        attempts.map((a) => a.task),
        attempts.map((a) => a.host),
        attempts.map((a) => a.attempt),
      ],
    );
  }

  /** States of undo attempts (terminal or not), to know when an undo batch has ended and how. */
  async undoStates(
    runId: string,
    attempts: readonly { task: string; attempt: number }[],
  ): Promise<Map<string, string>> {
    const rows = (await this.dataSource.query(
      `SELECT ta.task_id, ta.state FROM unnest($2::text[], $3::int[]) AS u(task_id, attempt)
         JOIN task_attempts ta ON ta.run_id = $1 AND ta.task_id = u.task_id AND ta.attempt = u.attempt AND ta.undo`,
      [runId, attempts.map((a) => a.task), attempts.map((a) => a.attempt)],
    )) as { task_id: string; state: string }[];
    return new Map(rows.map((r) => [r.task_id, r.state]));
  }

  /** Undo attempts still sent or running whose node has been silent for `seconds`. */
  async silentUndos(
    runId: string,
    attempts: readonly { task: string; attempt: number }[],
    seconds: number,
  ): Promise<{ task: string; host: string; attempt: number }[]> {
    return (await this.dataSource.query(
      `SELECT ta.task_id AS task, ta.host, ta.attempt FROM unnest($2::text[], $3::int[]) AS u(task_id, attempt)
         JOIN task_attempts ta ON ta.run_id = $1 AND ta.task_id = u.task_id AND ta.attempt = u.attempt AND ta.undo
         LEFT JOIN node_heartbeats h ON h.host = ta.host
        WHERE ta.state IN ('sent', 'running') AND ta.updated_at < now() - make_interval(secs => $4)
          AND (h.seen_at IS NULL OR h.seen_at < now() - make_interval(secs => $4))`,
      [runId, attempts.map((a) => a.task), attempts.map((a) => a.attempt), seconds],
    )) as { task: string; host: string; attempt: number }[];
  }

  /** Ends undo attempts that will never report: `lost` (silent node) or `skipped` (never sent). */
  async endUndos(
    runId: string,
    attempts: readonly { task: string; attempt: number }[],
    state: 'lost' | 'skipped',
    reason: string,
  ): Promise<string[]> {
    if (!attempts.length) return [];
    const rows = (await this.dataSource.query(
      `UPDATE task_attempts ta SET state = $5, output = ta.output || $4, ended_at = now(), updated_at = now()
         FROM unnest($2::text[], $3::int[]) AS u(task_id, attempt)
        WHERE ta.run_id = $1 AND ta.task_id = u.task_id AND ta.attempt = u.attempt AND ta.undo AND ferry_state_rank(ta.state) < 3
        RETURNING ta.task_id`,
      [runId, attempts.map((a) => a.task), attempts.map((a) => a.attempt), reason, state],
    )) as [{ task_id: string }[], number];
    return rows[0].map((r) => r.task_id);
  }

  /** How many tasks of a batch are not terminal yet (0: the batch has ended, persisted). */
  async openInBatch(runId: string, batch: number): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS open FROM run_tasks WHERE run_id = $1 AND batch = $2 AND state NOT IN ${TERMINAL}`,
      [runId, batch],
    )) as { open: number }[];
    return row.open;
  }

  /**
   * Tasks of a batch still sent or running whose job has stalled for `seconds` (guarantee 4): no
   * task of the host's job changed state for that long, and the host either sent no heartbeat in
   * that time or its latest heartbeat lists none of the job's tasks as running (a node that
   * restarted and forgot the job still heartbeats, but not for these tasks).
   */
  async silentTasks(
    runId: string,
    batch: number,
    seconds: number,
  ): Promise<{ task: string; host: string; attempt: number }[]> {
    return (await this.dataSource.query(
      `WITH jobs AS (
         SELECT host, max(updated_at) AS last_change, array_agg(task_id) AS tasks
           FROM run_tasks WHERE run_id = $1 AND batch = $2 GROUP BY host)
       SELECT rt.task_id AS task, rt.host, rt.attempt
         FROM run_tasks rt
         JOIN jobs j ON j.host = rt.host
         LEFT JOIN node_heartbeats h ON h.host = rt.host
        WHERE rt.run_id = $1 AND rt.batch = $2 AND rt.state IN ('sent', 'running')
          AND j.last_change < now() - make_interval(secs => $3)
          AND (h.seen_at IS NULL OR h.seen_at < now() - make_interval(secs => $3)
               OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(h.running) e
                               WHERE e->>'run' = $1::text AND e->>'task' = ANY(j.tasks)))`,
      [runId, batch, seconds],
    )) as { task: string; host: string; attempt: number }[];
  }

  async failedTasks(
    runId: string,
  ): Promise<{ task: string; host: string; target: string; batch: number }[]> {
    return (await this.dataSource.query(
      `SELECT task_id AS task, host, target, batch FROM run_tasks WHERE run_id = $1 AND state IN ${FAILED} ORDER BY position`,
      [runId],
    )) as {
      task: string;
      host: string;
      target: string;
      batch: number;
    }[];
  }

  async counts(runId: string): Promise<Record<string, number>> {
    const rows = (await this.dataSource.query(
      `SELECT state, count(*)::int AS n FROM run_tasks WHERE run_id = $1 GROUP BY state`,
      [runId],
    )) as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** Tasks of a run (optionally in one state) with their latest attempt and its output tail. */
  async taskAttempts(
    runId: string,
    state: string | null,
    limit: number,
  ): Promise<TaskAttemptView[]> {
    return (await this.dataSource.query(
      `SELECT rt.task_id AS task, rt.host, rt.target, rt.action, rt.batch, rt.state, rt.attempt,
              ta.exit_code AS "exitCode", ta.started_at AS "startedAt", ta.ended_at AS "endedAt", coalesce(ta.output, '') AS output
         FROM run_tasks rt
         LEFT JOIN task_attempts ta ON ta.run_id = rt.run_id AND ta.task_id = rt.task_id AND ta.attempt = rt.attempt AND NOT ta.undo
        WHERE rt.run_id = $1 AND ($2::text IS NULL OR rt.state = $2)
        ORDER BY rt.position
        LIMIT $3`,
      [runId, state, limit],
    )) as TaskAttemptView[];
  }

  /**
   * Performance analysis (seed 000): per component × action, how long its executions took across
   * a project's runs — count, p50, p95 and max in seconds — slowest p95 first, so slow components stand out.
   */
  async durationStats(
    projectId: string,
  ): Promise<
    { component: string; action: string; count: number; p50: number; p95: number; max: number }[]
  > {
    const rows = (await this.dataSource.query(
      `SELECT rt.target AS component, rt.action,
              count(*)::int AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY d) AS p95,
              max(d) AS max
         FROM (SELECT ta.run_id, ta.task_id, extract(epoch FROM ta.ended_at - ta.started_at)::float8 AS d
                 FROM task_attempts ta JOIN runs r ON r.id = ta.run_id
                WHERE r.project_id = $1 AND NOT ta.undo AND ta.started_at IS NOT NULL AND ta.ended_at IS NOT NULL
                  AND ta.state IN ('succeeded', 'failed', 'timed_out')) a
         JOIN run_tasks rt ON rt.run_id = a.run_id AND rt.task_id = a.task_id
        GROUP BY rt.target, rt.action
        ORDER BY p95 DESC, rt.target, rt.action`,
      [projectId],
    )) as {
      component: string;
      action: string;
      count: number;
      p50: number;
      p95: number;
      max: number;
    }[];
    const round = (x: number) => Math.round(Number(x) * 1000) / 1000;
    return rows.map((r) => ({ ...r, p50: round(r.p50), p95: round(r.p95), max: round(r.max) }));
  }

  /** `{done, fail, undo}`: succeeded, failed (incl. timed out and lost), never run; in mission order. */
  async result(runId: string): Promise<RunResult> {
    const rows = (await this.dataSource.query(
      `SELECT task_id, state FROM run_tasks WHERE run_id = $1 ORDER BY position`,
      [runId],
    )) as { task_id: string; state: string }[];
    const result: RunResult = { done: [], fail: [], undo: [] };
    for (const { task_id, state } of rows) {
      if (state === 'succeeded') result.done.push(task_id);
      else if (state === 'failed' || state === 'timed_out' || state === 'lost')
        result.fail.push(task_id);
      else if (state === 'pending' || state === 'skipped' || state === 'sent')
        result.undo.push(task_id);
    }
    return result;
  }
}

export interface TaskAttemptView {
  task: string;
  host: string;
  target: string;
  action: string;
  batch: number;
  state: string;
  attempt: number;
  exitCode: number | null;
  startedAt: Date | null;
  endedAt: Date | null;
  output: string;
}

class LockConflict extends Error {
  constructor(readonly conflicts: string[]) {
    super(`instances locked by another run: ${conflicts.join(', ')}`);
  }
}
