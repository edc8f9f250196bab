import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ferry's tables (runtime.md, "Storage"). Snapshots are immutable: a trigger refuses updates and
 * deletes. Per-task tables are keyed for the bulk paths: plan_tasks by (plan, task) and position,
 * run_tasks by (run, task) and (run, batch), task_attempts by (run, task, attempt).
 */
export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(q: QueryRunner): Promise<void> {
    // The forward-only rule of task states (runtime.md), in SQL so every bulk update applies it.
    await q.query(`CREATE FUNCTION ferry_state_rank(state text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE state WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'running' THEN 2 WHEN 'undone' THEN 4 ELSE 3 END $$`);
    await q.query(`CREATE TABLE logic_books (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      source text NOT NULL,
      book jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE projects (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE,
      inventory_source jsonb NOT NULL,
      descriptor_source text NOT NULL,
      logic_book_id uuid NOT NULL REFERENCES logic_books(id),
      snapshot_id uuid,
      plan_id uuid,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE snapshots (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES projects(id),
      source text NOT NULL,
      inventory jsonb NOT NULL,
      descriptor jsonb NOT NULL,
      summary jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE FUNCTION ferry_snapshot_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'snapshots are immutable (snapshot %)', OLD.id; END $$`);
    await q.query(`CREATE TRIGGER snapshots_immutable BEFORE UPDATE OR DELETE ON snapshots
      FOR EACH ROW EXECUTE FUNCTION ferry_snapshot_immutable()`);
    await q.query(
      `ALTER TABLE projects ADD CONSTRAINT projects_snapshot_fk FOREIGN KEY (snapshot_id) REFERENCES snapshots(id)`,
    );

    await q.query(`CREATE TABLE plans (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES projects(id),
      kind text NOT NULL CHECK (kind IN ('global', 'current')),
      parent_id uuid REFERENCES plans(id),
      snapshot_id uuid REFERENCES snapshots(id),
      logic_book_id uuid REFERENCES logic_books(id),
      header jsonb NOT NULL,
      stats jsonb NOT NULL DEFAULT '{}'::jsonb,
      task_count integer NOT NULL,
      batch_count integer NOT NULL,
      edited boolean NOT NULL DEFAULT false,
      forced boolean NOT NULL DEFAULT false,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `ALTER TABLE projects ADD CONSTRAINT projects_plan_fk FOREIGN KEY (plan_id) REFERENCES plans(id)`,
    );
    await q.query(`CREATE TABLE plan_tasks (
      plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
      task_id text NOT NULL,
      position integer NOT NULL,
      batch integer NOT NULL,
      stage integer NOT NULL,
      host text NOT NULL,
      target text NOT NULL,
      action text NOT NULL,
      phase text NOT NULL,
      mode text,
      from_version text,
      to_version text,
      release text,
      undo text,
      layer integer,
      PRIMARY KEY (plan_id, task_id)
    )`);
    await q.query(`CREATE INDEX plan_tasks_position ON plan_tasks (plan_id, position)`);

    await q.query(`CREATE TABLE runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES projects(id),
      plan_id uuid NOT NULL REFERENCES plans(id),
      global_plan_id uuid NOT NULL REFERENCES plans(id),
      kind text NOT NULL DEFAULT 'upgrade' CHECK (kind IN ('upgrade', 'undo')),
      undo_of uuid REFERENCES runs(id),
      command jsonb NOT NULL,
      policy jsonb NOT NULL,
      state text NOT NULL,
      batch_index integer NOT NULL DEFAULT 0,
      batch_total integer NOT NULL,
      task_total integer NOT NULL,
      reason text,
      control text CHECK (control IN ('pause', 'cancel')),
      owner text,
      owner_seen_at timestamptz,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      ended_at timestamptz
    )`);
    await q.query(`CREATE INDEX runs_project ON runs (project_id, created_at)`);
    await q.query(
      `CREATE INDEX runs_active ON runs (state) WHERE state IN ('pending', 'running', 'paused')`,
    );
    await q.query(`CREATE TABLE run_batches (
      run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      batch integer NOT NULL,
      tasks integer NOT NULL,
      jobs integer NOT NULL,
      started_at timestamptz,
      ended_at timestamptz,
      PRIMARY KEY (run_id, batch)
    )`);
    await q.query(`CREATE TABLE run_tasks (
      run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      task_id text NOT NULL,
      batch integer NOT NULL,
      stage integer NOT NULL,
      position integer NOT NULL,
      host text NOT NULL,
      target text NOT NULL,
      action text NOT NULL,
      state text NOT NULL DEFAULT 'pending',
      attempt integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (run_id, task_id)
    )`);
    await q.query(`CREATE INDEX run_tasks_batch ON run_tasks (run_id, batch, state)`);
    await q.query(`CREATE TABLE task_attempts (
      run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      task_id text NOT NULL,
      attempt integer NOT NULL,
      undo boolean NOT NULL DEFAULT false,
      host text NOT NULL,
      state text NOT NULL,
      exit_code integer,
      started_at timestamptz,
      ended_at timestamptz,
      output text NOT NULL DEFAULT '',
      executor text,
      seq bigint,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (run_id, task_id, attempt)
    )`);
    await q.query(`CREATE INDEX task_attempts_state ON task_attempts (run_id, state)`);
    await q.query(`CREATE TABLE instance_locks (
      host text NOT NULL,
      component text NOT NULL,
      run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      acquired_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (host, component)
    )`);
    await q.query(`CREATE INDEX instance_locks_run ON instance_locks (run_id)`);
    await q.query(`CREATE TABLE node_heartbeats (
      host text PRIMARY KEY,
      executor text NOT NULL,
      seen_at timestamptz NOT NULL,
      running jsonb NOT NULL DEFAULT '[]'::jsonb
    )`);
    await q.query(`CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      role text,
      action text NOT NULL,
      subject text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb
    )`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_log',
      'node_heartbeats',
      'instance_locks',
      'task_attempts',
      'run_tasks',
      'run_batches',
      'runs',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_plan_fk`);
    await q.query(`DROP TABLE IF EXISTS plan_tasks`);
    await q.query(`DROP TABLE IF EXISTS plans`);
    await q.query(`ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_snapshot_fk`);
    await q.query(`DROP TRIGGER IF EXISTS snapshots_immutable ON snapshots`);
    await q.query(`DROP TABLE IF EXISTS snapshots`);
    await q.query(`DROP FUNCTION IF EXISTS ferry_snapshot_immutable()`);
    await q.query(`DROP TABLE IF EXISTS projects`);
    await q.query(`DROP TABLE IF EXISTS logic_books`);
    await q.query(`DROP FUNCTION IF EXISTS ferry_state_rank(text)`);
  }
}
