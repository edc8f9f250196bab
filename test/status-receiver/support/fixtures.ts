import type { DataSource } from 'typeorm';
import type { TaskReportDto, TaskState } from '@ferry/contracts';

export interface TaskFixture {
  readonly task: string;
  readonly batch: number;
  readonly host: string;
}

/**
 * A run as the dispatcher would have stored it: logic book, project, plans, the run and its
 * run_tasks rows (all pending, attempt 1), written with plain SQL so any number of tasks is quick.
 */
export async function insertRun(
  dataSource: DataSource,
  tasks: readonly TaskFixture[],
  label = 'receiver',
): Promise<string> {
  const [book] = await dataSource.query(
    `INSERT INTO logic_books (name, source, book) VALUES ($1, '', '{}'::jsonb) RETURNING id`,
    [label],
  );
  const [project] = await dataSource.query(
    `INSERT INTO projects (name, inventory_source, descriptor_source, logic_book_id, created_by)
     VALUES ($1 || '-' || gen_random_uuid(), '{"kind":"inline","text":""}'::jsonb, '', $2, 'test') RETURNING id`,
    [label, book.id],
  );
  const batches = new Set(tasks.map((t) => t.batch)).size;
  const [plan] = await dataSource.query(
    `INSERT INTO plans (project_id, kind, header, task_count, batch_count, created_by)
     VALUES ($1, 'global', '{}'::jsonb, $2, $3, 'test') RETURNING id`,
    [project.id, tasks.length, batches],
  );
  const [run] = await dataSource.query(
    `INSERT INTO runs (project_id, plan_id, global_plan_id, command, policy, state, batch_total, task_total, created_by)
     VALUES ($1, $2, $2, '{}'::jsonb, '{}'::jsonb, 'running', $3, $4, 'test') RETURNING id`,
    [project.id, plan.id, batches, tasks.length],
  );
  for (let start = 0; start < tasks.length; start += 10_000) {
    const chunk = tasks.slice(start, start + 10_000);
    await dataSource.query(
      `INSERT INTO run_tasks (run_id, task_id, batch, stage, position, host, target, action)
       SELECT $1, t.task_id, t.batch, 0, t.position, t.host, 'nova', 'upgrade'
         FROM unnest($2::text[], $3::int[], $4::int[], $5::text[]) AS t(task_id, batch, position, host)`,
      [
        run.id,
        chunk.map((t) => t.task),
        chunk.map((t) => t.batch),
        chunk.map((_, i) => start + i),
        chunk.map((t) => t.host),
      ],
    );
  }
  return run.id as string;
}

let seq = 0;

/** A report as a node would send it; times are fixed so rows can be compared exactly. */
export function report(
  run: string,
  task: string,
  state: `${TaskState}`,
  over: Partial<TaskReportDto> = {},
): TaskReportDto {
  const terminal = state !== 'running';
  return {
    run,
    task,
    attempt: 1,
    host: task.split('_')[0],
    state: state as TaskState,
    exitCode: terminal ? (state === 'succeeded' ? 0 : 1) : null,
    startedAt: terminal ? null : '2025-01-01T10:00:00.000Z',
    endedAt: terminal ? '2025-01-01T10:00:05.000Z' : null,
    output: terminal ? `${task} ${state}\n` : '',
    seq: ++seq,
    ...over,
  };
}

export interface RunTaskRow {
  task_id: string;
  state: string;
  attempt: number;
  updated_at: Date;
}

export async function runTasks(dataSource: DataSource, run: string): Promise<RunTaskRow[]> {
  return dataSource.query(
    `SELECT task_id, state, attempt, updated_at FROM run_tasks WHERE run_id = $1 ORDER BY task_id`,
    [run],
  );
}

export async function taskAttempts(
  dataSource: DataSource,
  run: string,
): Promise<Record<string, unknown>[]> {
  return dataSource.query(
    `SELECT task_id, attempt, undo, host, state, exit_code, started_at, ended_at, output, executor, seq, updated_at
       FROM task_attempts WHERE run_id = $1 ORDER BY task_id, attempt`,
    [run],
  );
}

/** Polls until `check` holds (or fails the test with what it saw last after `timeoutMs`). */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!check(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; last saw ${JSON.stringify(last).slice(0, 2000)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}
