import type { RunDetails } from '../api';
import { bucketOf, RunProgress } from './progress';

const run = (over: Partial<RunDetails> = {}): RunDetails => ({
  id: 'r1',
  project: 'p',
  state: 'running',
  counts: { pending: 4 },
  batch: { index: 0, total: 2 },
  result: null,
  ...over,
});

const update = (task: string, state: string, batch: number, attempt = 1) => ({
  task,
  state,
  attempt,
  batch,
});

describe('RunProgress', () => {
  it('counts each task once per batch, however often and in whatever order its reports arrive', () => {
    const p = new RunProgress(
      run(),
      new Map([
        [0, 2],
        [1, 2],
      ]),
    );
    p.applyProgress({ updates: [update('a', 'running', 0), update('b', 'running', 0)] }, 1);
    p.applyProgress(
      {
        updates: [
          update('a', 'succeeded', 0),
          update('a', 'running', 0),
          update('a', 'succeeded', 0),
        ],
      },
      2,
    );
    const b0 = p.batch(0);
    expect([b0.done, b0.running, b0.failed]).toEqual([1, 1, 0]);
  });

  it('lets a new attempt replace a failed one (a retry)', () => {
    const p = new RunProgress(run());
    p.applyProgress({ updates: [update('a', 'failed', 0, 1)] }, 1);
    expect(p.batch(0).failed).toBe(1);
    p.applyProgress({ updates: [update('a', 'running', 0, 2)] }, 2);
    expect([p.batch(0).failed, p.batch(0).running]).toEqual([0, 1]);
    p.applyProgress({ updates: [update('a', 'failed', 0, 1)] }, 3); // a late report of attempt 1
    expect([p.batch(0).failed, p.batch(0).running]).toEqual([0, 1]);
  });

  it('ends a batch when the receiver says so, once', () => {
    const p = new RunProgress(run(), new Map([[0, 1]]));
    p.applyProgress({ updates: [update('a', 'succeeded', 0)] }, 5);
    expect(p.applyProgress({ batchesEnded: [0] }, 6)).toEqual([0]);
    expect(p.applyProgress({ batchesEnded: [0] }, 7)).toEqual([]);
    expect(p.batch(0).endedAt).toBe(6);
  });

  it('ends the batches before the one the dispatcher moved to, and learns their size at the end', () => {
    const p = new RunProgress(run({ batch: { index: 0, total: 3 } }));
    p.applyProgress({ updates: [update('a', 'succeeded', 0), update('b', 'failed', 0)] }, 1);
    expect(p.applyState({ state: 'running', batch: 2 }, 2)).toEqual([0, 1]);
    expect(p.batch(0).total).toBe(2);
    expect(p.current).toBe(2);
  });

  it('reads the first event of a stream (batch as {index, total}, with counts)', () => {
    const p = new RunProgress(run({ batch: { index: 0, total: 0 }, counts: {} }));
    p.applyState(
      { state: 'running', batch: { index: 1, total: 4 }, counts: { succeeded: 3, pending: 5 } },
      1,
    );
    expect(p.batchTotal).toBe(4);
    expect(p.taskTotal).toBe(8);
    expect(p.batch(0).endedAt).toBe(1);
  });

  it('is finished once the run is, and every batch has ended', () => {
    const p = new RunProgress(run());
    p.applyProgress({ updates: [update('a', 'running', 1)] }, 1);
    const ended = p.applyState({ state: 'failed', batch: null }, 2);
    expect(p.finished).toBe(true);
    expect(ended).toEqual([0, 1]);
  });

  it('takes the run-wide counts from the events when they are ahead of the last read', () => {
    const p = new RunProgress(run({ counts: { pending: 4 } }));
    p.applyProgress({ updates: [update('a', 'succeeded', 0), update('b', 'timed_out', 0)] }, 1);
    expect(p.runBuckets()).toMatchObject({ done: 1, failed: 1 });
    p.applyDetails(run({ counts: { succeeded: 3, failed: 1 } }), 2);
    expect(p.runBuckets()).toMatchObject({ done: 3, failed: 1 });
  });

  it('seeds per-batch counts from a task listing', () => {
    const p = new RunProgress(run());
    p.seedTasks(
      [
        { task: 'a', state: 'succeeded', attempt: 1, batch: 0 },
        { task: 'b', state: 'pending', attempt: 1, batch: 1 },
      ],
      1,
    );
    p.applyProgress({ updates: [update('b', 'running', 1)] }, 2);
    expect([p.batch(0).done, p.batch(1).pending, p.batch(1).running]).toEqual([1, 0, 1]);
  });
});

describe('bucketOf', () => {
  it('counts timed out and lost tasks as failures, sent as running', () => {
    expect(['failed', 'timed_out', 'lost'].map(bucketOf)).toEqual(['failed', 'failed', 'failed']);
    expect(bucketOf('sent')).toBe('running');
    expect(bucketOf('undone')).toBe('done');
    expect(bucketOf('skipped')).toBe('skipped');
  });
});
