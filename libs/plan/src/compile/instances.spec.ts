/**
 * Which instances an upgrade touches and in which mode (logic-book.md §2), membership changes,
 * natural order, the task records of plan-format.md, and the compile-time mode-order rule.
 */
import {
  book,
  compile,
  compileOk,
  descriptor,
  inventory,
  node,
  pkg,
  problemsOf,
  record,
  RESTART,
  type RawPackage,
  type Sources,
} from '../testing/builders.fixtures';

describe('multi-version packages', () => {
  const cluster = (packages: RawPackage[]): Sources => ({
    inventory: inventory(
      node('c1', 'compute', { nova: '27.0' }, { az: 'az1' }),
      node('c2', 'compute', { nova: '27.0' }, { az: 'az2' }),
      node('m1', 'management', { nova: '27.0' }, { az: 'az1' }),
      node('m2', 'management', { nova: '27.0' }, { az: 'az2' }),
    ),
    descriptor: descriptor(packages),
    logicBook: book([{ action: 'uprpm' }]),
  });
  const targets = (packages: RawPackage[]): Record<string, string | null> => {
    const { plan } = compileOk(cluster(packages));
    const out: Record<string, string | null> = {};
    for (const t of plan.tasks.values()) out[t.host] = t.to;
    return out;
  };

  it('gives hosts matched by `targets.roles` that package and the rest the default package', () => {
    expect(
      targets([pkg('nova', '28.0', 'restart', { roles: ['compute'] }), pkg('nova', '27.2')]),
    ).toEqual({ c1: '28.0', c2: '28.0', m1: '27.2', m2: '27.2' });
  });

  it('matches `targets.groups` by any of the listed values of the key', () => {
    expect(
      targets([pkg('nova', '28.0', 'restart', { groups: { az: ['az2'] } }), pkg('nova', '27.2')]),
    ).toEqual({ c1: '27.2', c2: '28.0', m1: '27.2', m2: '28.0' });
  });

  it('matches `targets.nodes` by node id', () => {
    expect(
      targets([pkg('nova', '28.0', 'restart', { nodes: ['m1', 'c2'] }), pkg('nova', '27.2')]),
    ).toEqual({ c1: '27.2', c2: '28.0', m1: '28.0', m2: '27.2' });
  });

  it('needs every key of `targets` to match', () => {
    expect(
      targets([
        pkg('nova', '28.0', 'restart', { roles: 'compute', groups: { az: 'az1' } }),
        pkg('nova', '27.2'),
      ]),
    ).toEqual({ c1: '28.0', c2: '27.2', m1: '27.2', m2: '27.2' });
  });

  it('leaves hosts no package applies to untouched when there is no default package', () => {
    expect(
      targets([
        pkg('nova', '28.0', 'restart', { roles: ['compute'] }),
        pkg('nova', '27.5', 'restart', { roles: ['management'], groups: { az: ['az2'] } }),
      ]),
    ).toEqual({ c1: '28.0', c2: '28.0', m2: '27.5' });
  });

  it('takes the mode of the package that applies to the host', () => {
    const { plan } = compileOk({
      ...cluster([pkg('nova', '28.0', 'hot', { roles: ['compute'] }), pkg('nova', '28.0')]),
      logicBook: book([{ action: 'uprpm' }, { action: 'reload' }, { action: 'start' }]),
    });
    expect(record(plan, 'c1_nova_uprpm').mode).toBe('hot');
    expect(record(plan, 'm1_nova_uprpm').mode).toBe('restart');
    expect(plan.tasks.has('c1_nova_reload')).toBe(true);
    expect(plan.tasks.has('m1_nova_reload')).toBe(false);
    expect(plan.tasks.has('c1_nova_start')).toBe(false);
    expect(plan.tasks.has('m1_nova_start')).toBe(true);
  });
});

