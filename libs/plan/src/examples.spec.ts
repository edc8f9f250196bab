import { readFileSync } from 'fs';
import { join } from 'path';
import { FILES, valueOf } from './testing/builders.fixtures';
import { compileSources } from './sources';
import { readSliceCommand } from './slice/command';
import { slicePlan } from './slice/slice';
import { planToJson } from './format/plan-json';
import { readPlan } from './input/read-plan';
import type { Mission } from './model/plan';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

function read(example: string, file: string): string {
  return readFileSync(join(EXAMPLES, example, file), 'utf8');
}

function compileExample(example: string) {
  return valueOf(
    compileSources(
      {
        inventory: read(example, 'inventory.yaml'),
        descriptor: read(example, 'descriptor.yaml'),
        logicBook: read(example, 'logic.yaml'),
      },
      FILES,
    ),
  );
}

const EXAMPLE_CASES = [
  { example: 'seed', slice: 'slice-upgrade-AY-BX.json' },
  { example: 'openstack-ffu', slice: 'slice-compute-az2.json' },
];

describe.each(EXAMPLE_CASES)('example $example', ({ example, slice }) => {
  it('compiles to exactly expected-mission.json', () => {
    const { plan } = compileExample(example);
    const expected = JSON.parse(read(example, 'expected-mission.json')) as Mission;
    expect(plan.mission).toEqual(expected);
  });

  it(`slices with ${slice} to exactly its expected slice mission`, () => {
    const { plan } = compileExample(example);
    const command = valueOf(readSliceCommand(read(example, slice), slice));
    const current = valueOf(slicePlan(plan, command));
    const expected = JSON.parse(
      read(example, slice.replace(/^slice-(.*)\.json$/, 'expected-slice-$1-mission.json')),
    ) as Mission;
    expect(current.mission).toEqual(expected);
    expect(current.slice).toEqual({ of: plan.name, command });
  });

  it('describes exactly the ids of its mission in `tasks`', () => {
    const { plan } = compileExample(example);
    const ids = plan.mission.flat(3);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...plan.tasks.keys()].sort()).toEqual([...ids].sort());
  });

  it('writes a plan file that reads back to an equal plan', () => {
    const { plan } = compileExample(example);
    const text = planToJson(plan);
    const back = valueOf(readPlan(text, 'plan.json'));
    expect(back).toEqual(plan);
    expect(planToJson(back)).toBe(text);
  });
});

describe('the seed example in detail', () => {
  it('records the task A_X_stop as plan-format.md shows it', () => {
    const { plan } = compileExample('seed');
    expect(plan.tasks.get('A_X_stop')).toEqual({
      host: 'A',
      target: 'X',
      action: 'stop',
      phase: 'stop',
      mode: 'restart',
      from: '1.0',
      to: '2.0',
      release: null,
      undo: 'start',
      layer: 0,
    });
  });

  it('gives each phase its range of the mission, in mission order', () => {
    const { plan } = compileExample('seed');
    expect(plan.phases).toEqual([
      { name: 'dispatch', batches: [0, 1], actions: ['dispatch'], verify: null },
      { name: 'check', batches: [1, 2], actions: ['check'], verify: null },
      { name: 'stop', batches: [2, 4], actions: ['stop'], verify: null },
      { name: 'uprpm', batches: [4, 5], actions: ['uprpm'], verify: null },
      { name: 'start', batches: [5, 7], actions: ['start'], verify: null },
    ]);
  });

  it('copies modes and commands from the logic book and names the plan after the descriptor', () => {
    const { plan } = compileExample('seed');
    expect(plan.format).toBe('ferry.plan/v1');
    expect(plan.name).toBe('seed-example');
    expect(plan.snapshot).toBeNull();
    expect(plan.modes).toEqual({ restart: ['dispatch', 'check', 'stop', 'uprpm', 'start'] });
    expect(plan.commands).toEqual({
      prepare: ['dispatch', 'check'],
      upgrade: ['stop', 'uprpm', 'start'],
    });
    expect([...plan.hosts.entries()]).toEqual([
      ['A', { roles: ['management'], groups: {} }],
      ['B', { roles: ['compute'], groups: {} }],
    ]);
  });

  it('writes the plan file with the keys of plan-format.md, one task per line in mission order', () => {
    const { plan } = compileExample('seed');
    const text = planToJson(plan);
    const file = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(file)).toEqual([
      'format',
      'name',
      'snapshot',
      'hosts',
      'modes',
      'commands',
      'phases',
      'tasks',
      'mission',
    ]);
    const taskLines = text.split('\n').filter((line) => /^\s+"[^"]+_[^"]+_[^"]+": \{/.test(line));
    expect(taskLines.map((line) => /"([^"]+)"/.exec(line)?.[1])).toEqual(plan.mission.flat(3));
  });

  it('compiles the openstack example with stats for the review', () => {
    const { stats } = compileExample('openstack-ffu');
    expect(stats).toEqual({ hosts: 9, instancesTouched: 24, alreadyAtTarget: 0 });
  });
});
