/**
 * One focused test (or a few) per phase key of logic-book.md ("Phase keys" and "Compiling one
 * phase"). Each test builds the smallest inputs that show the key's effect.
 */
import {
  book,
  compile,
  compileOk,
  descriptor,
  hostsPerBatch,
  inventory,
  node,
  phaseBatches,
  phaseRecord,
  pkg,
  problemsOf,
  record,
  seedSources,
  svcCluster,
  type RawPhase,
  type Sources,
} from '../testing/builders.fixtures';

/** Seed inputs (A: X, Y, Z at 1.0; B: X at 1.0; X and Y to 2.0) with other phases. */
function seedWith(...phaseList: RawPhase[]): Sources {
  return seedSources(phaseList);
}

/** X, Y and Z all upgraded on node A. */
function xyzOnA(phaseList: RawPhase[], extra: Record<string, string> = {}): Sources {
  return {
    inventory: inventory(node('A', 'management', { X: '1.0', Y: '1.0', Z: '1.0', ...extra })),
    descriptor: descriptor([pkg('X', '2.0'), pkg('Y', '2.0'), pkg('Z', '2.0')]),
    logicBook: book(phaseList),
  };
}

describe('phase key `name`', () => {
  it('defaults to the action', () => {
    const { plan } = compileOk(seedWith({ action: 'stop' }));
    expect(plan.phases.map((p) => p.name)).toEqual(['stop']);
    expect(record(plan, 'A_X_stop').phase).toBe('stop');
  });

  it('defaults to the first of `actions`', () => {
    const { plan } = compileOk(seedWith({ actions: ['stop', 'uprpm'] }));
    expect(plan.phases.map((p) => p.name)).toEqual(['stop']);
    expect(record(plan, 'A_X_uprpm').phase).toBe('stop');
  });

  it('names the phase and every task it creates when given', () => {
    const { plan } = compileOk(seedWith({ name: 'stop-all', action: 'stop' }));
    expect(plan.phases.map((p) => p.name)).toEqual(['stop-all']);
    expect(record(plan, 'B_X_stop').phase).toBe('stop-all');
  });
});

describe('phase keys `action` / `actions`', () => {
  it('turns each action of `actions` into a stage of every host job, in list order', () => {
    const { plan } = compileOk(seedWith({ actions: ['stop', 'uprpm', 'start'] }));
    expect(plan.mission).toEqual([
      [
        [
          ['A_X_stop', 'A_Y_stop'],
          ['A_X_uprpm', 'A_Y_uprpm'],
          ['A_X_start', 'A_Y_start'],
        ],
        [['B_X_stop'], ['B_X_uprpm'], ['B_X_start']],
      ],
    ]);
    expect(phaseRecord(plan, 'stop').actions).toEqual(['stop', 'uprpm', 'start']);
  });

  it("creates a task only for the actions in the instance's mode (no empty stages)", () => {
    const { plan } = compileOk({
      inventory: inventory(node('A', 'network', { X: '1.0', O: '1.0' })),
      descriptor: descriptor([pkg('X', '2.0'), pkg('O', '2.0', 'hot')]),
      logicBook: book([{ actions: ['stop', 'uprpm', 'reload', 'start'] }]),
    });
    expect(plan.mission).toEqual([
      [[['A_X_stop'], ['A_O_uprpm', 'A_X_uprpm'], ['A_O_reload'], ['A_X_start']]],
    ]);
  });

  it('accepts `action` as the single action of the phase', () => {
    const { plan } = compileOk(seedWith({ action: 'check' }));
    expect(plan.mission).toEqual([[[['A_X_check', 'A_Y_check']], [['B_X_check']]]]);
    expect(phaseRecord(plan, 'check')).toEqual({
      name: 'check',
      batches: [0, 1],
      actions: ['check'],
      verify: null,
    });
  });
});