describe('instances already at their target version', () => {
  const sources = (): Sources => ({
    inventory: inventory(
      node('A', 'm', { X: '2.0', Y: '1.0', Z: '1.0' }),
      node('B', 'm', { X: '1.0', Y: '2.0' }),
    ),
    descriptor: descriptor([pkg('X', '2.0'), pkg('Y', '2.0')]),
    logicBook: book([{ action: 'stop' }]),
  });

  it('are not touched', () => {
    const { plan } = compileOk(sources());
    expect(plan.mission.flat(3)).toEqual(['A_Y_stop', 'B_X_stop']);
  });

  it('are counted in stats.alreadyAtTarget (a component without a package is not)', () => {
    const { stats } = compileOk(sources());
    expect(stats).toEqual({ hosts: 2, instancesTouched: 2, alreadyAtTarget: 2 });
  });

  it('are judged against the package that applies to the host', () => {
    const { plan, stats } = compileOk({
      ...sources(),
      descriptor: descriptor([
        pkg('X', '1.0', 'restart', { nodes: ['B'] }),
        pkg('X', '3.0'),
        pkg('Y', '2.0'),
      ]),
    });
    expect(plan.mission.flat(3)).toEqual(['A_X_stop', 'A_Y_stop']);
    expect(stats.alreadyAtTarget).toBe(2);
  });
});

describe('membership changes', () => {
  const sources = (nodes: { add?: ReturnType<typeof node>[]; remove?: string[] }): Sources => ({
    inventory: inventory(
      node('w1', 'worker', { engine: '2.0', agent: '1.0' }),
      node('w2', 'worker', { engine: '2.0' }),
      node('w3', 'worker', { engine: '1.0' }),
    ),
    descriptor: descriptor([pkg('engine', '2.0')], { nodes }),
    logicBook: book([
      { action: 'dispatch' },
      { action: 'stop' },
      { action: 'install' },
      { action: 'uninstall' },
      { action: 'start' },
    ]),
  });

  it('installs every component of an added node, from null to its version', () => {
    const { plan } = compileOk(
      sources({ add: [node('w7', 'worker', { engine: '2.1', agent: '1.0' })] }),
    );
    expect(record(plan, 'w7_engine_install')).toEqual({
      host: 'w7',
      target: 'engine',
      action: 'install',
      phase: 'install',
      mode: 'install',
      from: null,
      to: '2.1',
      release: null,
      undo: null,
      layer: 0,
    });
    expect(plan.mission.flat(3).filter((id) => id.startsWith('w7_'))).toEqual([
      'w7_agent_dispatch',
      'w7_engine_dispatch',
      'w7_agent_install',
      'w7_engine_install',
      'w7_agent_start',
      'w7_engine_start',
    ]);
    expect(plan.hosts.get('w7')).toEqual({ roles: ['worker'], groups: {} });
  });

  it('uninstalls every component of a removed node, from its version to null, package or not', () => {
    const { plan } = compileOk(sources({ remove: ['w1'] }));
    expect(record(plan, 'w1_agent_uninstall')).toMatchObject({
      mode: 'uninstall',
      from: '1.0',
      to: null,
    });
    expect(plan.mission.flat(3).filter((id) => id.startsWith('w1_'))).toEqual([
      'w1_agent_stop',
      'w1_engine_stop',
      'w1_agent_uninstall',
      'w1_engine_uninstall',
    ]);
  });

  it('replaces a node by adding the new one and removing the old one', () => {
    const { plan, stats } = compileOk(
      sources({ add: [node('w4', 'worker', { engine: '2.0' })], remove: ['w3'] }),
    );
    expect(plan.mission.flat(3)).toEqual([
      'w4_engine_dispatch',
      'w3_engine_stop',
      'w4_engine_install',
      'w3_engine_uninstall',
      'w4_engine_start',
    ]);
    expect(stats).toEqual({ hosts: 4, instancesTouched: 2, alreadyAtTarget: 2 });
  });
});

