/**
 * The input rules of logic-book.md beyond one case per code: each sentence of the spec that makes
 * an input wrong (or explicitly right), with the code and path it is reported at.
 */
import type { Problem } from '../problems/problem';
import {
  book,
  compile,
  descriptor,
  inventory,
  node,
  pkg,
  RESTART,
  type RawPhase,
  type Sources,
} from '../testing/builders.fixtures';
import { readInventory, readLogicBook } from '../input/read';

/** A: management (X, Y at 1.0); B: compute (X at 1.0), az1; C: compute (X at 1.0), az2. */
function base(): Sources {
  return {
    inventory: inventory(
      node('A', 'management', { X: '1.0', Y: '1.0' }),
      node('B', 'compute', { X: '1.0' }, { az: 'az1' }),
      node('C', 'compute', { X: '1.0' }, { az: 'az2' }),
    ),
    descriptor: descriptor([pkg('X', '2.0'), pkg('Y', '2.0')]),
    logicBook: book([{ action: 'stop' }, { action: 'start' }]),
  };
}

function problemsFor(change: Partial<Sources>): [string, string, string][] {
  const result = compile({ ...base(), ...change });
  return result.ok ? [] : result.problems.map((p: Problem) => [p.code, p.file, p.path]);
}

const withPhases = (phases: RawPhase[], more = {}) => ({ logicBook: book(phases, more) });

describe('inputs that compile', () => {
  it.each<[string, Partial<Sources>]>([
    ['the base inputs', {}],
    [
      'a `where.groups` value no node has',
      withPhases([{ action: 'stop', where: { groups: { az: ['az9'] } } }]),
    ],
    [
      'a `where.groups` key no node has',
      withPhases([{ action: 'stop', where: { groups: { rack: ['r1'] } } }]),
    ],
    ['a `split.by` key no node has', withPhases([{ action: 'stop', split: { by: 'rack' } }])],
    [
      'a role only a package targets',
      {
        descriptor: descriptor([pkg('X', '2.0', 'restart', { roles: ['edge'] }), pkg('X', '2.1')]),
        ...withPhases([{ action: 'stop', where: { roles: ['edge'] } }]),
      },
    ],
    [
      'a component only the descriptor names',
      {
        descriptor: descriptor([pkg('X', '2.0'), pkg('W', '1.0')]),
        ...withPhases([{ action: 'stop', where: { components: ['W'] } }]),
      },
    ],
    [
      'a node and role only an added node has',
      {
        descriptor: descriptor([pkg('X', '2.0')], {
          nodes: { add: [node('D', 'edge', { X: '2.0' })] },
        }),
        logicBook: book([
          { action: 'install', where: { nodes: ['D'], roles: ['edge'] } },
          { action: 'start' },
        ]),
      },
    ],
    [
      '`when.release` naming anything when the descriptor has no releases',
      withPhases([
        {
          name: 'mig',
          scope: 'global',
          target: 'db',
          action: 'migrate',
          per_release: true,
          when: { release: ['zz'] },
        },
      ]),
    ],
    [
      'two targeted packages of one component that match no common host running it',
      {
        descriptor: descriptor([
          pkg('X', '2.0', 'restart', { roles: ['compute'] }),
          pkg('X', '2.1', 'restart', { roles: ['management'] }),
          pkg('Y', '2.0', 'restart', { roles: ['compute'] }),
        ]),
      },
    ],
    [
      'an odd role that stays odd after the changes',
      {
        descriptor: descriptor([pkg('X', '2.0')], {
          nodes: { add: [node('D', 'compute', { X: '2.0' })], remove: ['B'] },
        }),
        logicBook: book([{ action: 'install' }, { action: 'start' }], {
          invariants: { odd: ['management'] },
        }),
      },
    ],
    [
      'a mode no package uses',
      withPhases([{ action: 'stop' }], { modes: { restart: RESTART, spare: ['x-ray'] } }),
    ],
    [
      'a global action that is in no mode',
      withPhases([{ scope: 'global', target: 'registry', action: 'notify' }]),
    ],
    ['a verify action that is in no mode', withPhases([{ action: 'stop', verify: 'healthcheck' }])],
    ['a node id with ":"', { inventory: inventory(node('rack1:A', 'management', { X: '1.0' })) }],
  ])('%s', (_what, change) => {
    expect(problemsFor(change)).toEqual([]);
  });
});