describe('phase key `where`', () => {
  const cluster = (): Sources => ({
    inventory: inventory(
      node('c1', 'compute', { nova: '1', ovs: '1' }, { az: 'az1' }),
      node('c2', 'compute', { nova: '1', ovs: '1' }, { az: 'az2' }),
      node('m1', ['management', 'compute'], { api: '1', nova: '1' }, { az: 'az1' }),
      node('n1', 'network', { ovs: '1' }),
    ),
    descriptor: descriptor([pkg('nova', '2'), pkg('ovs', '2'), pkg('api', '2')]),
    logicBook: book([]),
  });
  const withWhere = (where: Record<string, unknown>): Sources => ({
    ...cluster(),
    logicBook: book([{ action: 'stop', where }]),
  });
  const stopTasks = (where: Record<string, unknown>) =>
    compileOk(withWhere(where)).plan.mission.flat(3);

  it('`roles` keeps the instances of hosts with any of the roles', () => {
    expect(stopTasks({ roles: ['management', 'network'] })).toEqual([
      'm1_api_stop',
      'm1_nova_stop',
      'n1_ovs_stop',
    ]);
  });

  it('`nodes` keeps the instances of the named nodes', () => {
    expect(stopTasks({ nodes: ['c2', 'n1'] })).toEqual([
      'c2_nova_stop',
      'c2_ovs_stop',
      'n1_ovs_stop',
    ]);
  });

  it('`components` keeps the instances of any of the components', () => {
    expect(stopTasks({ components: ['api', 'ovs'] })).toEqual([
      'c1_ovs_stop',
      'c2_ovs_stop',
      'm1_api_stop',
      'n1_ovs_stop',
    ]);
  });

  it('`groups` keeps hosts whose group value is one of the listed values', () => {
    expect(stopTasks({ groups: { az: ['az2', 'az9'] } })).toEqual(['c2_nova_stop', 'c2_ovs_stop']);
  });

  it('a `groups` value no node has matches nothing (an empty phase, not an error)', () => {
    const { plan } = compileOk(withWhere({ groups: { rack: ['r1'] } }));
    expect(plan.mission).toEqual([]);
    expect(phaseRecord(plan, 'stop').batches).toEqual([0, 0]);
  });

  it('keeps only instances matching all given keys', () => {
    expect(
      stopTasks({ roles: ['compute'], components: ['nova'], groups: { az: ['az1'] } }),
    ).toEqual(['c1_nova_stop', 'm1_nova_stop']);
  });
});

describe('phase key `order`', () => {
  it("runs each item in its own batch, after the items before it (the seed's stop X, then Y)", () => {
    const { plan } = compileOk(seedWith({ action: 'stop', order: ['X', 'Y'] }));
    expect(plan.mission).toEqual([[[['A_X_stop']], [['B_X_stop']]], [[['A_Y_stop']]]]);
    expect(record(plan, 'A_X_stop').layer).toBe(0);
    expect(record(plan, 'A_Y_stop').layer).toBe(1);
  });

  it('puts the components of one list item in the same layer', () => {
    const { plan } = compileOk(xyzOnA([{ action: 'stop', order: [['X', 'Z'], 'Y'] }]));
    expect(plan.mission).toEqual([[[['A_X_stop', 'A_Z_stop']]], [[['A_Y_stop']]]]);
    expect(record(plan, 'A_Z_stop').layer).toBe(0);
    expect(record(plan, 'A_Y_stop').layer).toBe(1);
  });

  it('puts components the order does not mention in layer 0', () => {
    const { plan } = compileOk(xyzOnA([{ action: 'stop', order: ['Y', 'X'] }]));
    expect(plan.mission).toEqual([[[['A_Y_stop', 'A_Z_stop']]], [[['A_X_stop']]]]);
    expect(record(plan, 'A_Z_stop').layer).toBe(0);
    expect(record(plan, 'A_X_stop').layer).toBe(1);
  });

  it('keeps the layer number of an item even when an earlier item has no task', () => {
    const { plan } = compileOk({
      ...xyzOnA([{ action: 'stop', order: ['W', 'X', 'Y'] }], { W: '1.0' }),
    });
    // W is not upgraded: its layer 0 is empty and dropped, X stays layer 1.
    expect(plan.mission).toEqual([[[['A_Z_stop']]], [[['A_X_stop']]], [[['A_Y_stop']]]]);
    expect(record(plan, 'A_X_stop').layer).toBe(1);
    expect(record(plan, 'A_Y_stop').layer).toBe(2);
  });

  it('without `order` or `after` puts every component in layer 0 (one batch)', () => {
    const { plan } = compileOk(xyzOnA([{ action: 'stop' }]));
    expect(plan.mission).toEqual([[[['A_X_stop', 'A_Y_stop', 'A_Z_stop']]]]);
    expect(new Set([...plan.tasks.values()].map((t) => t.layer))).toEqual(new Set([0]));
  });
});