describe('natural order', () => {
  const sources = (): Sources => ({
    inventory: inventory(
      node('node10', 'w', { c10: '1', c2: '1', c1: '1' }),
      node('node2', 'w', { c10: '1', c2: '1' }),
      node('node1', 'w', { c2: '1' }),
    ),
    descriptor: descriptor([pkg('c1', '2'), pkg('c2', '2'), pkg('c10', '2')]),
    logicBook: book([{ action: 'stop' }]),
  });

  it('orders the jobs of a batch by host, node2 before node10', () => {
    const { plan } = compileOk(sources());
    expect(plan.mission[0].map((job) => record(plan, job[0][0]).host)).toEqual([
      'node1',
      'node2',
      'node10',
    ]);
  });

  it('orders the tasks of a stage by id, c2 before c10', () => {
    const { plan } = compileOk(sources());
    expect(plan.mission[0][2]).toEqual([['node10_c1_stop', 'node10_c2_stop', 'node10_c10_stop']]);
    expect(plan.mission[0][1]).toEqual([['node2_c2_stop', 'node2_c10_stop']]);
  });

  it('lists the hosts of the plan in natural order, every host of the cluster included', () => {
    const { plan } = compileOk({
      ...sources(),
      inventory: inventory(
        node('node10', 'w', { c1: '1' }),
        node('node2', 'w', { c9: '1' }),
        node('node1', 'w', { c2: '1' }),
      ),
    });
    expect([...plan.hosts.keys()]).toEqual(['node1', 'node2', 'node10']);
  });
});

describe('task records', () => {
  const sources = (): Sources => ({
    inventory: inventory(node('A', 'm', { X: '1.0', Y: '1.5' })),
    descriptor: descriptor([pkg('X', '2.0'), pkg('Y', '2.5')]),
    logicBook: book([{ action: 'check' }, { action: 'stop', order: ['X', 'Y'] }], {
      undo: { stop: 'start' },
    }),
  });

  it('carry host, target, action, phase, mode, versions, release, undo and layer', () => {
    const { plan } = compileOk(sources());
    expect(record(plan, 'A_Y_stop')).toEqual({
      host: 'A',
      target: 'Y',
      action: 'stop',
      phase: 'stop',
      mode: 'restart',
      from: '1.5',
      to: '2.5',
      release: null,
      undo: 'start',
      layer: 1,
    });
  });

  it('have `undo: null` for an action the logic book gives no undo', () => {
    const { plan } = compileOk(sources());
    expect(record(plan, 'A_X_check').undo).toBeNull();
  });

  it('exist for exactly the ids of the mission', () => {
    const { plan } = compileOk(sources());
    expect([...plan.tasks.keys()].sort()).toEqual(plan.mission.flat(3).sort());
  });
});

