import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSources, DEFAULT_FILES, type Mission, type Plan } from '@ferry/plan';
import { cutCurrentPlan, hostsWithTasks } from './cut';

const SEED = join(__dirname, '..', '..', '..', '..', 'examples', 'seed');
const read = (file: string) => readFileSync(join(SEED, file), 'utf8');

function seedPlan(): Plan {
  const compiled = compileSources(
    {
      inventory: read('inventory.yaml'),
      descriptor: read('descriptor.yaml'),
      logicBook: read('logic.yaml'),
    },
    DEFAULT_FILES,
  );
  if (!compiled.ok) throw new Error('the seed example does not compile');
  return compiled.value.plan;
}

const COMMAND = JSON.parse(read('slice-upgrade-AY-BX.json')) as {
  command: string;
  instances: string[];
};
const EXPECTED = JSON.parse(read('expected-slice-upgrade-AY-BX-mission.json')) as Mission;

function cut(command: object, done: string[] = []) {
  const result = cutCurrentPlan(seedPlan(), command, new Set(done), 'global-1');
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.value;
}

describe('cutCurrentPlan', () => {
  it('cuts the seed example to its expected mission and records the command', () => {
    const { plan, excludedDone } = cut(COMMAND);
    expect(plan.mission).toEqual(EXPECTED);
    expect(plan.slice).toEqual({ of: 'global-1', command: COMMAND });
    expect(excludedDone).toBe(0);
  });

  it('leaves out done tasks and counts only those the command selected', () => {
    // B_X_stop is selected and done; A_X_stop is done but not selected (not in A/Y, B/X).
    const { plan, excludedDone } = cut(COMMAND, ['B_X_stop', 'A_Y_uprpm', 'A_X_stop']);
    expect(excludedDone).toBe(2);
    expect(plan.mission).toEqual([
      [[['A_Y_stop']]],
      [[['B_X_uprpm']]],
      [[['A_Y_start']]],
      [[['B_X_start']]],
    ]);
    expect([...plan.tasks.keys()].sort()).toEqual([
      'A_Y_start',
      'A_Y_stop',
      'B_X_start',
      'B_X_uprpm',
    ]);
    expect(plan.slice).toEqual({ of: 'global-1', command: COMMAND });
  });

  it('keeps done tasks with exclude_done: false', () => {
    const command = { ...COMMAND, exclude_done: false };
    const { plan, excludedDone } = cut(command, ['B_X_stop']);
    expect(excludedDone).toBe(0);
    expect(plan.mission).toEqual(EXPECTED);
    expect(plan.slice?.command).toEqual(command);
  });

  it('gives an empty plan when every selected task is done', () => {
    const { plan, excludedDone } = cut(COMMAND, EXPECTED.flat(3));
    expect(excludedDone).toBe(6);
    expect(plan.mission).toEqual([]);
    expect(plan.tasks.size).toBe(0);
  });

  it('reports unknown names as problems', () => {
    const result = cutCurrentPlan(
      seedPlan(),
      { command: 'upgrade', hosts: ['C'], components: ['W'] },
      new Set(),
      'global-1',
    );
    expect(!result.ok && result.problems.map((p) => [p.code, p.path])).toEqual([
      ['SLICE.UNKNOWN_HOST', 'hosts[0]'],
      ['SLICE.UNKNOWN_COMPONENT', 'components[0]'],
    ]);
  });
});

describe('hostsWithTasks', () => {
  it('counts hosts, not the global pseudo-host', () => {
    const plan = seedPlan();
    const tasks = new Map(plan.tasks);
    tasks.set('upg-server_rpc_pin', {
      host: 'upg-server',
      target: 'rpc',
      action: 'pin',
      phase: 'pin',
      mode: null,
      from: null,
      to: null,
      release: null,
      undo: null,
      layer: null,
    });
    expect(hostsWithTasks({ ...plan, tasks })).toBe(2);
  });
});
