/**
 * Edited plans (plan-format.md, last paragraph; logic-book.md, "Mode order"): `checkPlan` accepts
 * a plan only if its mission and records agree and every instance keeps its mode's order, and
 * `canonicalPlan` puts an edited plan back into canonical form.
 */
import type { Mission, Plan, TaskRecord } from '../model/plan';
import type { Problem } from '../problems/problem';
import {
  book,
  compileOk,
  descriptor,
  edited,
  inventory,
  node,
  pkg,
  RESTART,
  seedPlan,
} from '../testing/builders.fixtures';
import { canonicalPlan } from './canonical';
import { checkPlan, FORCEABLE } from './check-plan';

function check(plan: Plan, modes = plan.modes): Problem[] {
  return checkPlan(plan, modes, 'plan.json');
}

const codes = (problems: Problem[]) => problems.map((p) => p.code);

/** The seed plan with its mission replaced. */
function seedWithMission(mission: Mission): Plan {
  return edited(seedPlan(), mission);
}

/** A (dispatch), then per release r1, r2: stop@r, start@r, on one instance A/X. */
function releasePlan(): Plan {
  return compileOk({
    inventory: inventory(node('A', 'm', { X: '1' })),
    descriptor: descriptor([pkg('X', '2')], { releases: ['r1', 'r2'] }),
    logicBook: book([
      { action: 'dispatch' },
      { action: 'stop', per_release: true },
      { action: 'start', per_release: true },
    ]),
  }).plan;
}

const one = (id: string): Mission[number] => [[[id]]];

describe('checkPlan on compiled plans', () => {
  it('accepts the seed plan', () => {
    expect(check(seedPlan())).toEqual([]);
  });

  it('accepts a per-release plan', () => {
    expect(check(releasePlan())).toEqual([]);
  });

  it('accepts a plan with verify and global tasks', () => {
    const { plan } = compileOk({
      inventory: inventory(node('A', 'm', { X: '1' })),
      descriptor: descriptor([pkg('X', '2')]),
      logicBook: book([
        { name: 'pin', scope: 'global', target: 'nova', action: 'pin-rpc' },
        { actions: ['stop', 'uprpm', 'start'], verify: 'healthcheck' },
      ]),
    });
    expect(check(plan)).toEqual([]);
  });
});