describe('mode order at compile time', () => {
  it('does not mind an action of a mode that no phase schedules', () => {
    const { plan, walk } = compileOk({
      inventory: inventory(node('A', 'm', { X: '1' }), node('B', 'm', { X: '1' })),
      descriptor: descriptor([pkg('X', '2')]),
      logicBook: book([{ action: 'check', once: true }, { action: 'uprpm' }]),
    });
    expect(plan.mission.flat(3)).toEqual(['A_X_check', 'A_X_uprpm', 'B_X_uprpm']);
    expect(walk.violations).toEqual([]);
    const restart = walk.coverage.get('restart');
    expect(restart?.instances).toBe(2);
    expect(restart?.scheduled.get('check')).toBe(1);
    expect(restart?.scheduled.get('uprpm')).toBe(2);
    expect(restart?.scheduled.get('stop') ?? 0).toBe(0);
  });

  it('fails when phases would run an instance out of its mode order, naming the instance and both actions', () => {
    const problems = problemsOf(
      compile({
        inventory: inventory(node('A', 'm', { X: '1' })),
        descriptor: descriptor([pkg('X', '2')]),
        logicBook: book([{ action: 'start' }, { action: 'stop' }]),
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'PLAN.MODE_ORDER',
      file: 'logic.yaml',
      path: 'phases[1]',
    });
    expect(problems[0].message).toContain('A/X');
    expect(problems[0].message).toContain('"stop"');
    expect(problems[0].message).toContain('"start"');
  });

  it('checks each release separately, with release-less tasks counted for every release', () => {
    const sources = (phaseList: Record<string, unknown>[]): Sources => ({
      inventory: inventory(node('A', 'm', { X: '1' })),
      descriptor: descriptor([pkg('X', '2')], { releases: ['r1', 'r2'] }),
      logicBook: book(phaseList),
    });
    // stop@r1, start@r1, stop@r2, start@r2: in order within each release.
    expect(
      compile(
        sources([
          { action: 'dispatch' },
          { action: 'stop', per_release: true },
          { action: 'start', per_release: true },
        ]),
      ).ok,
    ).toBe(true);
    // A release-less dispatch after the block breaks both releases' order.
    const problems = problemsOf(
      compile(
        sources([
          { action: 'stop', per_release: true },
          { action: 'start', per_release: true },
          { action: 'dispatch' },
        ]),
      ),
    );
    expect(problems.map((p) => p.code)).toContain('PLAN.MODE_ORDER');
    expect(problems[0].message).toContain('"dispatch"');
  });

  it('ignores verify actions that are in no mode', () => {
    const { walk } = compileOk({
      inventory: inventory(node('A', 'm', { X: '1' })),
      descriptor: descriptor([pkg('X', '2')]),
      logicBook: book([{ action: 'stop', verify: 'healthcheck' }, { action: 'start' }], {
        modes: { restart: RESTART },
      }),
    });
    expect(walk.violations).toEqual([]);
  });
});

describe('input conveniences', () => {
  it('accepts a single string wherever a list of names is expected', () => {
    const result = compile({
      inventory: {
        nodes: [{ id: 'A', roles: 'management', components: [{ name: 'X', version: '1' }] }],
      },
      descriptor: {
        name: 'd',
        releases: 'r1',
        packages: [
          {
            component: 'X',
            version: '2',
            mode: 'restart',
            rpms: 'x.rpm',
            targets: { roles: 'management', nodes: 'A', groups: { az: 'az1' } },
          },
        ],
      },
      logicBook: {
        modes: { restart: RESTART },
        invariants: { odd: 'management' },
        phases: [
          {
            action: 'stop',
            where: { roles: 'management', nodes: 'A', components: 'X', groups: { az: 'az1' } },
          },
          { action: 'start', actions: undefined, after: { X: 'X2' }, when: { upgrading: 'X' } },
        ].map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined))),
      },
    });
    // X2 exists nowhere: the only problem must be that reference, not a type error.
    expect(problemsOf(result).map((p) => [p.code, p.path])).toEqual([
      ['LOGIC.UNKNOWN_REF', 'phases[1].after.X[0]'],
    ]);
  });

  it.each([
    ['a mode', { modes: { restart: 'stop' }, phases: [{ action: 'stop' }] }],
    [
      'a command',
      { modes: { restart: RESTART }, commands: { go: 'stop' }, phases: [{ action: 'stop' }] },
    ],
    ['`actions`', { modes: { restart: RESTART }, phases: [{ actions: 'stop' }] }],
    ['`order`', { modes: { restart: RESTART }, phases: [{ action: 'stop', order: 'X' }] }],
  ])('accepts a single string as %s', (_what, logicBook) => {
    const result = compile({
      inventory: inventory(node('A', 'm', { X: '1' })),
      descriptor: descriptor([pkg('X', '2')]),
      logicBook,
    });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('reads YAML text with a version written as a string', () => {
    const { plan } = compileOk({
      inventory: 'nodes:\n  - id: A\n    components:\n      - { name: X, version: "1.10" }\n',
      descriptor: 'name: d\npackages:\n  - { component: X, version: "1.9", mode: restart }\n',
      logicBook: 'modes:\n  restart: [stop]\nphases:\n  - action: stop\n',
    });
    expect(record(plan, 'A_X_stop')).toMatchObject({ from: '1.10', to: '1.9' });
  });
});
