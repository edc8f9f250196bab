/**
 * One minimal failing input per problem code (graphql-js style: a table run through one harness).
 * Every code of PROBLEM_CODES must have a case here: the last test fails when a new code is added
 * without one.
 */
import { checkPlan } from '../check/check-plan';
import { planToJson } from '../format/plan-json';
import { readPlan } from '../input/read-plan';
import type { Mission, Plan, TaskRecord } from '../model/plan';
import { parseSimUrl } from '../sim';
import { readSliceCommand } from '../slice/command';
import { slicePlan } from '../slice/slice';
import {
  book,
  compile,
  descriptor,
  edited,
  inventory,
  node,
  pkg,
  RESTART,
  seedPlan,
  seedSources,
  type RawPhase,
  type Sources,
} from '../testing/builders.fixtures';
import { PROBLEM_CODES, type ProblemCode } from './codes';
import { formatProblem, type Problem, type Result } from './problem';

interface Case {
  /** What is broken, for the test name. */
  readonly broken: string;
  readonly code: ProblemCode;
  readonly problems: () => Problem[];
  readonly file: string;
  readonly path: string | RegExp;
  /** A fragment the message must hold so that an operator can find and fix the cause. */
  readonly message: string | RegExp;
}

function problems<T>(result: Result<T>): Problem[] {
  return result.ok ? [] : result.problems;
}

/** Compiles the seed example with one part replaced. */
function seedWith(part: Partial<Sources>): Problem[] {
  return problems(compile({ ...seedSources(), ...part }));
}

/** The seed inventory and descriptor with a logic book of the given phases (and more keys). */
function seedBook(phaseList: RawPhase[], more: Record<string, unknown> = {}): Problem[] {
  return seedWith({ logicBook: book(phaseList, more) });
}

/** The seed plan with the mission (and optionally some records) edited, checked. */
function checkEdited(
  edit: (mission: Mission) => Mission,
  records: (tasks: Map<string, TaskRecord>) => void = () => undefined,
): Problem[] {
  const plan = seedPlan();
  const tasks = new Map(plan.tasks);
  records(tasks);
  const mission = edit(structuredClone(plan.mission));
  return checkPlan(edited(plan, mission, tasks), plan.modes, 'plan.json');
}

function slice(command: Parameters<typeof slicePlan>[1]): Problem[] {
  return problems(slicePlan(seedPlan(), command, { file: 'command.json' }));
}

function planFile(change: (file: Record<string, unknown>) => void): Problem[] {
  const file = JSON.parse(planToJson(seedPlan())) as Record<string, unknown>;
  change(file);
  return problems(readPlan(file, 'plan.json'));
}

const membershipBook = (phaseList: RawPhase[] = [{ action: 'stop' }]) =>
  book(phaseList, {
    modes: { restart: RESTART, install: ['install'], uninstall: ['stop', 'uninstall'] },
  });

