import { TaskState } from '@ferry/contracts';
import type { BatchTaskRow } from '@ferry/storage';
import { undoBatches } from './undo-order';

function row(task: string, batch: number, stage: number): BatchTaskRow & { batch: number } {
  const [host, target, action] = task.split('_');
  return {
    task,
    host,
    target,
    action,
    stage,
    batch,
    state: TaskState.Succeeded,
    attempt: 1,
    mode: 'restart',
    from: '1',
    to: '2',
    release: null,
    undo: 'x',
  };
}

describe('undoBatches', () => {
  it('puts later batches first and reverses the stages of each job', () => {
    const batches = undoBatches([
      row('a_X_stop', 0, 0),
      row('a_X_uprpm', 0, 1),
      row('b_X_stop', 0, 0),
      row('a_Y_start', 1, 0),
    ]);
    expect(batches.map((b) => b.map((r) => [r.task, r.stage]))).toEqual([
      [['a_Y_start', 0]],
      [
        ['a_X_uprpm', 0],
        ['a_X_stop', 1],
        ['b_X_stop', 0],
      ],
    ]);
  });

  it('hands the undos out pending, whatever the state of the task they reverse', () => {
    const [batch] = undoBatches([row('a_X_stop', 0, 0)]);
    expect(batch[0].state).toBe(TaskState.Pending);
  });
});
