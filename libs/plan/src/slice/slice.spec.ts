/**
 * Slicing (logic-book.md, "Slicing (the current plan)"): one or more tests per key of the slicing
 * table, `regroup` and its errors, and the shape of the current plan.
 */
import type { Plan, SliceCommand } from '../model/plan';
import type { Problem } from '../problems/problem';
import {
  book,
  compileOk,
  descriptor,
  inventory,
  missionIds,
  node,
  pkg,
  problemsOf,
  RESTART,
  seedPlan,
  valueOf,
} from '../testing/builders.fixtures';
import { parseRegroup, readSliceCommand } from './command';
import { slicePlan, type SliceOptions } from './slice';

/**
 * c1, c10 (compute, az1: X), c2 (compute, az2: X, Y), m1 (management: X, Y); releases r1, r2.
 *
 *  0 pin            upg-server_nova_pin-rpc
 *  1 dispatch       every instance
 *  2 check@r1       compute hosts          3 sync@r1   upg-server_db_db-sync@r1
 *  4 check@r2       compute hosts          5 sync@r2   upg-server_db_db-sync@r2
 *  6–11 roll        [stop, uprpm, start], order [X, Y], split size 2, verify healthcheck
 * 12 unpin          upg-server_nova_unpin-rpc
 */
function rollingPlan(): Plan {
  return compileOk({
    inventory: inventory(
      node('c1', 'compute', { X: '1' }, { az: 'az1' }),
      node('c2', 'compute', { X: '1', Y: '1' }, { az: 'az2' }),
      node('c10', 'compute', { X: '1' }, { az: 'az1' }),
      node('m1', 'management', { X: '1', Y: '1' }),
    ),
    descriptor: descriptor([pkg('X', '2'), pkg('Y', '2')], {
      name: 'rolling',
      releases: ['r1', 'r2'],
    }),
    logicBook: book(
      [
        { name: 'pin', scope: 'global', target: 'nova', action: 'pin-rpc' },
        { action: 'dispatch' },
        { action: 'check', where: { roles: ['compute'] }, per_release: true },
        { name: 'sync', scope: 'global', target: 'db', action: 'db-sync', per_release: true },
        {
          name: 'roll',
          actions: ['stop', 'uprpm', 'start'],
          order: ['X', 'Y'],
          split: { size: 2 },
          verify: 'healthcheck',
        },
        { name: 'unpin', scope: 'global', target: 'nova', action: 'unpin-rpc' },
      ],
      {
        modes: { restart: RESTART },
        commands: { prepare: ['pin', 'dispatch', 'check', 'sync'], upgrade: ['roll', 'unpin'] },
      },
    ),
  }).plan;
}

const ROLL = [
  [
    [['c1_X_stop'], ['c1_X_uprpm'], ['c1_X_start']],
    [['c2_X_stop'], ['c2_X_uprpm'], ['c2_X_start']],
  ],
  [[['c2_Y_stop'], ['c2_Y_uprpm'], ['c2_Y_start']]],
  [[['c1_X_healthcheck']], [['c2_X_healthcheck', 'c2_Y_healthcheck']]],
  [
    [['c10_X_stop'], ['c10_X_uprpm'], ['c10_X_start']],
    [['m1_X_stop'], ['m1_X_uprpm'], ['m1_X_start']],
  ],
  [[['m1_Y_stop'], ['m1_Y_uprpm'], ['m1_Y_start']]],
  [[['c10_X_healthcheck']], [['m1_X_healthcheck', 'm1_Y_healthcheck']]],
];

function slice(plan: Plan, command: SliceCommand, options?: SliceOptions): Plan {
  return valueOf(slicePlan(plan, command, options));
}

function sliceProblems(plan: Plan, command: SliceCommand, options?: SliceOptions): Problem[] {
  return problemsOf(slicePlan(plan, command, options));
}

const ids = (plan: Plan) => missionIds(plan.mission);

describe('the slicing fixture', () => {
  it('compiles to the plan the tests below assume', () => {
    const plan = rollingPlan();
    expect(plan.mission.slice(6, 12)).toEqual(ROLL);
    expect(plan.phases.map((p) => [p.name, p.batches])).toEqual([
      ['pin', [0, 1]],
      ['dispatch', [1, 2]],
      ['check@r1', [2, 3]],
      ['sync@r1', [3, 4]],
      ['check@r2', [4, 5]],
      ['sync@r2', [5, 6]],
      ['roll', [6, 12]],
      ['unpin', [12, 13]],
    ]);
  });
});

