import type { Problem } from '@ferry/plan';
import { inputProblemsBody, MAX_LISTED_PROBLEMS } from './problems-body';

const problem = (i: number): Problem => ({
  code: 'INPUT.TYPE',
  file: 'inventory',
  path: `nodes[${i}]`,
  message: `bad node ${i}`,
});

describe('inputProblemsBody', () => {
  it('lists every problem with its file, path and code, and quotes the first in the message', () => {
    const body = inputProblemsBody([problem(0), problem(1)], 'the inputs');
    expect(body).toEqual({
      error: 'INPUT.INVALID',
      message:
        '2 problem(s) in the inputs: inventory: nodes[0]: bad node 0 [INPUT.TYPE]; inventory: nodes[1]: bad node 1 [INPUT.TYPE]',
      problems: [
        { path: 'nodes[0]', message: 'bad node 0', code: 'INPUT.TYPE', file: 'inventory' },
        { path: 'nodes[1]', message: 'bad node 1', code: 'INPUT.TYPE', file: 'inventory' },
      ],
    });
  });

  it('keeps a reply for thousands of problems well under the NATS message limit, counting them all', () => {
    const body = inputProblemsBody(
      Array.from({ length: 20_000 }, (_, i) => problem(i)),
      'the inputs',
    );
    expect(body.message).toMatch(/^20000 problem\(s\) in the inputs: .*; and 19997 more$/);
    expect(body.problems).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(body.problems[MAX_LISTED_PROBLEMS].message).toBe(
      `… and ${20_000 - MAX_LISTED_PROBLEMS} more problems, not listed`,
    );
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(512 * 1024);
  });
});
