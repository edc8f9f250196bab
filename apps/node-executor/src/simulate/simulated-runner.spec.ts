import { TaskState, type TaskSpecDto } from '@ferry/contracts';
import { SimulatedRunner, SIM_RUNNING_REPORT_MS } from './simulated-runner';
import { TimerWheel } from './timer-wheel';

const spec = (task: string, attempt = 1): TaskSpecDto => ({
  task,
  run: 'r',
  attempt,
  host: 'n1',
  target: 'nova',
  action: 'uprpm',
  mode: null,
  from: null,
  to: null,
  release: null,
  rpms: [],
  timeout_s: 60,
});
const params = { taskMs: 20, taskMsJitter: 0, failRate: 0, failTasks: new Set(['bad']), seed: 1 };

describe('SimulatedRunner', () => {
  it('succeeds or fails as decided, sending only the terminal report for short tasks', async () => {
    const runner = new SimulatedRunner(params);
    const started: string[] = [];
    const [good, bad] = await Promise.all([
      runner.run(spec('good'), { onStarted: (at) => void started.push(at) }),
      runner.run(spec('bad'), { onStarted: () => undefined }),
    ]);
    expect(good).toMatchObject({ state: TaskState.Succeeded, exitCode: 0 });
    expect(bad).toMatchObject({ state: TaskState.Failed, exitCode: 1 });
    expect(started).toEqual([]);
    expect(Date.parse(good.endedAt) - Date.parse(good.startedAt)).toBeGreaterThanOrEqual(15);
  });

  it('ends a task that would outlast its timeout as timed_out, at the timeout', async () => {
    const runner = new SimulatedRunner({ ...params, taskMs: 60_000 });
    const outcome = await runner.run(
      { ...spec('long'), timeout_s: 1 },
      { onStarted: () => undefined },
    );
    expect(outcome).toMatchObject({ state: TaskState.TimedOut, exitCode: 143 });
    expect(outcome.output).toContain('timed out after 1 s');
  });

  it('reports long tasks running when they start', async () => {
    const runner = new SimulatedRunner({ ...params, taskMs: SIM_RUNNING_REPORT_MS });
    const started: string[] = [];
    const pending = runner.run(spec('slow'), { onStarted: (at) => void started.push(at) });
    expect(started).toHaveLength(1);
    runner.stopAll('shutting down');
    expect(await pending).toMatchObject({ state: TaskState.Failed, startedAt: started[0] });
  });

  it('ends thousands of same-length tasks with one timer per distinct end time', async () => {
    const wheel = new TimerWheel();
    const runner = new SimulatedRunner({ ...params, taskMs: 30 }, wheel);
    const spy = jest.spyOn(global, 'setTimeout');
    const all = Array.from({ length: 5000 }, (_, i) =>
      runner.run(spec(`t${i}`), { onStarted: () => undefined }),
    );
    const timers = spy.mock.calls.length;
    spy.mockRestore();
    // One per millisecond the loop spans, not one per task.
    expect(timers).toBeLessThan(100);
    expect((await Promise.all(all)).every((o) => o.state === TaskState.Succeeded)).toBe(true);
    expect(wheel.pending).toBe(0);
  });
});