describe('phase key `after`', () => {
  it('runs a component after its predecessors', () => {
    const { plan } = compileOk(xyzOnA([{ action: 'stop', after: { X: ['Y'] } }]));
    expect(plan.mission).toEqual([[[['A_Y_stop', 'A_Z_stop']]], [[['A_X_stop']]]]);
  });

  it('gives a component the layer 1 + the largest layer of its predecessors', () => {
    const { plan } = compileOk(xyzOnA([{ action: 'stop', after: { Z: ['X', 'Y'], Y: ['X'] } }]));
    expect([0, 1, 2].map((l) => record(plan, `A_${'XYZ'[l]}_stop`).layer)).toEqual([0, 1, 2]);
    expect(plan.mission).toEqual([[[['A_X_stop']]], [[['A_Y_stop']]], [[['A_Z_stop']]]]);
  });

  it('accepts a single predecessor written without a list', () => {
    const { plan } = compileOk(xyzOnA([{ action: 'stop', after: { X: 'Y' } }]));
    expect(record(plan, 'A_X_stop').layer).toBe(1);
  });

  it('keeps a constraint that runs through a component without tasks', () => {
    // W runs on A but is not upgraded: X after W after Y still puts X two layers after Y.
    const { plan } = compileOk(
      xyzOnA([{ action: 'stop', after: { X: ['W'], W: ['Y'] } }], { W: '1.0' }),
    );
    expect(record(plan, 'A_Y_stop').layer).toBe(0);
    expect(record(plan, 'A_X_stop').layer).toBe(2);
    expect(plan.mission).toEqual([[[['A_Y_stop', 'A_Z_stop']]], [[['A_X_stop']]]]);
  });

  it('orders the start of the openstack control plane keystone → conductor → scheduler → api', () => {
    const { plan } = compileOk({
      inventory: inventory(
        node('ctrl-01', 'management', {
          keystone: '1',
          'nova-api': '1',
          'nova-conductor': '1',
          'nova-scheduler': '1',
        }),
      ),
      descriptor: descriptor(
        ['keystone', 'nova-api', 'nova-conductor', 'nova-scheduler'].map((c) => pkg(c, '2')),
      ),
      logicBook: book([
        {
          action: 'start',
          after: {
            'nova-conductor': ['keystone'],
            'nova-scheduler': ['nova-conductor'],
            'nova-api': ['nova-scheduler'],
          },
        },
      ]),
    });
    expect(plan.mission.flat(3)).toEqual([
      'ctrl-01_keystone_start',
      'ctrl-01_nova-conductor_start',
      'ctrl-01_nova-scheduler_start',
      'ctrl-01_nova-api_start',
    ]);
  });
});