describe('inputs that do not compile', () => {
  it.each<[string, Partial<Sources>, [string, string, string][]]>([
    [
      'two default packages of one component',
      { descriptor: descriptor([pkg('X', '2.0'), pkg('X', '2.1')]) },
      [['DESCRIPTOR.PACKAGE_OVERLAP', 'descriptor.yaml', 'packages[1]']],
    ],
    [
      'a package mode missing from the logic book even if no instance uses it',
      { descriptor: descriptor([pkg('X', '2.0'), pkg('W', '1.0', 'live')]) },
      [['DESCRIPTOR.UNKNOWN_MODE', 'descriptor.yaml', 'packages[1].mode']],
    ],
    [
      'adding a node without an `install` mode',
      {
        descriptor: descriptor([pkg('X', '2.0')], {
          nodes: { add: [node('D', 'compute', { X: '2.0' })] },
        }),
        logicBook: book([{ action: 'stop' }], { modes: { restart: RESTART } }),
      },
      [['DESCRIPTOR.UNKNOWN_MODE', 'descriptor.yaml', 'nodes.add']],
    ],
    [
      'removing a node without an `uninstall` mode',
      {
        descriptor: descriptor([pkg('X', '2.0')], { nodes: { remove: ['C'] } }),
        logicBook: book([{ action: 'stop' }], { modes: { restart: RESTART } }),
      },
      [['DESCRIPTOR.UNKNOWN_MODE', 'descriptor.yaml', 'nodes.remove']],
    ],
    [
      'adding a node twice',
      {
        descriptor: descriptor([pkg('X', '2.0')], {
          nodes: { add: [node('D', 'compute', { X: '2.0' }), node('D', 'compute', { X: '2.0' })] },
        }),
      },
      [['DESCRIPTOR.DUPLICATE_MEMBERSHIP', 'descriptor.yaml', 'nodes.add[1].id']],
    ],
    [
      'adding and removing one node',
      {
        descriptor: descriptor([pkg('X', '2.0')], {
          nodes: { add: [node('D', 'compute', { X: '2.0' })], remove: ['D'] },
        }),
      },
      [
        ['DESCRIPTOR.DUPLICATE_MEMBERSHIP', 'descriptor.yaml', 'nodes.remove[0]'],
        ['DESCRIPTOR.REMOVE_MISSING', 'descriptor.yaml', 'nodes.remove[0]'],
      ],
    ],
    [
      'an added node listing a component twice',
      {
        descriptor: {
          name: 'd',
          packages: [pkg('X', '2.0')],
          nodes: {
            add: [
              {
                id: 'D',
                components: [
                  { name: 'X', version: '2' },
                  { name: 'X', version: '3' },
                ],
              },
            ],
          },
        },
      },
      [['INVENTORY.DUPLICATE_COMPONENT', 'descriptor.yaml', 'nodes.add[0].components[1].name']],
    ],
    [
      'removing the only node of an odd role (0 is even)',
      {
        descriptor: descriptor([pkg('X', '2.0')], { nodes: { remove: ['A'] } }),
        logicBook: book([{ action: 'stop' }, { action: 'uninstall' }], {
          invariants: { odd: ['management'] },
        }),
      },
      [['PLAN.INVARIANT_ODD', 'logic.yaml', 'invariants.odd[0]']],
    ],
    [
      'an even odd role without membership changes',
      { logicBook: book([{ action: 'stop' }], { invariants: { odd: ['compute'] } }) },
      [['PLAN.INVARIANT_ODD', 'logic.yaml', 'invariants.odd[0]']],
    ],
    [
      'an odd role that exists nowhere',
      { logicBook: book([{ action: 'stop' }], { invariants: { odd: ['quorum'] } }) },
      [['LOGIC.UNKNOWN_REF', 'logic.yaml', 'invariants.odd[0]']],
    ],
    [
      'a `where.nodes` that exists nowhere',
      withPhases([{ action: 'stop', where: { nodes: ['A', 'Q'] } }]),
      [['LOGIC.UNKNOWN_REF', 'logic.yaml', 'phases[0].where.nodes[1]']],
    ],
    [
      'a `where.components` that exists nowhere',
      withPhases([{ action: 'stop', where: { components: ['V'] } }]),
      [['LOGIC.UNKNOWN_REF', 'logic.yaml', 'phases[0].where.components[0]']],
    ],
    [
      'an `order` component that exists nowhere',
      withPhases([{ action: 'stop', order: ['X', ['Y', 'V']] }]),
      [['LOGIC.UNKNOWN_REF', 'logic.yaml', 'phases[0].order[1]']],
    ],
    [
      'an `after` component that exists nowhere',
      withPhases([{ action: 'stop', after: { X: ['V'] } }]),
      [['LOGIC.UNKNOWN_REF', 'logic.yaml', 'phases[0].after.X[0]']],
    ],
    [
      'a `when.upgrading` component that exists nowhere, on a global phase',
      withPhases([{ scope: 'global', target: 'nova', action: 'pin', when: { upgrading: ['V'] } }]),
      [['LOGIC.UNKNOWN_REF', 'logic.yaml', 'phases[0].when.upgrading[0]']],
    ],
    [
      'a `when.release` that is not a release of the descriptor',
      {
        descriptor: descriptor([pkg('X', '2.0')], { releases: ['pike', 'queens'] }),
        ...withPhases([
          {
            scope: 'global',
            target: 'db',
            action: 'sync',
            per_release: true,
            when: { release: ['quens'] },
          },
        ]),
      },
      [['LOGIC.UNKNOWN_REF', 'logic.yaml', 'phases[0].when.release[0]']],
    ],
    [
      'a self-cycle in `after`',
      withPhases([{ action: 'stop', after: { X: ['X'] } }]),
      [['LOGIC.CYCLE', 'logic.yaml', 'phases[0].after.X']],
    ],
    [
      '`split.count` with `by`',
      withPhases([{ action: 'stop', split: { count: 2, by: 'az' } }]),
      [['LOGIC.SPLIT_COUNT', 'logic.yaml', 'phases[0].split.count']],
    ],
    [
      'a phase with both `action` and `actions`',
      withPhases([{ action: 'stop', actions: ['stop', 'start'] }]),
      [['LOGIC.ACTION_AND_ACTIONS', 'logic.yaml', 'phases[0]']],
    ],
    [
      'an action listed twice in `actions`',
      withPhases([{ actions: ['stop', 'start', 'stop'] }]),
      [['LOGIC.DUPLICATE_ACTION', 'logic.yaml', 'phases[0].actions[2]']],
    ],
    [
      'an action of `actions` in no mode',
      withPhases([{ actions: ['stop', 'strat'] }]),
      [['LOGIC.UNKNOWN_ACTION', 'logic.yaml', 'phases[0].actions[1]']],
    ],
    [
      'a global phase without `target`',
      withPhases([{ name: 'pin', scope: 'global', action: 'pin-rpc' }]),
      [['LOGIC.GLOBAL_KEYS', 'logic.yaml', 'phases[0].target']],
    ],
    [
      'a global phase with `split`',
      withPhases([{ scope: 'global', target: 'db', action: 'sync', split: { size: 1 } }]),
      [['LOGIC.GLOBAL_KEYS', 'logic.yaml', 'phases[0].split']],
    ],
    [
      'a global phase with `verify`',
      withPhases([{ scope: 'global', target: 'db', action: 'sync', verify: 'check' }]),
      [['LOGIC.GLOBAL_KEYS', 'logic.yaml', 'phases[0].verify']],
    ],
    [
      'a global phase with `actions`',
      withPhases([{ name: 'g', scope: 'global', target: 'db', actions: ['sync'] }]),
      [
        ['LOGIC.GLOBAL_KEYS', 'logic.yaml', 'phases[0].actions'],
        ['LOGIC.GLOBAL_KEYS', 'logic.yaml', 'phases[0].action'],
      ],
    ],
    [
      'two unnamed phases of one action',
      withPhases([{ action: 'stop' }, { action: 'stop', where: { roles: ['compute'] } }]),
      [['LOGIC.DUPLICATE_PHASE', 'logic.yaml', 'phases[1]']],
    ],
    [
      'two global phases creating one task',
      withPhases([
        { name: 'pin', scope: 'global', target: 'nova', action: 'pin-rpc' },
        { name: 'pin-again', scope: 'global', target: 'nova', action: 'pin-rpc' },
      ]),
      [['PLAN.DUPLICATE_TASK', 'logic.yaml', 'phases[1]']],
    ],
    [
      'a verify action that another phase runs as an action',
      withPhases([{ action: 'check' }, { action: 'stop', verify: 'check' }]),
      [['PLAN.DUPLICATE_TASK', 'logic.yaml', 'phases[1]']],
    ],
    [
      '`actions` listed against the mode order',
      withPhases([{ actions: ['start', 'stop'] }]),
      [['PLAN.MODE_ORDER', 'logic.yaml', 'phases[0]']],
    ],
    [
      'a mode that lists no action',
      withPhases([{ action: 'stop' }], { modes: { restart: [] } }),
      [['INPUT.INVALID', 'logic.yaml', 'modes.restart']],
    ],
    [
      '`once_per` other than role',
      withPhases([{ action: 'stop', once_per: 'az' }]),
      [['INPUT.INVALID', 'logic.yaml', 'phases[0].once_per']],
    ],
    [
      'an empty `split`',
      withPhases([{ action: 'stop', split: {} }]),
      [['INPUT.INVALID', 'logic.yaml', 'phases[0].split']],
    ],
    [
      'a fractional `split.count`',
      withPhases([{ action: 'stop', split: { count: 1.5 } }]),
      [['INPUT.TYPE', 'logic.yaml', 'phases[0].split.count']],
    ],
    [
      'an unknown `scope`',
      withPhases([{ action: 'stop', scope: 'cluster' }]),
      [['INPUT.INVALID', 'logic.yaml', 'phases[0].scope']],
    ],
    [
      'an empty role',
      { inventory: inventory(node('A', ['management', ''], { X: '1.0' })) },
      [['INPUT.INVALID', 'inventory.yaml', 'nodes[0].roles[1]']],
    ],
    [
      'a phase name with white space',
      withPhases([{ name: 'stop all', action: 'stop' }]),
      [['INPUT.BAD_NAME', 'logic.yaml', 'phases[0].name']],
    ],
    [
      'a release name with "@"',
      { descriptor: descriptor([pkg('X', '2.0')], { releases: ['pike@1'] }) },
      [['INPUT.BAD_NAME', 'descriptor.yaml', 'releases[0]']],
    ],
    [
      'a target with "_"',
      withPhases([{ scope: 'global', target: 'nova_rpc', action: 'pin' }]),
      [['INPUT.BAD_NAME', 'logic.yaml', 'phases[0].target']],
    ],
    [
      'an action with "/"',
      withPhases([{ action: 'stop/now' }]),
      [['INPUT.BAD_NAME', 'logic.yaml', 'phases[0].action']],
    ],
  ])('%s', (_what, change, expected) => {
    expect(problemsFor(change)).toEqual(expected);
  });
});