describe('checkPlan: the mission and `tasks` agree', () => {
  it('rejects an id of the mission that `tasks` does not describe', () => {
    const mission = structuredClone(seedPlan().mission);
    mission[1][1][0].push('B_Y_check');
    expect(check(seedWithMission(mission))).toEqual([
      expect.objectContaining({
        code: 'PLAN.UNKNOWN_TASK',
        file: 'plan.json',
        path: 'mission[1][1][0][1]',
      }),
    ]);
  });

  it('rejects a task that appears twice, naming where it first was', () => {
    const mission = structuredClone(seedPlan().mission);
    mission.push([[['A_X_start']]]);
    const problems = check(seedWithMission(mission));
    expect(problems).toEqual([
      expect.objectContaining({ code: 'PLAN.TASK_TWICE', path: 'mission[7][0][0][0]' }),
    ]);
    expect(problems[0].message).toContain('mission[6][0][0][0]');
  });

  it('rejects a task described in `tasks` but not scheduled', () => {
    const mission = structuredClone(seedPlan().mission);
    mission[0][0][0] = ['A_X_dispatch'];
    const problems = check(seedWithMission(mission));
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAN.TASK_UNSCHEDULED' })]);
    expect(problems[0].path).toContain('A_Y_dispatch');
  });

  it('rejects a record whose host, target, action or release does not match its id', () => {
    const plan = seedPlan();
    const tasks = new Map(plan.tasks);
    const rec = (id: string) => plan.tasks.get(id) as TaskRecord;
    tasks.set('A_X_stop', { ...rec('A_X_stop'), action: 'uprpm' });
    tasks.set('B_X_stop', { ...rec('B_X_stop'), release: 'r1' });
    tasks.set('A_Y_stop', { ...rec('A_Y_stop'), host: 'B' });
    tasks.set('A_Y_start', { ...rec('A_Y_start'), target: 'Z' });
    const problems = check(edited(plan, plan.mission, tasks)).filter(
      (p) => p.code === 'PLAN.TASK_ID',
    );
    expect(problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"A_X_uprpm"'),
        expect.stringContaining('"B_X_stop@r1"'),
        expect.stringContaining('"B_Y_stop"'),
        expect.stringContaining('"A_Z_start"'),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('rejects a record whose mode the logic book does not have', () => {
    const plan = seedPlan();
    const tasks = new Map(plan.tasks);
    tasks.set('A_X_check', { ...(plan.tasks.get('A_X_check') as TaskRecord), mode: 'hot' });
    expect(check(edited(plan, plan.mission, tasks))).toEqual([
      expect.objectContaining({ code: 'PLAN.UNKNOWN_MODE' }),
    ]);
  });

  it("checks modes against the logic book's, not the plan's copy", () => {
    expect(codes(check(seedPlan(), { hot: ['dispatch', 'uprpm'] }))).toContain('PLAN.UNKNOWN_MODE');
  });

  it('reports every broken rule at once', () => {
    const mission = structuredClone(seedPlan().mission);
    mission[0][0][0].push('A_Q_dispatch', 'B_X_dispatch');
    mission[0].push([['A_X_check']]);
    mission[1][0][0] = ['A_Y_check'];
    mission.pop();
    expect(new Set(codes(check(seedWithMission(mission))))).toEqual(
      new Set([
        'PLAN.UNKNOWN_TASK',
        'PLAN.FOREIGN_TASK',
        'PLAN.TASK_TWICE',
        'PLAN.HOST_TWICE',
        'PLAN.TASK_UNSCHEDULED',
        'PLAN.MODE_ORDER',
      ]),
    );
  });
});

describe('checkPlan: jobs and hosts', () => {
  it('rejects a job holding a task of another host', () => {
    const mission = structuredClone(seedPlan().mission);
    mission[4] = [[['A_X_uprpm', 'A_Y_uprpm'], ['B_X_uprpm']]];
    const problems = check(seedWithMission(mission));
    expect(problems).toEqual([
      expect.objectContaining({ code: 'PLAN.FOREIGN_TASK', path: 'mission[4][0][1][0]' }),
    ]);
    expect(problems[0].message).toContain('"B"');
  });

  it('rejects two jobs for one host in a batch', () => {
    const mission = structuredClone(seedPlan().mission);
    mission[4] = [[['A_X_uprpm']], [['B_X_uprpm']], [['A_Y_uprpm']]];
    expect(check(seedWithMission(mission))).toEqual([
      expect.objectContaining({ code: 'PLAN.HOST_TWICE', path: 'mission[4][2]' }),
    ]);
  });

  it('accepts jobs moved between batches when every instance keeps its order', () => {
    // Y is stopped before X on host A: different instances, so no rule is broken.
    const mission = structuredClone(seedPlan().mission);
    [mission[2], mission[3]] = [mission[3], mission[2]];
    expect(check(seedWithMission(mission))).toEqual([]);
  });
});

describe('checkPlan: mode order', () => {
  it("rejects an instance whose tasks run out of its mode's order, naming the instance and both actions", () => {
    const mission = structuredClone(seedPlan().mission);
    [mission[4], mission[6]] = [mission[6], mission[4]];
    const problems = check(seedWithMission(mission)).filter((p) => p.code === 'PLAN.MODE_ORDER');
    expect(problems.length).toBeGreaterThan(0);
    const aX = problems.find((p) => p.message.includes('A/X'));
    expect(aX?.message).toMatch(/"uprpm"/);
    expect(aX?.message).toMatch(/"start"/);
  });

  it('rejects two actions of one instance in one stage (they would run in parallel)', () => {
    const mission = structuredClone(seedPlan().mission);
    mission[2] = [[['A_X_stop', 'A_X_uprpm']], [['B_X_stop']]];
    mission[4] = [[['A_Y_uprpm']], [['B_X_uprpm']]];
    const problems = check(seedWithMission(mission));
    expect(codes(problems)).toEqual(['PLAN.MODE_ORDER']);
    expect(problems[0].message).toContain('A/X');
  });

  it('follows the stages of a job in order', () => {
    const mission = structuredClone(seedPlan().mission);
    mission.splice(4, 1);
    mission.splice(4, 0, [[['A_X_uprpm', 'A_Y_uprpm']], [['B_X_start'], ['B_X_uprpm']]]);
    const late = mission[6].filter((job) => job[0][0] !== 'B_X_start');
    mission[6] = late;
    expect(codes(check(seedWithMission(mission)))).toEqual(['PLAN.MODE_ORDER']);
  });

  it('checks each release on its own: r1 and r2 may interleave', () => {
    const plan = releasePlan();
    const mission = [
      one('A_X_dispatch'),
      one('A_X_stop@r1'),
      one('A_X_stop@r2'),
      one('A_X_start@r1'),
      one('A_X_start@r2'),
    ];
    expect(check(edited(plan, mission))).toEqual([]);
  });

  it('compares tasks of two releases in one stage with neither', () => {
    const plan = releasePlan();
    const mission = [
      one('A_X_dispatch'),
      one('A_X_stop@r1'),
      [[['A_X_start@r1', 'A_X_stop@r2']]],
      one('A_X_start@r2'),
    ];
    expect(check(edited(plan, mission))).toEqual([]);
  });

  it('rejects a release whose own tasks are out of order', () => {
    const plan = releasePlan();
    const mission = [
      one('A_X_dispatch'),
      one('A_X_stop@r1'),
      one('A_X_start@r2'),
      one('A_X_start@r1'),
      one('A_X_stop@r2'),
    ];
    const problems = check(edited(plan, mission));
    expect(problems).toEqual([
      expect.objectContaining({ code: 'PLAN.MODE_ORDER', path: 'mission[4][0][0]' }),
    ]);
  });

  it('counts a task of no release for every release', () => {
    const plan = releasePlan();
    const mission = [
      one('A_X_stop@r1'),
      one('A_X_dispatch'),
      one('A_X_start@r1'),
      one('A_X_stop@r2'),
      one('A_X_start@r2'),
    ];
    const problems = check(edited(plan, mission));
    expect(codes(problems)).toEqual(['PLAN.MODE_ORDER']);
    expect(problems[0].message).toContain('"dispatch"');
  });

  it('counts a task of no release for a release whose tasks come later', () => {
    const plan = releasePlan();
    const mission = [
      one('A_X_stop@r1'),
      one('A_X_start@r1'),
      one('A_X_stop@r2'),
      one('A_X_start@r2'),
      one('A_X_dispatch'),
    ];
    const problems = check(edited(plan, mission));
    expect(problems.length).toBeGreaterThan(0);
    expect(new Set(codes(problems))).toEqual(new Set(['PLAN.MODE_ORDER']));
  });

  it('is the only rule an admin may force', () => {
    expect([...FORCEABLE]).toEqual(['PLAN.MODE_ORDER']);
  });
});

describe('canonicalPlan', () => {
  it('leaves a compiled plan unchanged', () => {
    const plan = seedPlan();
    const canonical = canonicalPlan(plan);
    expect(canonical.mission).toEqual(plan.mission);
    expect(canonical.phases).toEqual(plan.phases);
  });

  it('orders jobs by host and tasks by id, both in natural order', () => {
    const { plan } = compileOk({
      inventory: inventory(
        node('n10', 'w', { c1: '1', c10: '1', c2: '1' }),
        node('n2', 'w', { c1: '1' }),
      ),
      descriptor: descriptor([pkg('c1', '2'), pkg('c2', '2'), pkg('c10', '2')]),
      logicBook: book([{ action: 'stop' }], { modes: { restart: RESTART } }),
    });
    const scrambled = edited(plan, [
      [[['n10_c10_stop', 'n10_c2_stop', 'n10_c1_stop']], [['n2_c1_stop']]],
    ]);
    expect(canonicalPlan(scrambled).mission).toEqual([
      [[['n2_c1_stop']], [['n10_c1_stop', 'n10_c2_stop', 'n10_c10_stop']]],
    ]);
  });

  it('drops empty stages, jobs and batches', () => {
    const plan = seedPlan();
    const mission = structuredClone(plan.mission);
    mission.splice(3, 0, [], [[]], [[[]]]);
    mission[0][1].push([]);
    mission[0].unshift([[]]);
    const canonical = canonicalPlan(edited(plan, mission));
    expect(canonical.mission).toEqual(plan.mission);
    expect(canonical.phases).toEqual(plan.phases);
  });

  it('recomputes phase ranges from where their tasks are, an empty phase where the previous one ended', () => {
    const plan = seedPlan();
    const tasks = new Map(plan.tasks);
    for (const id of ['A_X_check', 'A_Y_check', 'B_X_check']) tasks.delete(id);
    const mission = structuredClone(plan.mission);
    mission[1] = [];
    mission.splice(4, 0, [[[]]]);
    const canonical = canonicalPlan(edited(plan, mission, tasks));
    expect(canonical.phases.map((p) => [p.name, p.batches])).toEqual([
      ['dispatch', [0, 1]],
      ['check', [1, 1]],
      ['stop', [1, 3]],
      ['uprpm', [3, 4]],
      ['start', [4, 6]],
    ]);
  });

  it('is idempotent and keeps the records', () => {
    const plan = seedPlan();
    const mission = structuredClone(plan.mission).reverse();
    const once = canonicalPlan(edited(plan, mission));
    const twice = canonicalPlan(once);
    expect(twice.mission).toEqual(once.mission);
    expect(twice.phases).toEqual(once.phases);
    expect(twice.tasks).toEqual(plan.tasks);
  });
});
