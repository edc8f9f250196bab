import { encodeMessage, TaskState } from '@ferry/contracts';
import { decodeReports } from './decode-reports';

const RUN = '6f1c2a9e-1111-4222-8333-444455556666';
const SUBJECT = 'ferry.status.x';

function message(reports: Record<string, unknown>[], executor = 'pool-1'): Uint8Array {
  return encodeMessage({ executor, reports });
}

function report(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    run: RUN,
    task: 'n1_nova_upgrade',
    attempt: 1,
    host: 'n1',
    state: 'succeeded',
    exitCode: 0,
    startedAt: '2025-01-01T10:00:00Z',
    endedAt: '2025-01-01T10:00:01+02:00',
    output: 'ok',
    seq: 3,
    ...over,
  };
}

describe('decodeReports', () => {
  it('turns a valid message into rows carrying the executor, normalised times and undo=false', () => {
    const decoded = decodeReports(
      message([
        report(),
        report({
          task: 'n1_glance_upgrade',
          undo: true,
          state: 'running',
          exitCode: null,
          endedAt: null,
        }),
      ]),
      SUBJECT,
    );
    expect(decoded).toEqual({
      ok: true,
      rows: [
        {
          run: RUN,
          task: 'n1_nova_upgrade',
          attempt: 1,
          undo: false,
          host: 'n1',
          state: TaskState.Succeeded,
          exitCode: 0,
          startedAt: '2025-01-01T10:00:00.000Z',
          endedAt: '2025-01-01T08:00:01.000Z',
          output: 'ok',
          executor: 'pool-1',
          seq: 3,
        },
        {
          run: RUN,
          task: 'n1_glance_upgrade',
          attempt: 1,
          undo: true,
          host: 'n1',
          state: TaskState.Running,
          exitCode: null,
          startedAt: '2025-01-01T10:00:00.000Z',
          endedAt: null,
          output: 'ok',
          executor: 'pool-1',
          seq: 3,
        },
      ],
    });
  });

  it('rejects the whole message when one report is invalid', () => {
    const decoded = decodeReports(message([report(), report({ state: 'exploded' })]), SUBJECT);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problems.map((p) => p.path)).toContain('reports[1].state');
  });

  it('rejects what the DTO allows but PostgreSQL would refuse', () => {
    const cases: [Record<string, unknown>, string][] = [
      [report({ task: 'a\u0000b' }), 'reports[0].task'],
      [report({ attempt: 2 ** 31 }), 'reports[0].attempt'],
      [report({ exitCode: 2 ** 40 }), 'reports[0].exitCode'],
      [report({ seq: 2 ** 60 }), 'reports[0].seq'],
      [report({ startedAt: '2025-13-45T10:00:00Z' }), 'reports[0].startedAt'],
      [report({ endedAt: '0000-01-01T00:00:00Z' }), 'reports[0].endedAt'],
    ];
    for (const [bad, path] of cases) {
      const decoded = decodeReports(message([bad]), SUBJECT);
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.problems.map((p) => p.path)).toEqual([path]);
    }
    const executor = decodeReports(message([report()], 'x\u0000'), SUBJECT);
    expect(executor.ok).toBe(false);
  });

  it('drops NUL bytes from the output tail instead of rejecting the report', () => {
    const decoded = decodeReports(message([report({ output: 'a\u0000b' })]), SUBJECT);
    expect(decoded.ok && decoded.rows[0].output).toBe('ab');
  });

  it('rejects text that is not JSON', () => {
    const decoded = decodeReports(new TextEncoder().encode('{nope'), SUBJECT);
    expect(decoded.ok).toBe(false);
  });
});