describe('problem paths', () => {
  it('name a key that holds "." the same way for structural and rule problems', () => {
    const structural = readLogicBook({ modes: { 'rolling.v2': 5 }, phases: [] }, 'logic.yaml');
    expect(structural.ok ? [] : structural.problems.map((p) => p.path)).toEqual([
      'modes["rolling.v2"]',
    ]);
    expect(
      problemsFor(
        withPhases([{ action: 'stop' }], {
          modes: { 'rolling.v2': ['stop', 'stop'], restart: RESTART },
        }),
      ),
    ).toEqual([['LOGIC.DUPLICATE_ACTION', 'logic.yaml', 'modes["rolling.v2"][1]']]);
  });

  it('quote a dotted command name in the path of an unknown phase', () => {
    expect(
      problemsFor(withPhases([{ action: 'stop' }], { commands: { 'go.now': ['stp'] } })),
    ).toEqual([['LOGIC.UNKNOWN_PHASE', 'logic.yaml', 'commands["go.now"][0]']]);
  });

  it('quote a dotted component name in an `after` path', () => {
    expect(
      problemsFor({
        inventory: inventory(node('A', 'm', { 'nova.api': '1' })),
        descriptor: descriptor([pkg('nova.api', '2')]),
        ...withPhases([{ action: 'stop', after: { 'nova.api': ['nova.cond'] } }]),
      }),
    ).toEqual([['LOGIC.UNKNOWN_REF', 'logic.yaml', 'phases[0].after["nova.api"][0]']]);
  });
});

