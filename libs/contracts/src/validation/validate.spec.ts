import { JobDto, ReportBatchDto } from '../index';
import { CreateRunDto } from '../dto/api.dto';
import { RunPolicyDto, resolveLimit, withDefaults } from '../dto/policy.dto';
import { decodeMessage, encodeMessage } from './validate';

const spec = {
  task: 'a_X_stop',
  run: 'r',
  attempt: 1,
  host: 'a',
  target: 'X',
  action: 'stop',
  mode: 'restart',
  from: '1',
  to: '2',
  release: null,
  rpms: [],
  timeout_s: 60,
};

describe('decodeMessage', () => {
  it('accepts a valid job and keeps its nested tasks', () => {
    const decoded = decodeMessage(
      JobDto,
      encodeMessage({
        run: 'r',
        batch: 0,
        host: 'a',
        key: 'k',
        gate: true,
        stages: [{ tasks: [spec] }],
      }),
    );
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.value.stages[0].tasks[0].task).toBe('a_X_stop');
  });

  it('rejects a bad message with every problem and its path, never half of it', () => {
    const decoded = decodeMessage(JobDto, {
      run: 'r',
      batch: -1,
      host: 'a',
      key: 'k',
      gate: true,
      stages: [{ tasks: [{ ...spec, attempt: 0, extra: 1 }] }],
    });
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.error.error).toBe('REQUEST.INVALID');
      const paths = decoded.error.problems.map((p) => p.path);
      expect(paths).toEqual(
        expect.arrayContaining(['batch', 'stages[0].tasks[0].attempt', 'stages[0].tasks[0].extra']),
      );
    }
  });

  it('rejects reports in states a node does not report, and bad times', () => {
    const report = {
      run: 'r',
      task: 't',
      attempt: 1,
      host: 'a',
      state: 'pending',
      exitCode: null,
      startedAt: 'yesterday',
      endedAt: null,
      output: '',
      seq: 1,
    };
    const decoded = decodeMessage(ReportBatchDto, { executor: 'e', reports: [report] });
    expect(decoded.ok).toBe(false);
    if (!decoded.ok)
      expect(decoded.error.problems.map((p) => p.path).sort()).toEqual([
        'reports[0].startedAt',
        'reports[0].state',
      ]);
  });

  it('says what is wrong with something that is not JSON or not an object', () => {
    const notJson = decodeMessage(JobDto, new TextEncoder().encode('{oops'));
    expect(!notJson.ok && notJson.error.message).toMatch(/not valid JSON/);
    const list = decodeMessage(JobDto, '[1]');
    expect(!list.ok && list.error.message).toMatch(/JSON object/);
  });
});

describe('run policy', () => {
  it('accepts counts and percentages and rejects anything else', () => {
    expect(
      decodeMessage(CreateRunDto, { policy: { max_in_flight: '25%', error_threshold: 2 } }).ok,
    ).toBe(true);
    const bad = decodeMessage(CreateRunDto, {
      policy: { max_in_flight: 0, error_threshold: '150%' },
    });
    expect(!bad.ok && bad.error.problems.map((p) => p.path).sort()).toEqual([
      'policy.error_threshold',
      'policy.max_in_flight',
    ]);
    expect(decodeMessage(RunPolicyDto, { job_ack_timeout_s: 0 }).ok).toBe(false);
  });

  it('fills the documented defaults', () => {
    expect(withDefaults({ error_threshold: '10%' })).toEqual({
      max_in_flight: null,
      error_threshold: '10%',
      job_ack_timeout_s: 30,
      heartbeat_timeout_s: 60,
      task_timeout_s: 1800,
    });
  });

  it('resolves percentages against a size: at least one node in flight, failures rounded down', () => {
    expect(resolveLimit('25%', 10, 'up')).toBe(3);
    expect(resolveLimit('1%', 10, 'up')).toBe(1);
    expect(resolveLimit('10%', 35, 'down')).toBe(3);
    expect(resolveLimit(4, 100, 'down')).toBe(4);
  });
});