describe('slicing key `command`', () => {
  it("selects the tasks of the command's phases, including every @release copy", () => {
    const current = slice(rollingPlan(), { command: 'prepare' });
    expect(current.mission).toEqual(rollingPlan().mission.slice(0, 6));
  });

  it('keeps the order of the global plan', () => {
    const current = slice(rollingPlan(), { command: 'upgrade' });
    expect(current.mission).toEqual([...ROLL, [[['upg-server_nova_unpin-rpc']]]]);
  });

  it('is an error when the plan has no such command', () => {
    expect(sliceProblems(rollingPlan(), { command: 'upgrde' })).toEqual([
      expect.objectContaining({ code: 'SLICE.UNKNOWN_COMMAND', path: 'command' }),
    ]);
  });
});

describe('slicing key `phases`', () => {
  it('selects every @release copy by the base name', () => {
    const current = slice(rollingPlan(), { phases: ['sync'] });
    expect(ids(current)).toEqual(['upg-server_db_db-sync@r1', 'upg-server_db_db-sync@r2']);
  });

  it('selects one copy by `name@release`', () => {
    const current = slice(rollingPlan(), { phases: ['check@r2', 'sync@r1'] });
    expect(ids(current)).toEqual([
      'upg-server_db_db-sync@r1',
      'c1_X_check@r2',
      'c2_X_check@r2',
      'c2_Y_check@r2',
      'c10_X_check@r2',
    ]);
  });

  it('is an error together with `command`', () => {
    expect(
      sliceProblems(rollingPlan(), { command: 'prepare', phases: ['pin'] }).map((p) => p.code),
    ).toEqual(['SLICE.COMMAND_AND_PHASES']);
  });

  it.each([['rol'], ['check@r3'], ['roll@r1']])(
    'is an error for a phase %s the plan does not hold',
    (name) => {
      expect(sliceProblems(rollingPlan(), { phases: ['pin', name] })).toEqual([
        expect.objectContaining({ code: 'SLICE.UNKNOWN_PHASE', path: 'phases[1]' }),
      ]);
    },
  );
});

describe('slicing key `instances`', () => {
  it('keeps the tasks of the listed host/component pairs (and global tasks)', () => {
    const current = slice(rollingPlan(), { command: 'upgrade', instances: ['c2/Y', 'm1/X'] });
    expect(current.mission).toEqual([
      [[['c2_Y_stop'], ['c2_Y_uprpm'], ['c2_Y_start']]],
      [[['c2_Y_healthcheck']]],
      [[['m1_X_stop'], ['m1_X_uprpm'], ['m1_X_start']]],
      [[['m1_X_healthcheck']]],
      [[['upg-server_nova_unpin-rpc']]],
    ]);
  });

  it.each([['c1/Y'], ['c1'], ['zz/X']])('is an error for %s, which has no task', (instance) => {
    expect(sliceProblems(rollingPlan(), { instances: [instance] })).toEqual([
      expect.objectContaining({ code: 'SLICE.UNKNOWN_INSTANCE', path: 'instances[0]' }),
    ]);
  });
});

describe('slicing key `hosts`', () => {
  it('keeps the tasks of the listed hosts and every global task', () => {
    const current = slice(rollingPlan(), { hosts: ['c10'] });
    expect(ids(current)).toEqual([
      'upg-server_nova_pin-rpc',
      'c10_X_dispatch',
      'c10_X_check@r1',
      'upg-server_db_db-sync@r1',
      'c10_X_check@r2',
      'upg-server_db_db-sync@r2',
      'c10_X_stop',
      'c10_X_uprpm',
      'c10_X_start',
      'c10_X_healthcheck',
      'upg-server_nova_unpin-rpc',
    ]);
  });

  it('is an error for a host the plan does not know', () => {
    expect(sliceProblems(rollingPlan(), { hosts: ['c1', 'c3'] })).toEqual([
      expect.objectContaining({ code: 'SLICE.UNKNOWN_HOST', path: 'hosts[1]' }),
    ]);
  });
});