describe('phase key `split`', () => {
  const hosts = ['n1', 'n2', 'n3', 'n10', 'n11'];
  const chunks = (split: Record<string, unknown>, groups = {}): string[][] =>
    hostsPerBatch(compileOk(svcCluster(hosts, [{ action: 'stop', split }], groups)).plan, 'stop');

  it('without `split` puts every host in one chunk, in natural order', () => {
    const { plan } = compileOk(svcCluster(['n10', 'n2', 'n1'], [{ action: 'stop' }]));
    expect(hostsPerBatch(plan, 'stop')).toEqual([['n1', 'n2', 'n10']]);
  });

  it('`canary` alone: the first N hosts, then the rest as one chunk', () => {
    expect(chunks({ canary: 2 })).toEqual([
      ['n1', 'n2'],
      ['n3', 'n10', 'n11'],
    ]);
  });

  it('`canary` larger than the phase leaves a single chunk', () => {
    expect(chunks({ canary: 9 })).toEqual([hosts]);
  });

  it('`size`: pieces of at most N hosts', () => {
    expect(chunks({ size: 2 })).toEqual([['n1', 'n2'], ['n3', 'n10'], ['n11']]);
  });

  it('`count`: K pieces whose sizes differ by at most one, larger first', () => {
    expect(chunks({ count: 2 })).toEqual([
      ['n1', 'n2', 'n3'],
      ['n10', 'n11'],
    ]);
    expect(chunks({ count: 3 })).toEqual([['n1', 'n2'], ['n3', 'n10'], ['n11']]);
  });

  it('`count` larger than the hosts drops the empty pieces', () => {
    expect(chunks({ count: 8 })).toEqual(hosts.map((h) => [h]));
  });

  const az = {
    n1: { az: 'az10' },
    n2: { az: 'az2' },
    n3: { rack: 'r1' },
    n10: { az: 'az2' },
    n11: { az: 'az10' },
  };

  it('`by`: one chunk per group value, values in natural order, hosts without the key last', () => {
    expect(chunks({ by: 'az' }, az)).toEqual([['n2', 'n10'], ['n1', 'n11'], ['n3']]);
  });

  it('`by` with `size` cuts each group chunk again into pieces of at most `size`', () => {
    const groups = { ...az, n3: { az: 'az2' } };
    expect(chunks({ by: 'az', size: 2 }, groups)).toEqual([['n2', 'n3'], ['n10'], ['n1', 'n11']]);
  });

  it('`canary` comes first, then the rest is cut by `by`', () => {
    expect(chunks({ canary: 1, by: 'az' }, az)).toEqual([['n1'], ['n2', 'n10'], ['n11'], ['n3']]);
  });

  it('`canary` comes first, then the rest is cut into `count` pieces', () => {
    expect(chunks({ canary: 1, count: 2 })).toEqual([['n1'], ['n2', 'n3'], ['n10', 'n11']]);
  });

  it('`canary` then `size`', () => {
    expect(chunks({ canary: 1, size: 3 })).toEqual([['n1'], ['n2', 'n3', 'n10'], ['n11']]);
  });

  it('cuts only the hosts that have tasks in the phase', () => {
    const sources = svcCluster(hosts, [
      { action: 'stop', where: { nodes: ['n2', 'n3', 'n11'] }, split: { size: 2 } },
    ]);
    expect(hostsPerBatch(compileOk(sources).plan, 'stop')).toEqual([['n2', 'n3'], ['n11']]);
  });

  it('gives every chunk its layers in ascending order before the next chunk', () => {
    const { plan } = compileOk({
      inventory: inventory(
        node('a1', 'w', { X: '1', Y: '1' }),
        node('a2', 'w', { X: '1', Y: '1' }),
      ),
      descriptor: descriptor([pkg('X', '2'), pkg('Y', '2')]),
      logicBook: book([{ action: 'stop', order: ['X', 'Y'], split: { size: 1 } }]),
    });
    expect(plan.mission).toEqual([
      [[['a1_X_stop']]],
      [[['a1_Y_stop']]],
      [[['a2_X_stop']]],
      [[['a2_Y_stop']]],
    ]);
  });
});

describe('phase keys `once_per: role` and `once: true`', () => {
  const roles = {
    n1: ['compute'],
    n2: ['compute', 'network'],
    n3: ['network'],
    n4: ['storage'],
    n10: ['storage'],
  };
  const hosts = ['n10', 'n4', 'n3', 'n2', 'n1'];

  it('`once_per: role` keeps, per role, only the first host (natural order) holding it', () => {
    const { plan } = compileOk(
      svcCluster(hosts, [{ action: 'check', once_per: 'role' }], {}, roles),
    );
    expect(plan.mission.flat(3)).toEqual(['n1_svc_check', 'n2_svc_check', 'n4_svc_check']);
    expect(plan.tasks.has('n3_svc_check')).toBe(false);
    expect(plan.tasks.has('n10_svc_check')).toBe(false);
  });

  it('`once_per: role` considers only the hosts left by `where`, with every role they hold', () => {
    const { plan } = compileOk(
      svcCluster(
        hosts,
        [{ action: 'check', where: { roles: ['network', 'storage'] }, once_per: 'role' }],
        {},
        roles,
      ),
    );
    // n2 is the first network host and also holds compute; n4 is the first storage host.
    expect(plan.mission.flat(3)).toEqual(['n2_svc_check', 'n4_svc_check']);
  });

  it('`once: true` keeps only the first host in natural order', () => {
    const { plan } = compileOk(svcCluster(['n10', 'n9', 'n2'], [{ action: 'check', once: true }]));
    expect(plan.mission).toEqual([[[['n2_svc_check']]]]);
    expect([...plan.tasks.keys()]).toEqual(['n2_svc_check']);
  });

  it('`once: true` picks the first host that has tasks in the phase', () => {
    const { plan } = compileOk({
      inventory: inventory(node('a1', 'w', { X: '2' }), node('a2', 'w', { X: '1' })),
      descriptor: descriptor([pkg('X', '2')]),
      logicBook: book([{ action: 'check', once: true }]),
    });
    expect(plan.mission).toEqual([[[['a2_X_check']]]]);
  });
});

