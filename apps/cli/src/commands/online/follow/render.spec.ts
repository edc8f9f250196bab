import type { BatchProgress } from './progress';
import { bar, batchEndLine, batchLine, fit, formatDuration, resultLine } from './render';
import { LiveArea } from './live-area';
import { outputTail, runSummaryLines } from './run-summary';

const batch = (over: Partial<BatchProgress> = {}): BatchProgress => ({
  index: 2,
  total: 800,
  pending: 0,
  running: 0,
  done: 0,
  failed: 0,
  skipped: 0,
  startedAt: 0,
  endedAt: null,
  ...over,
});

describe('bar', () => {
  it('fills in proportion, full when every task is done', () => {
    expect(bar(0, 0, 10, 10)).toBe('░'.repeat(10));
    expect(bar(5, 0, 10, 10)).toBe('█'.repeat(5) + '░'.repeat(5));
    expect(bar(10, 0, 10, 10)).toBe('█'.repeat(10));
    expect(bar(799, 1, 800, 10)).toBe('█'.repeat(9) + 'x');
  });

  it('shows any failure with at least one cell, and never overflows', () => {
    expect(bar(0, 1, 1000, 20)).toContain('x');
    for (const [d, f, t] of [
      [3, 9, 10],
      [10, 10, 10],
      [1, 0, 3],
    ])
      expect(bar(d, f, t, 7)).toHaveLength(7);
  });
});

describe('batchLine and batchEndLine', () => {
  it('show the batch as n/total, its count, failures and time', () => {
    const line = batchLine(
      batch({ done: 600, failed: 2, running: 40, startedAt: 1000 }),
      11,
      5100,
      10,
    );
    expect(line).toBe(`batch  3/11  ${'█'.repeat(7)}x░░  602/800  failed 2  running 40  4.1 s`);
  });

  it('counts without a total when the batch size is unknown', () => {
    expect(batchLine(batch({ total: null, done: 5 }), 3, 0, 4)).toContain('5 ended');
  });

  it('says so of a batch that never started', () => {
    expect(batchEndLine(batch({ skipped: 120, endedAt: 0 }), 3)).toBe(
      'batch 3/3 not run (120 skipped)',
    );
  });

  it('sums up an ended batch in words', () => {
    expect(batchEndLine(batch({ done: 798, failed: 2, endedAt: 2500, startedAt: 0 }), 7)).toBe(
      'batch 3/7 ended, 798 succeeded, 2 failed (2.5 s)',
    );
  });
});

describe('formatDuration', () => {
  it('reads well from milliseconds to hours', () => {
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
  });
});

describe('fit', () => {
  it('cuts a line to the terminal width so a redraw never wraps', () => {
    expect(fit('abcdef', 5)).toBe('abc…');
    expect(fit('abc', 5)).toBe('abc');
  });
});

describe('LiveArea', () => {
  const capture = (isTTY: boolean) => {
    const writes: string[] = [];
    return { out: { isTTY, columns: 80, write: (t: string) => writes.push(t) }, writes };
  };

  it('writes only committed lines, without control codes, when not on a terminal', () => {
    const { out, writes } = capture(false);
    const area = new LiveArea(out);
    area.render(['batch 1/2 ...']);
    area.commit(['batch 1/2 ended, 3 succeeded']);
    area.close();
    expect(writes.join('')).toBe('batch 1/2 ended, 3 succeeded\n');
  });

  it('redraws in place on a terminal: back to the block start, clear, draw', () => {
    const { out, writes } = capture(true);
    const area = new LiveArea(out);
    area.render(['one', 'two']);
    area.render(['three', 'four']);
    expect(writes[1]).toBe('\r\x1b[1A\x1b[J\x1b[2Kthree\n\x1b[2Kfour');
    area.commit(['kept']);
    expect(writes[2]).toBe('\r\x1b[1A\x1b[Jkept\n');
  });
});

describe('run summary', () => {
  const details = {
    id: '3f2a8c1e-0000-4000-8000-000000000000',
    project: 'p',
    state: 'failed',
    counts: {},
    batch: { index: 1, total: 2 },
    result: { done: ['a', 'b'], fail: ['c'], undo: ['d', 'e', 'f'] },
    reason: '1 task(s) failed',
    startedAt: '2025-01-01T00:00:00.000Z',
    endedAt: '2025-01-01T00:00:03.500Z',
  };

  it('counts {done, fail, undo}', () => {
    expect(resultLine(details)).toBe('done 2, fail 1, undo 3');
  });

  it('lists each failed task with the tail of its output', () => {
    const output = Array.from({ length: 15 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const lines = runSummaryLines(details, [
      {
        task: 'B_X_check',
        host: 'B',
        target: 'X',
        action: 'check',
        batch: 1,
        state: 'failed',
        attempt: 1,
        exitCode: 3,
        startedAt: null,
        endedAt: null,
        output,
      },
    ]);
    expect(lines[0]).toBe('run 3f2a8c1e failed in 3.5 s: done 2, fail 1, undo 3');
    expect(lines).toContain('reason: 1 task(s) failed');
    expect(lines).toContain('  B_X_check  (B, attempt 1, failed, exit 3)');
    expect(lines.filter((l) => l.startsWith('    | '))).toEqual(
      Array.from({ length: 10 }, (_, i) => `    | line ${i + 6}`),
    );
  });

  it('takes the last lines of any line ending style', () => {
    expect(outputTail('a\r\nb\rc\n\n', 2)).toEqual(['b', 'c']);
    expect(outputTail(null, 3)).toEqual([]);
  });
});