describe('slicing key `components`', () => {
  it('keeps host and verify tasks of the listed components', () => {
    const current = slice(rollingPlan(), { phases: ['roll'], components: ['Y'] });
    expect(current.mission).toEqual([
      [[['c2_Y_stop'], ['c2_Y_uprpm'], ['c2_Y_start']]],
      [[['c2_Y_healthcheck']]],
      [[['m1_Y_stop'], ['m1_Y_uprpm'], ['m1_Y_start']]],
      [[['m1_Y_healthcheck']]],
    ]);
  });

  it('keeps a global task only if its target is listed', () => {
    expect(ids(slice(rollingPlan(), { command: 'upgrade', components: ['Y'] }))).not.toContain(
      'upg-server_nova_unpin-rpc',
    );
    expect(ids(slice(rollingPlan(), { command: 'upgrade', components: ['nova'] }))).toEqual([
      'upg-server_nova_unpin-rpc',
    ]);
  });

  it('is an error for a component (or global target) no task has', () => {
    expect(sliceProblems(rollingPlan(), { components: ['X', 'Z'] })).toEqual([
      expect.objectContaining({ code: 'SLICE.UNKNOWN_COMPONENT', path: 'components[1]' }),
    ]);
  });
});

describe('slicing key `actions`', () => {
  it('filters host, verify and global tasks by action', () => {
    const current = slice(rollingPlan(), { actions: ['uprpm', 'healthcheck', 'db-sync'] });
    expect(ids(current)).toEqual([
      'upg-server_db_db-sync@r1',
      'upg-server_db_db-sync@r2',
      'c1_X_uprpm',
      'c2_X_uprpm',
      'c2_Y_uprpm',
      'c1_X_healthcheck',
      'c2_X_healthcheck',
      'c2_Y_healthcheck',
      'c10_X_uprpm',
      'm1_X_uprpm',
      'm1_Y_uprpm',
      'c10_X_healthcheck',
      'm1_X_healthcheck',
      'm1_Y_healthcheck',
    ]);
  });

  it('drops a verify task unless its action is listed', () => {
    expect(ids(slice(rollingPlan(), { phases: ['roll'], actions: ['start'] }))).toEqual([
      'c1_X_start',
      'c2_X_start',
      'c2_Y_start',
      'c10_X_start',
      'm1_X_start',
      'm1_Y_start',
    ]);
  });

  it('is an error for an action no task has', () => {
    expect(sliceProblems(rollingPlan(), { actions: ['reload'] })).toEqual([
      expect.objectContaining({ code: 'SLICE.UNKNOWN_ACTION', path: 'actions[0]' }),
    ]);
  });
});

describe('slicing key `roles`', () => {
  it('keeps the tasks of hosts with any of the roles, and every global task', () => {
    const current = slice(rollingPlan(), { command: 'upgrade', roles: ['management'] });
    expect(current.mission).toEqual([
      [[['m1_X_stop'], ['m1_X_uprpm'], ['m1_X_start']]],
      [[['m1_Y_stop'], ['m1_Y_uprpm'], ['m1_Y_start']]],
      [[['m1_X_healthcheck', 'm1_Y_healthcheck']]],
      [[['upg-server_nova_unpin-rpc']]],
    ]);
  });

  it('is an error for a role no host holds', () => {
    expect(sliceProblems(rollingPlan(), { roles: ['compute', 'storage'] })).toEqual([
      expect.objectContaining({ code: 'SLICE.UNKNOWN_ROLE', path: 'roles[1]' }),
    ]);
  });
});

describe('slicing keys together', () => {
  it('keep only tasks for which every given key holds', () => {
    const current = slice(rollingPlan(), {
      command: 'upgrade',
      roles: ['compute'],
      hosts: ['c2', 'm1', 'c10'],
      components: ['X', 'nova'],
      actions: ['stop', 'unpin-rpc'],
    });
    expect(ids(current)).toEqual(['c2_X_stop', 'c10_X_stop', 'upg-server_nova_unpin-rpc']);
  });

  it('report every unknown name at once', () => {
    const problems = sliceProblems(rollingPlan(), {
      command: 'nope',
      hosts: ['c99'],
      roles: ['storage'],
      components: ['W'],
    });
    expect(problems.map((p) => p.code).sort()).toEqual([
      'SLICE.UNKNOWN_COMMAND',
      'SLICE.UNKNOWN_COMPONENT',
      'SLICE.UNKNOWN_HOST',
      'SLICE.UNKNOWN_ROLE',
    ]);
  });

  it('with no key at all keep the whole plan', () => {
    const plan = rollingPlan();
    const current = slice(plan, {});
    expect(current.mission).toEqual(plan.mission);
    expect(current.phases).toEqual(plan.phases);
  });
});