describe('phase key `verify`', () => {
  it('adds, after each chunk, a batch with one stage per host of the verify action for every component the host had tasks for', () => {
    const { plan } = compileOk(
      seedWith({ action: 'stop', verify: 'healthcheck', split: { size: 1 } }),
    );
    expect(plan.mission).toEqual([
      [[['A_X_stop', 'A_Y_stop']]],
      [[['A_X_healthcheck', 'A_Y_healthcheck']]],
      [[['B_X_stop']]],
      [[['B_X_healthcheck']]],
    ]);
    expect(phaseRecord(plan, 'stop').verify).toBe('healthcheck');
  });

  it('runs after every layer of the chunk', () => {
    const { plan } = compileOk(
      seedWith({ action: 'stop', order: ['X', 'Y'], verify: 'healthcheck' }),
    );
    expect(plan.mission).toEqual([
      [[['A_X_stop']], [['B_X_stop']]],
      [[['A_Y_stop']]],
      [[['A_X_healthcheck', 'A_Y_healthcheck']], [['B_X_healthcheck']]],
    ]);
  });

  it('checks only the components the host had tasks for in this phase', () => {
    const { plan } = compileOk(
      seedWith({ action: 'stop', where: { components: ['Y'] }, verify: 'healthcheck' }),
    );
    expect(plan.mission).toEqual([[[['A_Y_stop']]], [[['A_Y_healthcheck']]]]);
  });

  it('records a verify task with the instance mode/from/to, layer null and undo[verify]', () => {
    const sources = seedWith({ action: 'stop', verify: 'healthcheck' });
    const withUndo = {
      ...sources,
      logicBook: { ...(sources.logicBook as object), undo: { healthcheck: 'forget' } },
    };
    const { plan } = compileOk(withUndo);
    expect(record(plan, 'A_X_healthcheck')).toEqual({
      host: 'A',
      target: 'X',
      action: 'healthcheck',
      phase: 'stop',
      mode: 'restart',
      from: '1.0',
      to: '2.0',
      release: null,
      undo: 'forget',
      layer: null,
    });
    const { plan: noUndo } = compileOk(sources);
    expect(record(noUndo, 'A_X_healthcheck').undo).toBeNull();
  });
});

describe('phase keys `scope: global` + `target`', () => {
  it('produce one batch with the single job [["upg-server_<target>_<action>"]]', () => {
    const { plan } = compileOk(
      seedWith(
        { name: 'pin', scope: 'global', target: 'nova', action: 'pin-rpc' },
        { action: 'stop' },
      ),
    );
    expect(plan.mission[0]).toEqual([[['upg-server_nova_pin-rpc']]]);
    expect(phaseRecord(plan, 'pin')).toEqual({
      name: 'pin',
      batches: [0, 1],
      actions: ['pin-rpc'],
      verify: null,
    });
  });

  it('record the global task on upg-server with layer 0, no versions and undo[action]', () => {
    const sources = seedWith({ scope: 'global', target: 'nova', action: 'pin-rpc' });
    const lb = { ...(sources.logicBook as object), undo: { 'pin-rpc': 'unpin-rpc' } };
    const { plan } = compileOk({ ...sources, logicBook: lb });
    expect(record(plan, 'upg-server_nova_pin-rpc')).toEqual({
      host: 'upg-server',
      target: 'nova',
      action: 'pin-rpc',
      phase: 'pin-rpc',
      mode: null,
      from: null,
      to: null,
      release: null,
      undo: 'unpin-rpc',
      layer: 0,
    });
  });

  it('a global action need not be in any mode', () => {
    const result = compile(seedWith({ scope: 'global', target: 'registry', action: 'notify' }));
    expect(result.ok).toBe(true);
  });
});