const CASES: readonly Case[] = [
  {
    broken: 'an inventory that is not YAML',
    code: 'INPUT.SYNTAX',
    problems: () => seedWith({ inventory: 'nodes: [ { id: A\n' }),
    file: 'inventory.yaml',
    path: '',
    message: /YAML/,
  },
  {
    broken: 'a misspelt node key',
    code: 'INPUT.UNKNOWN_KEY',
    problems: () =>
      seedWith({ inventory: { nodes: [{ id: 'A', role: ['management'], components: [] }] } }),
    file: 'inventory.yaml',
    path: 'nodes[0].role',
    message: '"role"',
  },
  {
    broken: 'a descriptor without a name',
    code: 'INPUT.MISSING_KEY',
    problems: () => seedWith({ descriptor: { packages: [pkg('X', '2.0')] } }),
    file: 'descriptor.yaml',
    path: 'name',
    message: '"name"',
  },
  {
    broken: 'roles given as a number',
    code: 'INPUT.TYPE',
    problems: () => seedWith({ inventory: { nodes: [{ id: 'A', roles: 5, components: [] }] } }),
    file: 'inventory.yaml',
    path: 'nodes[0].roles',
    message: /list/,
  },
  {
    broken: 'a split size of 0',
    code: 'INPUT.INVALID',
    problems: () => seedBook([{ action: 'stop', split: { size: 0 } }]),
    file: 'logic.yaml',
    path: 'phases[0].split.size',
    message: /positive/,
  },
  {
    broken: 'a component name with "_"',
    code: 'INPUT.BAD_NAME',
    problems: () =>
      seedWith({ inventory: inventory(node('A', 'management', { nova_api: '1.0' })) }),
    file: 'inventory.yaml',
    path: 'nodes[0].components[0].name',
    message: '"nova_api"',
  },
  {
    broken: 'a version written as a YAML number',
    code: 'INPUT.VERSION_NOT_STRING',
    problems: () =>
      seedWith({
        inventory: 'nodes:\n  - id: A\n    components:\n      - { name: X, version: 1.10 }\n',
      }),
    file: 'inventory.yaml',
    path: 'nodes[0].components[0].version',
    message: /string/,
  },
  {
    broken: 'two nodes with one id',
    code: 'INVENTORY.DUPLICATE_NODE',
    problems: () =>
      seedWith({
        inventory: inventory(node('A', 'm', { X: '1.0' }), node('A', 'm', { Y: '1.0' })),
      }),
    file: 'inventory.yaml',
    path: 'nodes[1].id',
    message: '"A"',
  },
  {
    broken: 'a node listing one component twice',
    code: 'INVENTORY.DUPLICATE_COMPONENT',
    problems: () =>
      seedWith({
        inventory: {
          nodes: [
            {
              id: 'A',
              components: [
                { name: 'X', version: '1.0' },
                { name: 'X', version: '1.1' },
              ],
            },
          ],
        },
      }),
    file: 'inventory.yaml',
    path: 'nodes[0].components[1].name',
    message: '"X"',
  },
  {
    broken: 'a package naming a mode the logic book lacks',
    code: 'DESCRIPTOR.UNKNOWN_MODE',
    problems: () => seedWith({ descriptor: descriptor([pkg('X', '2.0', 'rolling')]) }),
    file: 'descriptor.yaml',
    path: 'packages[0].mode',
    message: '"rolling"',
  },
  {
    broken: 'two targeted packages of one component matching one host',
    code: 'DESCRIPTOR.PACKAGE_OVERLAP',
    problems: () =>
      seedWith({
        descriptor: descriptor([
          pkg('X', '2.0', 'restart', { roles: ['management'] }),
          pkg('X', '3.0', 'restart', { nodes: ['A'] }),
        ]),
      }),
    file: 'descriptor.yaml',
    path: /^packages\[[01]\]/,
    message: /packages\[0\].*packages\[1\]/,
  },
  {
    broken: 'adding a node that exists',
    code: 'DESCRIPTOR.ADD_EXISTS',
    problems: () =>
      seedWith({
        descriptor: descriptor([pkg('X', '2.0')], {
          nodes: { add: [node('B', 'c', { X: '2.0' })] },
        }),
        logicBook: membershipBook(),
      }),
    file: 'descriptor.yaml',
    path: 'nodes.add[0].id',
    message: '"B"',
  },
  {
    broken: 'removing a node that does not exist',
    code: 'DESCRIPTOR.REMOVE_MISSING',
    problems: () =>
      seedWith({
        descriptor: descriptor([pkg('X', '2.0')], { nodes: { remove: ['Q'] } }),
        logicBook: membershipBook(),
      }),
    file: 'descriptor.yaml',
    path: 'nodes.remove[0]',
    message: '"Q"',
  },
  {
    broken: 'a package targeting a node that exists nowhere',
    code: 'DESCRIPTOR.UNKNOWN_NODE',
    problems: () =>
      seedWith({
        descriptor: descriptor([pkg('X', '2.0', 'restart', { nodes: ['Q'] }), pkg('X', '2.0')]),
      }),
    file: 'descriptor.yaml',
    path: 'packages[0].targets.nodes[0]',
    message: '"Q"',
  },
  {
    broken: 'removing a node twice',
    code: 'DESCRIPTOR.DUPLICATE_MEMBERSHIP',
    problems: () =>
      seedWith({
        descriptor: descriptor([pkg('X', '2.0')], { nodes: { remove: ['B', 'B'] } }),
        logicBook: membershipBook(),
      }),
    file: 'descriptor.yaml',
    path: 'nodes.remove[1]',
    message: '"B"',
  },
  {
    broken: 'a release listed twice',
    code: 'DESCRIPTOR.DUPLICATE_RELEASE',
    problems: () =>
      seedWith({
        descriptor: descriptor([pkg('X', '2.0')], { releases: ['pike', 'queens', 'pike'] }),
      }),
    file: 'descriptor.yaml',
    path: 'releases[2]',
    message: '"pike"',
  },
  {
    broken: 'two phases with one name',
    code: 'LOGIC.DUPLICATE_PHASE',
    problems: () => seedBook([{ action: 'stop' }, { name: 'stop', action: 'start' }]),
    file: 'logic.yaml',
    path: /^phases\[1\]/,
    message: '"stop"',
  },
  {
    broken: 'an action listed twice in a mode',
    code: 'LOGIC.DUPLICATE_ACTION',
    problems: () =>
      seedBook([{ action: 'stop' }], { modes: { restart: ['stop', 'uprpm', 'stop'] } }),
    file: 'logic.yaml',
    path: 'modes.restart[2]',
    message: '"stop"',
  },
  {
    broken: 'a command naming a phase that does not exist',
    code: 'LOGIC.UNKNOWN_PHASE',
    problems: () => seedBook([{ action: 'stop' }], { commands: { upgrade: ['stop', 'strat'] } }),
    file: 'logic.yaml',
    path: 'commands.upgrade[1]',
    message: '"strat"',
  },
  {
    broken: 'a host phase whose action is in no mode',
    code: 'LOGIC.UNKNOWN_ACTION',
    problems: () => seedBook([{ action: 'strat' }]),
    file: 'logic.yaml',
    path: 'phases[0].action',
    message: '"strat"',
  },
  {
    broken: 'a phase with neither `action` nor `actions`',
    code: 'LOGIC.ACTION_AND_ACTIONS',
    problems: () => seedBook([{ name: 'nothing' }]),
    file: 'logic.yaml',
    path: 'phases[0]',
    message: /action/,
  },
  {
    broken: '`order` and `after` on one phase',
    code: 'LOGIC.ORDER_AND_AFTER',
    problems: () => seedBook([{ action: 'stop', order: ['X', 'Y'], after: { Y: ['X'] } }]),
    file: 'logic.yaml',
    path: /^phases\[0\](\.order|\.after)?$/,
    message: /order.*after|after.*order/,
  },
  {
    broken: 'a component twice in one `order`',
    code: 'LOGIC.ORDER_DUPLICATE',
    problems: () => seedBook([{ action: 'stop', order: ['X', ['Y', 'X']] }]),
    file: 'logic.yaml',
    path: /^phases\[0\]\.order\[1\]/,
    message: '"X"',
  },
  {
    broken: 'a cycle in `after`',
    code: 'LOGIC.CYCLE',
    problems: () => seedBook([{ action: 'stop', after: { X: ['Y'], Y: ['Z'], Z: ['X'] } }]),
    file: 'logic.yaml',
    path: /^phases\[0\]\.after/,
    message: /X.*Y.*Z.*X|Y.*Z.*X.*Y|Z.*X.*Y.*Z|X.*Z.*Y.*X/,
  },
  {
    broken: '`split.count` with `size`',
    code: 'LOGIC.SPLIT_COUNT',
    problems: () => seedBook([{ action: 'stop', split: { count: 2, size: 1 } }]),
    file: 'logic.yaml',
    path: /^phases\[0\]\.split/,
    message: /count/,
  },
  {
    broken: '`once_per` and `once` on one phase',
    code: 'LOGIC.ONCE_BOTH',
    problems: () => seedBook([{ action: 'stop', once_per: 'role', once: true }]),
    file: 'logic.yaml',
    path: /^phases\[0\]/,
    message: /once/,
  },
  {
    broken: 'a global phase with `where`',
    code: 'LOGIC.GLOBAL_KEYS',
    problems: () =>
      seedBook([
        { scope: 'global', target: 'nova', action: 'pin', where: { roles: ['management'] } },
      ]),
    file: 'logic.yaml',
    path: 'phases[0].where',
    message: /where/,
  },
  {
    broken: '`target` on a host phase',
    code: 'LOGIC.TARGET_WITHOUT_GLOBAL',
    problems: () => seedBook([{ action: 'stop', target: 'nova' }]),
    file: 'logic.yaml',
    path: 'phases[0].target',
    message: /global/,
  },
  {
    broken: '`when.release` outside a per-release block',
    code: 'LOGIC.RELEASE_OUTSIDE_BLOCK',
    problems: () =>
      seedWith({
        descriptor: descriptor([pkg('X', '2.0')], { releases: ['pike', 'queens'] }),
        logicBook: book([{ action: 'stop', when: { release: ['pike'] } }]),
      }),
    file: 'logic.yaml',
    path: /^phases\[0\]\.when/,
    message: /per_release/,
  },
  {
    broken: 'a phase naming a role that exists nowhere',
    code: 'LOGIC.UNKNOWN_REF',
    problems: () => seedBook([{ action: 'stop', where: { roles: ['managment'] } }]),
    file: 'logic.yaml',
    path: 'phases[0].where.roles[0]',
    message: '"managment"',
  },
  {
    broken: 'an odd role left with an even number of hosts',
    code: 'PLAN.INVARIANT_ODD',
    problems: () =>
      seedWith({
        descriptor: descriptor([pkg('X', '2.0')], {
          nodes: { add: [node('C', 'compute', { X: '2.0' })] },
        }),
        logicBook: { ...membershipBook([{ action: 'install' }]), invariants: { odd: ['compute'] } },
      }),
    file: 'logic.yaml',
    path: 'invariants.odd[0]',
    message: '"compute"',
  },
  {
    broken: 'two phases creating one task id',
    code: 'PLAN.DUPLICATE_TASK',
    problems: () => seedBook([{ action: 'stop' }, { name: 'stop-again', action: 'stop' }]),
    file: 'logic.yaml',
    path: /^phases\[1\]/,
    message: /"stop".*"stop-again"|"stop-again".*"stop"/,
  },
  {
    broken: 'phases running start before stop',
    code: 'PLAN.MODE_ORDER',
    problems: () => seedBook([{ action: 'start' }, { action: 'stop' }]),
    file: 'logic.yaml',
    path: 'phases[1]',
    message: /A\/X.*stop.*start|A\/X.*start.*stop/,
  },
  {
    broken: 'a plan file of another format',
    code: 'PLAN.FORMAT',
    problems: () => planFile((f) => (f.format = 'ferry.plan/v2')),
    file: 'plan.json',
    path: 'format',
    message: 'ferry.plan/v1',
  },
  {
    broken: 'a mission id without a record',
    code: 'PLAN.UNKNOWN_TASK',
    problems: () =>
      checkEdited((m) => {
        m[0][0][0].push('A_Z_dispatch');
        return m;
      }),
    file: 'plan.json',
    path: 'mission[0][0][0][2]',
    message: '"A_Z_dispatch"',
  },
  {
    broken: 'a task twice in the mission',
    code: 'PLAN.TASK_TWICE',
    problems: () =>
      checkEdited((m) => {
        m[6][0][0].push('A_X_start');
        m[6][0].push(['A_X_start']);
        return m.slice(0, 7);
      }),
    file: 'plan.json',
    path: /^mission\[6\]\[0\]\[1\]/,
    message: '"A_X_start"',
  },
  {
    broken: 'a record the mission does not hold',
    code: 'PLAN.TASK_UNSCHEDULED',
    problems: () => checkEdited((m) => m.slice(0, 6)),
    file: 'plan.json',
    path: /A_X_start/,
    message: '"A_X_start"',
  },
  {
    broken: 'a job holding a task of another host',
    code: 'PLAN.FOREIGN_TASK',
    problems: () =>
      checkEdited((m) => {
        m[0] = [[['A_X_dispatch', 'A_Y_dispatch', 'B_X_dispatch']]];
        return m;
      }),
    file: 'plan.json',
    path: 'mission[0][0][0][2]',
    message: '"B_X_dispatch"',
  },
  {
    broken: 'two jobs for one host in a batch',
    code: 'PLAN.HOST_TWICE',
    problems: () =>
      checkEdited((m) => {
        m[0] = [[['A_X_dispatch']], [['A_Y_dispatch']], [['B_X_dispatch']]];
        return m;
      }),
    file: 'plan.json',
    path: /^mission\[0\]\[1\]/,
    message: '"A"',
  },
  {
    broken: 'a record that does not match its id',
    code: 'PLAN.TASK_ID',
    problems: () =>
      checkEdited(
        (m) => m,
        (tasks) => {
          const rec = tasks.get('B_X_stop') as TaskRecord;
          tasks.set('B_X_stop', { ...rec, target: 'Y' });
        },
      ),
    file: 'plan.json',
    path: /B_X_stop/,
    message: 'B_Y_stop',
  },
  {
    broken: 'a record with a mode the logic book lacks',
    code: 'PLAN.UNKNOWN_MODE',
    problems: () =>
      checkEdited(
        (m) => m,
        (tasks) => {
          const rec = tasks.get('B_X_stop') as TaskRecord;
          tasks.set('B_X_stop', { ...rec, mode: 'rolling' });
        },
      ),
    file: 'plan.json',
    path: /B_X_stop/,
    message: '"rolling"',
  },
  {
    broken: 'a slicing command with `command` and `phases`',
    code: 'SLICE.COMMAND_AND_PHASES',
    problems: () => slice({ command: 'upgrade', phases: ['stop'] }),
    file: 'command.json',
    path: /^(command|phases)$/,
    message: /command.*phases/,
  },
  {
    broken: 'an unknown command',
    code: 'SLICE.UNKNOWN_COMMAND',
    problems: () => slice({ command: 'upgarde' }),
    file: 'command.json',
    path: 'command',
    message: '"upgarde"',
  },
  {
    broken: 'an unknown phase',
    code: 'SLICE.UNKNOWN_PHASE',
    problems: () => slice({ phases: ['stop', 'stp'] }),
    file: 'command.json',
    path: 'phases[1]',
    message: '"stp"',
  },
  {
    broken: 'an unknown host',
    code: 'SLICE.UNKNOWN_HOST',
    problems: () => slice({ hosts: ['C'] }),
    file: 'command.json',
    path: 'hosts[0]',
    message: '"C"',
  },
  {
    broken: 'an unknown component',
    code: 'SLICE.UNKNOWN_COMPONENT',
    problems: () => slice({ components: ['W'] }),
    file: 'command.json',
    path: 'components[0]',
    message: '"W"',
  },
  {
    broken: 'an unknown role',
    code: 'SLICE.UNKNOWN_ROLE',
    problems: () => slice({ roles: ['network'] }),
    file: 'command.json',
    path: 'roles[0]',
    message: '"network"',
  },
  {
    broken: 'an instance without tasks',
    code: 'SLICE.UNKNOWN_INSTANCE',
    problems: () => slice({ instances: ['B/Y'] }),
    file: 'command.json',
    path: 'instances[0]',
    message: '"B/Y"',
  },
  {
    broken: 'an action no task has',
    code: 'SLICE.UNKNOWN_ACTION',
    problems: () => slice({ actions: ['reload'] }),
    file: 'command.json',
    path: 'actions[0]',
    message: '"reload"',
  },
  {
    broken: 'a regroup that leaves a host out',
    code: 'SLICE.REGROUP',
    problems: () => slice({ regroup: { phase: 'stop', hosts: [['A']] } }),
    file: 'command.json',
    path: 'regroup.hosts',
    message: 'B',
  },
  {
    broken: 'a sim:// URL with a malformed parameter',
    code: 'SIM.BAD_URL',
    problems: () => problems(parseSimUrl('sim://nodes=ten')),
    file: 'sim://nodes=ten',
    path: 'nodes',
    message: 'ten',
  },
];