describe('slicing key `exclude_done`', () => {
  const done = new Set(['c1_X_stop', 'c1_X_uprpm', 'upg-server_nova_unpin-rpc']);

  it('leaves out tasks that already succeeded, by default', () => {
    const current = slice(rollingPlan(), { command: 'upgrade', hosts: ['c1'] }, { done });
    expect(current.mission).toEqual([[[['c1_X_start']]], [[['c1_X_healthcheck']]]]);
  });

  it('`true` leaves them out too', () => {
    const current = slice(
      rollingPlan(),
      { command: 'upgrade', hosts: ['c1'], exclude_done: true },
      { done },
    );
    expect(ids(current)).toEqual(['c1_X_start', 'c1_X_healthcheck']);
  });

  it('`false` keeps them', () => {
    const current = slice(
      rollingPlan(),
      { command: 'upgrade', hosts: ['c1'], exclude_done: false },
      { done },
    );
    expect(ids(current)).toEqual([
      'c1_X_stop',
      'c1_X_uprpm',
      'c1_X_start',
      'c1_X_healthcheck',
      'upg-server_nova_unpin-rpc',
    ]);
  });
});

describe('the current plan', () => {
  it('has the same task records for the ids it keeps, and no others', () => {
    const plan = rollingPlan();
    const current = slice(plan, { command: 'upgrade', hosts: ['m1'] });
    expect([...current.tasks.keys()].sort()).toEqual([...ids(current)].sort());
    for (const [id, rec] of current.tasks) expect(rec).toEqual(plan.tasks.get(id));
  });

  it('recomputes the phase ranges over the kept batches, empty ranges included', () => {
    const current = slice(rollingPlan(), { command: 'upgrade', hosts: ['m1'] });
    expect(current.phases.map((p) => [p.name, p.batches])).toEqual([
      ['pin', [0, 0]],
      ['dispatch', [0, 0]],
      ['check@r1', [0, 0]],
      ['sync@r1', [0, 0]],
      ['check@r2', [0, 0]],
      ['sync@r2', [0, 0]],
      ['roll', [0, 3]],
      ['unpin', [3, 4]],
    ]);
    expect(current.phases[6]).toMatchObject({
      actions: ['stop', 'uprpm', 'start'],
      verify: 'healthcheck',
    });
  });

  it('records `slice: {of, command}`, `of` defaulting to the plan name', () => {
    const command = { command: 'upgrade', hosts: ['m1'] };
    expect(slice(rollingPlan(), command).slice).toEqual({ of: 'rolling', command });
    expect(slice(rollingPlan(), command, { of: 'plan-42' }).slice).toEqual({
      of: 'plan-42',
      command,
    });
  });

  it('keeps the format, name, hosts, modes and commands of the plan', () => {
    const plan = rollingPlan();
    const current = slice(plan, { command: 'prepare' });
    expect(current.format).toBe(plan.format);
    expect(current.name).toBe(plan.name);
    expect(current.hosts).toEqual(plan.hosts);
    expect(current.modes).toEqual(plan.modes);
    expect(current.commands).toEqual(plan.commands);
  });

  it('is the seed example of logic-book.md for `upgrade` with instances A/Y, B/X', () => {
    const current = slice(seedPlan(), { command: 'upgrade', instances: ['A/Y', 'B/X'] });
    expect(current.mission).toEqual([
      [[['B_X_stop']]],
      [[['A_Y_stop']]],
      [[['A_Y_uprpm']], [['B_X_uprpm']]],
      [[['A_Y_start']]],
      [[['B_X_start']]],
    ]);
  });
});