describe('phase key `per_release`', () => {
  const ffu = (releases: string[] | undefined, phaseList: RawPhase[]): Sources => ({
    inventory: inventory(node('A', 'management', { X: '1.0' }), node('B', 'compute', { X: '1.0' })),
    descriptor: descriptor([pkg('X', '2.0')], releases ? { releases } : {}),
    logicBook: book(phaseList),
  });
  const block: RawPhase[] = [
    { action: 'dispatch' },
    { name: 'down', action: 'stop', per_release: true, once: true },
    { name: 'sync', scope: 'global', target: 'db', action: 'db-sync', per_release: true },
    { name: 'up', action: 'start', per_release: true, once: true, verify: 'healthcheck' },
    { name: 'done', scope: 'global', target: 'registry', action: 'notify' },
  ];

  it('compiles consecutive per-release phases once per release, in order, named <name>@<release>', () => {
    const { plan } = compileOk(ffu(['r1', 'r2'], block));
    expect(plan.phases.map((p) => p.name)).toEqual([
      'dispatch',
      'down@r1',
      'sync@r1',
      'up@r1',
      'down@r2',
      'sync@r2',
      'up@r2',
      'done',
    ]);
  });

  it('suffixes host, verify and global tasks of a copy with @<release> and records the release', () => {
    const { plan } = compileOk(ffu(['r1', 'r2'], block));
    expect(plan.mission.slice(1, -1)).toEqual([
      [[['A_X_stop@r1']]],
      [[['upg-server_db_db-sync@r1']]],
      [[['A_X_start@r1']]],
      [[['A_X_healthcheck@r1']]],
      [[['A_X_stop@r2']]],
      [[['upg-server_db_db-sync@r2']]],
      [[['A_X_start@r2']]],
      [[['A_X_healthcheck@r2']]],
    ]);
    expect(record(plan, 'A_X_stop@r2')).toMatchObject({ release: 'r2', phase: 'down@r2' });
    expect(record(plan, 'A_X_healthcheck@r1')).toMatchObject({ release: 'r1', phase: 'up@r1' });
    expect(record(plan, 'upg-server_db_db-sync@r1')).toMatchObject({
      release: 'r1',
      phase: 'sync@r1',
    });
    expect(record(plan, 'A_X_dispatch').release).toBeNull();
  });

  it('makes phases separated by a normal phase two blocks', () => {
    const { plan } = compileOk(
      ffu(
        ['r1', 'r2'],
        [
          { name: 'a', scope: 'global', target: 'db', action: 'a', per_release: true },
          { action: 'stop' },
          { name: 'b', scope: 'global', target: 'db', action: 'b', per_release: true },
        ],
      ),
    );
    expect(plan.phases.map((p) => p.name)).toEqual(['a@r1', 'a@r2', 'stop', 'b@r1', 'b@r2']);
  });

  it('without releases compiles the block once, with no suffix', () => {
    const { plan } = compileOk(ffu(undefined, block));
    expect(plan.phases.map((p) => p.name)).toEqual(['dispatch', 'down', 'sync', 'up', 'done']);
    expect(plan.mission.flat(3)).toContain('upg-server_db_db-sync');
    expect(record(plan, 'A_X_stop')).toMatchObject({ release: null, phase: 'down' });
  });
});

