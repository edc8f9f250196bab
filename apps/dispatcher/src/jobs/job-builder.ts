import { createHash } from 'node:crypto';
import type { JobDto, TaskSpecDto } from '@ferry/contracts';
import type { BatchTaskRow } from '@ferry/storage';

/** The tasks of one host in one batch, in stage order. */
export interface JobTasks {
  readonly host: string;
  readonly rows: readonly BatchTaskRow[];
}

/** Rows of a batch (mission order: a host's rows are contiguous) grouped into one job per host. */
export function groupJobs(rows: readonly BatchTaskRow[]): JobTasks[] {
  const jobs: JobTasks[] = [];
  let current: BatchTaskRow[] = [];
  let host: string | null = null;
  for (const row of rows) {
    if (row.host !== host) {
      if (current.length) jobs.push({ host: host as string, rows: current });
      current = [];
      host = row.host;
    }
    current.push(row);
  }
  if (current.length && host !== null) jobs.push({ host, rows: current });
  return jobs;
}

export interface SpecContext {
  readonly run: string;
  readonly timeoutSeconds: number;
  /** Packages of an instance (from the snapshot's descriptor). */
  readonly rpms: (host: string, target: string) => readonly string[];
}

/** The spec of a task as planned. */
export function taskSpec(row: BatchTaskRow, ctx: SpecContext): TaskSpecDto {
  return {
    task: row.task,
    run: ctx.run,
    attempt: row.attempt,
    host: row.host,
    target: row.target,
    action: row.action,
    mode: row.mode,
    from: row.from,
    to: row.to,
    release: row.release,
    rpms: [...ctx.rpms(row.host, row.target)],
    timeout_s: ctx.timeoutSeconds,
  };
}

/** The spec of a task's undo (runtime.md): its undo action on the same instance, from/to swapped. */
export function undoSpec(row: BatchTaskRow, attempt: number, ctx: SpecContext): TaskSpecDto {
  return {
    ...taskSpec(row, ctx),
    action: row.undo as string,
    from: row.to,
    to: row.from,
    attempt,
    undo: true,
  };
}

/**
 * The job message for one host. Its key is derived from the run, batch, host and the exact
 * (task, attempt, undo) set: a re-send after a dispatcher restart has the same key (the node
 * acknowledges it as a duplicate and starts nothing), a resume, retry or undo gets a new one.
 */
export function buildJob(
  run: string,
  batch: number,
  host: string,
  stages: readonly (readonly TaskSpecDto[])[],
): JobDto {
  const digest = createHash('sha1')
    .update(
      stages
        .flatMap((stage) => stage.map((t) => `${t.task}#${t.attempt}${t.undo ? '#undo' : ''}`))
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
  return {
    run,
    batch,
    host,
    key: `${run}:${batch}:${host}:${digest}`,
    stages: stages.map((tasks) => ({ tasks: [...tasks] })),
    gate: true,
  };
}