describe('slicing key `regroup`', () => {
  it("rebuilds the phase's chunks as the given groups, in order, hosts natural within a group, keeping layers, stages and verify", () => {
    const current = slice(rollingPlan(), {
      command: 'upgrade',
      regroup: { phase: 'roll', hosts: [['m1', 'c10'], ['c2'], ['c1']] },
    });
    expect(current.mission).toEqual([
      [
        [['c10_X_stop'], ['c10_X_uprpm'], ['c10_X_start']],
        [['m1_X_stop'], ['m1_X_uprpm'], ['m1_X_start']],
      ],
      [[['m1_Y_stop'], ['m1_Y_uprpm'], ['m1_Y_start']]],
      [[['c10_X_healthcheck']], [['m1_X_healthcheck', 'm1_Y_healthcheck']]],
      [[['c2_X_stop'], ['c2_X_uprpm'], ['c2_X_start']]],
      [[['c2_Y_stop'], ['c2_Y_uprpm'], ['c2_Y_start']]],
      [[['c2_X_healthcheck', 'c2_Y_healthcheck']]],
      [[['c1_X_stop'], ['c1_X_uprpm'], ['c1_X_start']]],
      [[['c1_X_healthcheck']]],
      [[['upg-server_nova_unpin-rpc']]],
    ]);
    expect(current.phases.find((p) => p.name === 'roll')?.batches).toEqual([0, 8]);
    expect(current.phases.find((p) => p.name === 'unpin')?.batches).toEqual([8, 9]);
  });

  it('shifts the ranges of later phases when the phase gets more or fewer batches', () => {
    const current = slice(rollingPlan(), {
      regroup: { phase: 'roll', hosts: [['c1', 'c2', 'c10', 'm1']] },
    });
    expect(current.mission.slice(6, 9)).toEqual([
      [...ROLL[0], ...ROLL[3]],
      [...ROLL[1], ...ROLL[4]],
      [...ROLL[2], ...ROLL[5]],
    ]);
    expect(current.phases.slice(6).map((p) => [p.name, p.batches])).toEqual([
      ['roll', [6, 9]],
      ['unpin', [9, 10]],
    ]);
  });

  it('is applied to the global plan before any filter', () => {
    const current = slice(rollingPlan(), {
      hosts: ['c1', 'c2'],
      actions: ['stop'],
      regroup: {
        phase: 'roll',
        hosts: [
          ['c2', 'm1'],
          ['c1', 'c10'],
        ],
      },
    });
    expect(current.mission).toEqual([[[['c2_X_stop']]], [[['c2_Y_stop']]], [[['c1_X_stop']]]]);
  });

  it('needs every host of the phase in the global plan, even those the filters leave out', () => {
    const problems = sliceProblems(rollingPlan(), {
      hosts: ['c1'],
      regroup: { phase: 'roll', hosts: [['c1']] },
    });
    expect(problems).toEqual([
      expect.objectContaining({ code: 'SLICE.REGROUP', path: 'regroup.hosts' }),
    ]);
    expect(problems[0].message).toMatch(/c2.*c10.*m1/);
  });

  it('regroups one per-release copy by its full name and leaves the other copies alone', () => {
    const plan = rollingPlan();
    const current = slice(plan, {
      phases: ['check'],
      regroup: { phase: 'check@r2', hosts: [['c10'], ['c2', 'c1']] },
    });
    expect(current.mission).toEqual([
      plan.mission[2],
      [[['c10_X_check@r2']]],
      [[['c1_X_check@r2']], [['c2_X_check@r2', 'c2_Y_check@r2']]],
    ]);
  });

  it('rejects the base name of a per-release phase', () => {
    const problems = sliceProblems(rollingPlan(), {
      regroup: { phase: 'check', hosts: [['c1', 'c2', 'c10']] },
    });
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('regroup.phase');
    expect(problems[0].message).toContain('check@r1');
  });

  it('rejects an unknown phase', () => {
    expect(sliceProblems(rollingPlan(), { regroup: { phase: 'rol', hosts: [] } })).toEqual([
      expect.objectContaining({ code: 'SLICE.UNKNOWN_PHASE', path: 'regroup.phase' }),
    ]);
  });

  it('rejects a global phase', () => {
    const problems = sliceProblems(rollingPlan(), { regroup: { phase: 'pin', hosts: [['m1']] } });
    expect(problems).toEqual([
      expect.objectContaining({ code: 'SLICE.REGROUP', path: 'regroup.phase' }),
    ]);
    expect(problems[0].message).toMatch(/global/);
  });

  it('rejects an empty group', () => {
    const problems = sliceProblems(rollingPlan(), {
      regroup: { phase: 'roll', hosts: [['c1', 'c2'], [], ['c10', 'm1']] },
    });
    expect(problems).toEqual([
      expect.objectContaining({ code: 'SLICE.REGROUP', path: 'regroup.hosts[1]' }),
    ]);
  });

  it('rejects a host placed twice', () => {
    const problems = sliceProblems(rollingPlan(), {
      regroup: {
        phase: 'roll',
        hosts: [
          ['c1', 'c2'],
          ['c10', 'm1', 'c2'],
        ],
      },
    });
    expect(problems).toEqual([
      expect.objectContaining({ code: 'SLICE.REGROUP', path: 'regroup.hosts[1][2]' }),
    ]);
    expect(problems[0].message).toContain('c2');
  });

  it('rejects a host left out, naming it', () => {
    const problems = sliceProblems(rollingPlan(), {
      regroup: { phase: 'roll', hosts: [['c1', 'c2'], ['m1']] },
    });
    expect(problems).toEqual([
      expect.objectContaining({ code: 'SLICE.REGROUP', path: 'regroup.hosts' }),
    ]);
    expect(problems[0].message).toContain('c10');
  });

  it('rejects a host the phase does not have', () => {
    const problems = sliceProblems(rollingPlan(), {
      regroup: { phase: 'check@r1', hosts: [['c1', 'c2', 'c10'], ['m1']] },
    });
    expect(problems).toEqual([
      expect.objectContaining({ code: 'SLICE.REGROUP', path: 'regroup.hosts[1][0]' }),
    ]);
    expect(problems[0].message).toContain('m1');
  });

  it('rejects a host the plan does not know', () => {
    const problems = sliceProblems(rollingPlan(), {
      regroup: { phase: 'roll', hosts: [['c1', 'c2', 'c10', 'm1', 'c3']] },
    });
    expect(problems).toHaveLength(1);
    expect(['SLICE.UNKNOWN_HOST', 'SLICE.REGROUP']).toContain(problems[0].code);
    expect(problems[0].path).toBe('regroup.hosts[0][4]');
    expect(problems[0].message).toContain('c3');
  });
});

