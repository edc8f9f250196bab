import { TaskState } from '@ferry/contracts';
import type { BatchTaskRow } from '@ferry/storage';
import { naturalCompare } from '@ferry/plan';

/**
 * The order undos run in (issue: "reverse order of batches, stages reversed within jobs"): batches
 * last to first; within a batch each host's job has its stages reversed (renumbered from 0 so the
 * job runs them in that order). Rows come in mission order with their original batch and stage;
 * they go out pending: what is still to run is the undo, not the task.
 */
export function undoBatches(rows: readonly (BatchTaskRow & { batch: number })[]): BatchTaskRow[][] {
  const byBatch = new Map<number, (BatchTaskRow & { batch: number })[]>();
  for (const row of rows) {
    const list = byBatch.get(row.batch) ?? [];
    list.push(row);
    byBatch.set(row.batch, list);
  }
  return [...byBatch.keys()]
    .sort((a, b) => b - a)
    .map((batch) => {
      const batchRows = byBatch.get(batch) as BatchTaskRow[];
      const lastStage = new Map<string, number>();
      for (const r of batchRows)
        lastStage.set(r.host, Math.max(lastStage.get(r.host) ?? 0, r.stage));
      return batchRows
        .map((r) => ({
          ...r,
          state: TaskState.Pending,
          stage: (lastStage.get(r.host) as number) - r.stage,
        }))
        .sort(
          (a, b) =>
            naturalCompare(a.host, b.host) || a.stage - b.stage || naturalCompare(a.task, b.task),
        );
    });
}