describe('problem codes', () => {
  it.each(CASES)('$code: $broken', ({ code, problems: run, file, path, message }) => {
    const found = run();
    const matching = found.filter((p) => p.code === code);
    expect(matching).toContainEqual(
      expect.objectContaining({
        code,
        file,
        path: typeof path === 'string' ? path : expect.stringMatching(path),
        message:
          typeof message === 'string'
            ? expect.stringContaining(message)
            : expect.stringMatching(message),
      }),
    );
    // Minimal inputs: nothing else is wrong with them.
    expect(found.filter((p) => p.code !== code).map(formatProblem)).toEqual([]);
  });

  it('has a failing input for every code of PROBLEM_CODES', () => {
    const covered = new Set(CASES.map((c) => c.code));
    expect(Object.keys(PROBLEM_CODES).filter((c) => !covered.has(c as ProblemCode))).toEqual([]);
  });

  it('gives every problem a non-empty message', () => {
    for (const c of CASES)
      for (const p of c.problems()) expect(p.message.length).toBeGreaterThan(10);
  });
});

describe('every problem is reported, not only the first', () => {
  it('reports three structural errors in three files as three problems', () => {
    const found = problems(
      compile({
        inventory: inventory(node('A b', 'm', { X: '1.0' })),
        descriptor: { name: 'd', packages: [{ component: 'X', version: '2.0' }] },
        logicBook: book([{ action: 'stop', splitt: { size: 1 } }]),
      }),
    );
    expect(found.map((p) => [p.file, p.code, p.path])).toEqual([
      ['inventory.yaml', 'INPUT.BAD_NAME', 'nodes[0].id'],
      ['descriptor.yaml', 'INPUT.MISSING_KEY', 'packages[0].mode'],
      ['logic.yaml', 'INPUT.UNKNOWN_KEY', 'phases[0].splitt'],
    ]);
  });

  it('reports three rule violations in three files as three problems', () => {
    const found = problems(
      compile({
        inventory: inventory(node('A', 'm', { X: '1.0' }), node('A', 'm', { X: '1.0' })),
        descriptor: descriptor([pkg('X', '2.0')], { releases: ['r1', 'r1'] }),
        logicBook: book([{ action: 'stop' }, { name: 'stop', action: 'start' }]),
      }),
    );
    expect(found.map((p) => [p.file, p.code]).sort()).toEqual([
      ['descriptor.yaml', 'DESCRIPTOR.DUPLICATE_RELEASE'],
      ['inventory.yaml', 'INVENTORY.DUPLICATE_NODE'],
      ['logic.yaml', 'LOGIC.DUPLICATE_PHASE'],
    ]);
  });

  it("does not let one file's syntax error hide the other files' own errors", () => {
    const found = problems(
      compile({
        inventory: 'nodes: [',
        descriptor: descriptor([pkg('X', '2.0')], { releases: ['r1', 'r1'] }),
        logicBook: book([{ action: 'stop' }, { name: 'stop', action: 'start' }]),
      }),
    );
    expect(found.map((p) => [p.file, p.code]).sort()).toEqual([
      ['descriptor.yaml', 'DESCRIPTOR.DUPLICATE_RELEASE'],
      ['inventory.yaml', 'INPUT.SYNTAX'],
      ['logic.yaml', 'LOGIC.DUPLICATE_PHASE'],
    ]);
  });

  it('reports every unknown reference of one logic book', () => {
    const found = seedBook([
      { action: 'stop', where: { roles: ['managment'], nodes: ['C'], components: ['W'] } },
      { action: 'start', order: ['X', 'V'] },
    ]);
    expect(found.map((p) => [p.code, p.path])).toEqual([
      ['LOGIC.UNKNOWN_REF', 'phases[0].where.components[0]'],
      ['LOGIC.UNKNOWN_REF', 'phases[0].where.roles[0]'],
      ['LOGIC.UNKNOWN_REF', 'phases[0].where.nodes[0]'],
      ['LOGIC.UNKNOWN_REF', 'phases[1].order[1]'],
    ]);
  });
});

