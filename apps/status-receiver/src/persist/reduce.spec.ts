import fc from 'fast-check';
import { TaskState } from '@ferry/contracts';
import type { AttemptRow } from '@ferry/storage';
import { reduceReports } from './reduce';

const RUN = '6f1c2a9e-1111-4222-8333-444455556666';

function report(over: Partial<AttemptRow> = {}): AttemptRow {
  return {
    run: RUN,
    task: 'node1_nova_upgrade',
    attempt: 1,
    undo: false,
    host: 'node1',
    state: TaskState.Running,
    exitCode: null,
    startedAt: null,
    endedAt: null,
    output: '',
    executor: 'pool-1',
    seq: 1,
    ...over,
  };
}

const STARTED = '2025-01-01T10:00:00.000Z';
const ENDED = '2025-01-01T10:00:05.000Z';

describe('reduceReports', () => {
  it('keeps one attempt row per (run, task, attempt, undo) at its highest state', () => {
    const reduced = reduceReports([
      report({ state: TaskState.Succeeded, exitCode: 0, seq: 2 }),
      report({ state: TaskState.Running, seq: 1 }),
      report({ state: TaskState.Succeeded, exitCode: 0, seq: 2 }),
    ]);
    expect(reduced.attempts).toHaveLength(1);
    expect(reduced.attempts[0].state).toBe(TaskState.Succeeded);
    expect(reduced.steps).toEqual([
      { run: RUN, task: 'node1_nova_upgrade', attempt: 1, state: TaskState.Succeeded },
    ]);
    expect(reduced.undone).toEqual([]);
  });

  it('merges a running report and the succeeded one after it, keeping the start time', () => {
    const running = report({ state: TaskState.Running, startedAt: STARTED, seq: 1 });
    const succeeded = report({
      state: TaskState.Succeeded,
      endedAt: ENDED,
      exitCode: 0,
      output: 'done\n',
      seq: 2,
    });
    for (const order of [
      [running, succeeded],
      [succeeded, running],
    ]) {
      const [row] = reduceReports(order).attempts;
      expect(row).toMatchObject({
        state: TaskState.Succeeded,
        startedAt: STARTED,
        endedAt: ENDED,
        exitCode: 0,
        output: 'done\n',
        seq: 2,
      });
    }
  });

  it('lets the higher attempt win the task step, even when its state ranks lower', () => {
    const reduced = reduceReports([
      report({ attempt: 2, state: TaskState.Running, seq: 5 }),
      report({ attempt: 1, state: TaskState.Failed, exitCode: 1, seq: 4 }),
    ]);
    expect(reduced.attempts.map((r) => [r.attempt, r.state])).toEqual([
      [1, TaskState.Failed],
      [2, TaskState.Running],
    ]);
    expect(reduced.steps).toEqual([
      { run: RUN, task: 'node1_nova_upgrade', attempt: 2, state: TaskState.Running },
    ]);
  });

  it('keeps undo executions apart from task executions and only a succeeded undo undoes', () => {
    const reduced = reduceReports([
      report({ attempt: 1, state: TaskState.Succeeded, seq: 1 }),
      report({ attempt: 2, undo: true, state: TaskState.Running, seq: 2 }),
      report({ attempt: 2, undo: true, state: TaskState.Succeeded, seq: 3 }),
      report({
        task: 'node1_glance_upgrade',
        attempt: 2,
        undo: true,
        state: TaskState.Failed,
        seq: 4,
      }),
    ]);
    expect(reduced.attempts.map((r) => [r.task, r.attempt, r.undo, r.state])).toEqual([
      ['node1_glance_upgrade', 2, true, TaskState.Failed],
      ['node1_nova_upgrade', 1, false, TaskState.Succeeded],
      ['node1_nova_upgrade', 2, true, TaskState.Succeeded],
    ]);
    expect(reduced.steps).toEqual([
      { run: RUN, task: 'node1_nova_upgrade', attempt: 1, state: TaskState.Succeeded },
    ]);
    expect(reduced.undone).toEqual([
      { run: RUN, task: 'node1_nova_upgrade', attempt: 2, state: TaskState.Succeeded },
    ]);
  });

  it('keeps an undo row and a task row of the same attempt number apart', () => {
    const reduced = reduceReports([
      report({ attempt: 1, state: TaskState.Succeeded }),
      report({ attempt: 1, undo: true, state: TaskState.Succeeded }),
    ]);
    expect(reduced.attempts.map((r) => r.undo).sort()).toEqual([false, true]);
    expect(reduced.steps).toHaveLength(1);
    expect(reduced.undone).toHaveLength(1);
  });

  it('never lets one terminal state replace another of the same rank by arrival order', () => {
    const a = report({ state: TaskState.Failed, exitCode: 1, seq: 7 });
    const b = report({ state: TaskState.TimedOut, seq: 9 });
    expect(reduceReports([a, b]).attempts[0].state).toBe(reduceReports([b, a]).attempts[0].state);
  });

  it('sorts its output by (run, task) so receivers lock rows in one order', () => {
    const reduced = reduceReports([
      report({ task: 'c' }),
      report({ task: 'a' }),
      report({ task: 'b' }),
    ]);
    expect(reduced.attempts.map((r) => r.task)).toEqual(['a', 'b', 'c']);
    expect(reduced.steps.map((r) => r.task)).toEqual(['a', 'b', 'c']);
  });

  it('does not depend on the order reports arrive in', () => {
    const states = [
      TaskState.Running,
      TaskState.Succeeded,
      TaskState.Failed,
      TaskState.TimedOut,
      TaskState.Lost,
    ];
    const arbReport = fc.record({
      task: fc.constantFrom('t1', 't2'),
      attempt: fc.integer({ min: 1, max: 3 }),
      undo: fc.boolean(),
      state: fc.constantFrom(...states),
      seq: fc.integer({ min: 0, max: 5 }),
      startedAt: fc.option(fc.constantFrom(STARTED, '2025-01-01T09:00:00.000Z')),
      endedAt: fc.option(fc.constantFrom(ENDED, '2025-01-01T11:00:00.000Z')),
      exitCode: fc.option(fc.integer({ min: -1, max: 2 })),
      output: fc.constantFrom('', 'a', 'b'),
    });
    fc.assert(
      fc.property(
        fc
          .array(arbReport, { maxLength: 25 })
          .chain((list) =>
            fc.tuple(
              fc.constant(list),
              fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
            ),
          ),
        ([list, shuffled]) => {
          const a = reduceReports(list.map((r) => report(r)));
          const b = reduceReports(shuffled.map((r) => report(r)));
          expect(b).toEqual(a);
          // One row per key, and every step is the newest attempt of its task.
          const keys = a.attempts.map((r) => `${r.task}/${r.attempt}/${r.undo}`);
          expect(new Set(keys).size).toBe(keys.length);
          for (const step of a.steps) {
            const newest = Math.max(
              ...list.filter((r) => r.task === step.task && !r.undo).map((r) => r.attempt),
            );
            expect(step.attempt).toBe(newest);
          }
        },
      ),
    );
  });
});