describe('readSliceCommand', () => {
  it('reads a JSON command file', () => {
    expect(valueOf(readSliceCommand('{ "command": "upgrade", "hosts": ["a"] }', 'c.json'))).toEqual(
      {
        command: 'upgrade',
        hosts: ['a'],
      },
    );
  });

  it('accepts a single string where a list of names is expected', () => {
    expect(valueOf(readSliceCommand({ command: 'upgrade', hosts: 'c1' }, 'c.json')).hosts).toEqual(
      expect.arrayContaining(['c1']),
    );
  });

  it('reports structural errors with INPUT codes, the file and the path', () => {
    const problems = problemsOf(
      readSliceCommand(
        { command: 'upgrade', host: ['a'], roles: 7, regroup: { phase: 'p' } },
        'c.json',
      ),
    );
    expect(problems.map((p) => [p.code, p.file, p.path]).sort()).toEqual(
      [
        ['INPUT.UNKNOWN_KEY', 'c.json', 'host'],
        ['INPUT.MISSING_KEY', 'c.json', 'regroup.hosts'],
        ['INPUT.TYPE', 'c.json', 'roles'],
      ].sort(),
    );
  });
});

describe('parseRegroup', () => {
  it("reads the CLI's `PHASE=h1,h3;h2,h4` into groups in order", () => {
    expect(parseRegroup('upgrade-network=net-01,net-03;net-02,net-04')).toEqual({
      phase: 'upgrade-network',
      hosts: [
        ['net-01', 'net-03'],
        ['net-02', 'net-04'],
      ],
    });
  });

  it('keeps an empty group so that the slicer can report it', () => {
    expect(parseRegroup('p=a;;b')).toEqual({ phase: 'p', hosts: [['a'], [], ['b']] });
  });

  it('rejects text without a phase', () => {
    expect(parseRegroup('a,b;c')).toBeNull();
    expect(parseRegroup('=a,b')).toBeNull();
  });
});