describe('structural errors in every file kind', () => {
  it.each<[string, () => Problem[], ProblemCode, string]>([
    [
      'a plan file with an unknown key',
      () => planFile((f) => (f.extra = 1)),
      'INPUT.UNKNOWN_KEY',
      'extra',
    ],
    [
      'a plan file without a mission',
      () => planFile((f) => delete f.mission),
      'INPUT.MISSING_KEY',
      'mission',
    ],
    [
      'a plan file with a numeric layer as text',
      () =>
        planFile((f) => {
          const tasks = f.tasks as Record<string, Record<string, unknown>>;
          tasks.A_X_stop.layer = 'zero';
        }),
      'INPUT.TYPE',
      'tasks.A_X_stop.layer',
    ],
    [
      'a slicing command with an unknown key',
      () => problems(readSliceCommand({ command: 'upgrade', hostz: ['A'] }, 'command.json')),
      'INPUT.UNKNOWN_KEY',
      'hostz',
    ],
  ])('%s is an INPUT problem', (_what, run, code, path) => {
    const found = run();
    expect(found).toContainEqual(expect.objectContaining({ code, path }));
  });

  it('a descriptor version written as a number is INPUT.VERSION_NOT_STRING', () => {
    const found = seedWith({
      descriptor: 'name: d\npackages:\n  - { component: X, version: 2.0, mode: restart }\n',
    });
    expect(found).toEqual([
      expect.objectContaining({
        code: 'INPUT.VERSION_NOT_STRING',
        file: 'descriptor.yaml',
        path: 'packages[0].version',
      }),
    ]);
  });

  it('a node id may hold ":" but a component name may not', () => {
    expect(seedWith({ inventory: inventory(node('rack1:A', 'management', { X: '1.0' })) })).toEqual(
      [],
    );
    expect(seedWith({ inventory: inventory(node('A', 'management', { 'X:1': '1.0' })) })).toEqual([
      expect.objectContaining({ code: 'INPUT.BAD_NAME', path: 'nodes[0].components[0].name' }),
    ]);
  });

  it.each([['a b'], ['a/b'], ['a@b'], ['a;b'], ['$(x)']])('rejects the node id %j', (id) => {
    expect(seedWith({ inventory: inventory(node(id, 'm', { X: '1.0' })) })).toEqual([
      expect.objectContaining({ code: 'INPUT.BAD_NAME', path: 'nodes[0].id' }),
    ]);
  });
});

describe('readPlan', () => {
  it('reads a plan file written by planToJson', () => {
    const plan: Plan = seedPlan();
    const back = readPlan(planToJson(plan), 'plan.json');
    expect(back.ok && back.value).toEqual(plan);
  });
});
