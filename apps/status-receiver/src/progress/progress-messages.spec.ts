import { isTerminal, TaskState } from '@ferry/contracts';
import type { TaskMove } from '@ferry/storage';
import { batchesToCheck, progressMessages } from './progress-messages';

const A = 'aaaaaaaa-1111-4222-8333-444455556666';
const B = 'bbbbbbbb-1111-4222-8333-444455556666';
const AT = '2025-01-01T00:00:00.000Z';

const move = (run: string, task: string, state: TaskState, batch = 0, attempt = 1): TaskMove => ({
  run,
  task,
  state,
  attempt,
  batch,
});

describe('progressMessages', () => {
  it('sends one message per run with its updates, counts and ended batches', () => {
    const moved = [
      move(A, 't1', TaskState.Succeeded),
      move(B, 't2', TaskState.Running, 1),
      move(A, 't3', TaskState.Failed, 2),
    ];
    const messages = progressMessages(
      moved,
      [
        { run: A, batch: 2 },
        { run: A, batch: 0 },
      ],
      AT,
      64 * 1024,
    );
    expect(messages).toEqual([
      {
        run: A,
        at: AT,
        updates: [
          { task: 't1', state: TaskState.Succeeded, attempt: 1, batch: 0 },
          { task: 't3', state: TaskState.Failed, attempt: 1, batch: 2 },
        ],
        counts: { succeeded: 1, failed: 1 },
        batchesEnded: [0, 2],
      },
      {
        run: B,
        at: AT,
        updates: [{ task: 't2', state: TaskState.Running, attempt: 1, batch: 1 }],
        counts: { running: 1 },
        batchesEnded: [],
      },
    ]);
  });

  it('splits a big update under the size limit and puts ended batches on the last part', () => {
    const moved = Array.from({ length: 5000 }, (_, i) =>
      move(A, `node${i}_nova-compute_upgrade`, TaskState.Succeeded, 3),
    );
    const messages = progressMessages(moved, [{ run: A, batch: 3 }], AT, 32 * 1024);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages)
      expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThanOrEqual(32 * 1024);
    expect(messages.flatMap((m) => m.updates).map((u) => u.task)).toEqual(moved.map((m) => m.task));
    expect(messages.reduce((n, m) => n + (m.counts.succeeded ?? 0), 0)).toBe(5000);
    expect(messages.map((m) => m.batchesEnded)).toEqual([...messages.slice(1).map(() => []), [3]]);
  });
});

describe('batchesToCheck', () => {
  it('lists each (run, batch) in which a task became terminal, once', () => {
    const moved = [
      move(A, 't1', TaskState.Succeeded, 1),
      move(A, 't2', TaskState.Lost, 1),
      move(A, 't3', TaskState.Running, 2),
      move(B, 't4', TaskState.Undone, 1),
    ];
    expect(batchesToCheck(moved, isTerminal)).toEqual([
      { run: A, batch: 1 },
      { run: B, batch: 1 },
    ]);
  });
});