describe('YAML and JSON text', () => {
  const json = '{"nodes": [{"id": "A", "roles": ["management"], "roles": ["compute"]}]}';

  it('rejects a key given twice in YAML', () => {
    const result = readInventory(
      'nodes:\n  - { id: A, roles: [management], roles: [compute] }\n',
      'inventory.yaml',
    );
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['INPUT.SYNTAX']);
  });

  it('rejects a key given twice in JSON text too (JSON is YAML; a typo must not silently win)', () => {
    const result = readInventory(json, 'inventory.json');
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['INPUT.SYNTAX']);
  });

  it('reports an empty document', () => {
    const result = readInventory('# nothing here\n', 'inventory.yaml');
    expect(result.ok ? [] : result.problems).toEqual([
      expect.objectContaining({ code: 'INPUT.SYNTAX', file: 'inventory.yaml', path: '' }),
    ]);
  });

  it('gives the line of a YAML syntax error', () => {
    const result = readInventory('nodes:\n  - id: A\n   roles: [x]\n', 'inventory.yaml');
    expect(result.ok ? '' : result.problems[0].message).toMatch(/line 3/);
  });

  it('reads dates and other YAML scalars of an id as strings only when written so', () => {
    const result = readInventory('nodes:\n  - id: 2026-01-01\n', 'inventory.yaml');
    expect(result.ok).toBe(true);
  });
});

describe('group keys', () => {
  it('must not be empty in the inventory', () => {
    const result = readInventory({ nodes: [{ id: 'A', groups: { '': 'x' } }] }, 'inventory.yaml');
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['INPUT.INVALID']);
  });

  it('must not be empty in `where.groups`', () => {
    const result = readLogicBook(
      {
        modes: { restart: RESTART },
        phases: [{ action: 'stop', where: { groups: { '': ['x'] } } }],
      },
      'logic.yaml',
    );
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['INPUT.INVALID']);
  });
});
