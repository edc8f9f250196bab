import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from './project.repository';

/**
 * A task is done when the latest upgrade run that executed it (its row there is neither `pending`
 * nor `skipped`) left it `succeeded`. So a task a later run re-ran and failed, or undid (`undone`),
 * is not done; a later run that stopped before reaching it does not undo an earlier success.
 * Undo runs are left out: their rows describe undo actions, not the task.
 */
const DONE_TASKS = `
  SELECT task_id FROM (
    SELECT DISTINCT ON (rt.task_id) rt.task_id, rt.state
      FROM run_tasks rt
      JOIN runs r ON r.id = rt.run_id
     WHERE r.global_plan_id = $1
       AND r.kind = 'upgrade'
       AND rt.state NOT IN ('pending', 'skipped')
     ORDER BY rt.task_id, r.created_at DESC, rt.updated_at DESC
  ) latest
  WHERE state = 'succeeded'`;

/** What earlier runs of a plan achieved, as the slicer needs it. */
@Injectable()
export class HistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Ids of the tasks of global plan `globalPlanId` that earlier runs got done (see DONE_TASKS). */
  async doneTasks(globalPlanId: string): Promise<Set<string>> {
    if (!isUuid(globalPlanId)) return new Set();
    const runner = this.dataSource.createQueryRunner();
    try {
      // Rows as arrays: a million ids cost one string each, not one object each.
      const client = (await runner.connect()) as {
        query: (q: {
          text: string;
          values: unknown[];
          rowMode: 'array';
        }) => Promise<{ rows: [string][] }>;
      };
      const result = await client.query({
        text: DONE_TASKS,
        values: [globalPlanId],
        rowMode: 'array',
      });
      const done = new Set<string>();
      for (const [id] of result.rows) done.add(id);
      return done;
    } finally {
      await runner.release();
    }
  }
}
