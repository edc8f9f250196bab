import {
  simulatedDurationMs,
  simulatedFailure,
  unitHash,
  type SimulationParams,
} from './simulated-outcome';

const params = (overrides: Partial<SimulationParams> = {}): SimulationParams => ({
  taskMs: 100,
  taskMsJitter: 0,
  failRate: 0,
  failTasks: new Set(),
  seed: 42,
  ...overrides,
});
const tasks = Array.from({ length: 20_000 }, (_, i) => `n${i}_nova_uprpm`);

describe('simulated outcomes', () => {
  it('are deterministic for a seed', () => {
    const p = params({ failRate: 0.1, taskMsJitter: 50 });
    const run = () =>
      tasks.map((t) => `${simulatedFailure(p, t, 1)}:${simulatedDurationMs(p, t, 1)}`);
    expect(run()).toEqual(run());
  });

  it('change with the seed', () => {
    const a = tasks.map((t) => simulatedFailure(params({ failRate: 0.5, seed: 1 }), t, 1));
    const b = tasks.map((t) => simulatedFailure(params({ failRate: 0.5, seed: 2 }), t, 1));
    expect(a).not.toEqual(b);
  });

  it('fail about the given share of attempts', () => {
    const failed = tasks.filter((t) => simulatedFailure(params({ failRate: 0.1 }), t, 1)).length;
    expect(failed / tasks.length).toBeGreaterThan(0.09);
    expect(failed / tasks.length).toBeLessThan(0.11);
  });

  it('decide each attempt anew, so a retry can succeed', () => {
    const p = params({ failRate: 0.5 });
    const differ = tasks
      .slice(0, 1000)
      .filter((t) => simulatedFailure(p, t, 1) !== simulatedFailure(p, t, 2)).length;
    expect(differ).toBeGreaterThan(300);
  });

  it('always fail the listed tasks, and never fail at rate 0', () => {
    const p = params({ failTasks: new Set(['n3_nova_uprpm']) });
    expect(tasks.filter((t) => simulatedFailure(p, t, 1))).toEqual(['n3_nova_uprpm']);
    expect(simulatedFailure(p, 'n3_nova_uprpm', 5)).toBe(true);
    expect(simulatedFailure(p, 'n3_nova_uprpm~undo', 1)).toBe(false);
  });

  it('keep durations within taskMs ± jitter, never negative', () => {
    const p = params({ taskMs: 10, taskMsJitter: 30 });
    const durations = tasks.map((t) => simulatedDurationMs(p, t, 1));
    expect(Math.min(...durations)).toBe(0);
    expect(Math.max(...durations)).toBeLessThanOrEqual(40);
    expect(new Set(durations).size).toBeGreaterThan(20);
  });

  it('hash into [0, 1)', () => {
    for (const t of tasks.slice(0, 2000)) {
      const u = unitHash(7, 'fail', t, 1);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });
});