describe('phase key `when`', () => {
  it('`release` keeps only the copies for the listed releases; the others have empty ranges', () => {
    const { plan } = compileOk({
      inventory: inventory(node('A', 'm', { X: '1' })),
      descriptor: descriptor([pkg('X', '2')], { releases: ['r1', 'r2', 'r3'] }),
      logicBook: book([
        {
          name: 'mig',
          scope: 'global',
          target: 'db',
          action: 'migrate',
          per_release: true,
          when: { release: ['r2'] },
        },
      ]),
    });
    expect(plan.mission).toEqual([[[['upg-server_db_migrate@r2']]]]);
    expect(plan.phases).toEqual([
      { name: 'mig@r1', batches: [0, 0], actions: ['migrate'], verify: null },
      { name: 'mig@r2', batches: [0, 1], actions: ['migrate'], verify: null },
      { name: 'mig@r3', batches: [1, 1], actions: ['migrate'], verify: null },
    ]);
  });

  it('`release` never holds without releases in the descriptor', () => {
    const { plan } = compileOk({
      inventory: inventory(node('A', 'm', { X: '1' })),
      descriptor: descriptor([pkg('X', '2')]),
      logicBook: book([
        {
          name: 'mig',
          scope: 'global',
          target: 'db',
          action: 'migrate',
          per_release: true,
          when: { release: ['r2'] },
        },
        { action: 'stop' },
      ]),
    });
    expect(plan.mission).toEqual([[[['A_X_stop']]]]);
    expect(phaseRecord(plan, 'mig').batches).toEqual([0, 0]);
  });

  const upgradingCase = (upgrading: string[], membership: Record<string, unknown> = {}) =>
    compileOk({
      inventory: inventory(
        node('A', 'm', { X: '1', Y: '2', Z: '1' }),
        node('B', 'm', { Q: '1' }),
        node('C', 'm', { X: '1' }),
      ),
      descriptor: descriptor([pkg('X', '2'), pkg('Y', '2')], { nodes: membership }),
      logicBook: book([
        { name: 'g', scope: 'global', target: 't', action: 'notify', when: { upgrading } },
      ]),
    }).plan.mission.length;

  it('`upgrading` holds when some instance of a listed component is touched', () => {
    expect(upgradingCase(['X'])).toBe(1);
    expect(upgradingCase(['Z', 'X'])).toBe(1);
  });

  it('`upgrading` does not hold for components that are present but not touched', () => {
    // Y is already at its target, Z has no package.
    expect(upgradingCase(['Y', 'Z'])).toBe(0);
  });

  it('`upgrading` counts installed and uninstalled instances', () => {
    expect(upgradingCase(['N'], { add: [node('D', 'm', { N: '1' })] })).toBe(1);
    expect(upgradingCase(['Q'], { remove: ['B'] })).toBe(1);
  });

  const membershipCase = (membership: boolean, nodes: Record<string, unknown>) =>
    compileOk({
      inventory: inventory(node('A', 'm', { X: '1' }), node('B', 'm', { X: '1' })),
      descriptor: descriptor([pkg('X', '2')], { nodes }),
      logicBook: book([
        { name: 'g', scope: 'global', target: 'registry', action: 'notify', when: { membership } },
      ]),
    }).plan.mission.length;

  it('`membership: true` holds only when the descriptor adds or removes nodes', () => {
    expect(membershipCase(true, {})).toBe(0);
    expect(membershipCase(true, { add: [node('C', 'm', { X: '2' })] })).toBe(1);
    expect(membershipCase(true, { remove: ['B'] })).toBe(1);
  });

  it('`membership: false` holds only when the descriptor changes no membership', () => {
    expect(membershipCase(false, {})).toBe(1);
    expect(membershipCase(false, { remove: ['B'] })).toBe(0);
  });

  it('applies to host phases too, and needs every given key to hold', () => {
    const sources = (when: Record<string, unknown>): Sources =>
      seedWith({ action: 'stop', when }, { action: 'start' });
    expect(
      compileOk(sources({ upgrading: ['X'], membership: false })).plan.mission.flat(3),
    ).toContain('A_X_stop');
    const { plan } = compileOk(sources({ upgrading: ['X'], membership: true }));
    expect(plan.mission.flat(3)).not.toContain('A_X_stop');
    expect(phaseRecord(plan, 'stop').batches).toEqual([0, 0]);
  });
});

describe('a phase whose `when` does not hold', () => {
  it('creates no task and no batch', () => {
    const { plan } = compileOk(seedWith({ action: 'stop', when: { membership: true } }));
    expect(plan.tasks.size).toBe(0);
    expect(plan.mission).toEqual([]);
  });
});

describe('phase key `once_per` values', () => {
  it('rejects any value but `role`', () => {
    const problems = problemsOf(compile(seedWith({ action: 'stop', once_per: 'host' })));
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'INPUT.INVALID',
        file: 'logic.yaml',
        path: 'phases[0].once_per',
      }),
    ]);
  });
});

describe('phases of the plan', () => {
  it('keep an empty `batches` range where a phase produced nothing, in mission order', () => {
    const { plan } = compileOk(
      seedWith(
        { action: 'dispatch' },
        { action: 'check', where: { groups: { rack: ['r9'] } } },
        { action: 'stop' },
      ),
    );
    expect(plan.phases.map((p) => [p.name, p.batches])).toEqual([
      ['dispatch', [0, 1]],
      ['check', [1, 1]],
      ['stop', [1, 2]],
    ]);
    expect(phaseBatches(plan, 'check')).toEqual([]);
  });
});
