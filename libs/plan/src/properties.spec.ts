/**
 * Properties of every compiled plan and every slice, over small random inputs (fast-check). The
 * oracles below are written from plan-format.md and logic-book.md, independently of the code.
 */
import fc from 'fast-check';
import { checkPlan } from './check/check-plan';
import { canonicalPlan } from './check/canonical';
import { planToJson } from './format/plan-json';
import { readPlan } from './input/read-plan';
import {
  GLOBAL_HOST,
  type Mission,
  type Plan,
  type SliceCommand,
  type TaskRecord,
} from './model/plan';
import { naturalCompare } from './order/natural';
import { slicePlan } from './slice/slice';
import {
  buildSlice,
  inputChoice,
  buildSources,
  sliceChoice,
  sources,
} from './testing/arbitraries.fixtures';
import { compile, valueOf, type Sources } from './testing/builders.fixtures';
import { formatProblem } from './problems/problem';

const RUNS = { numRuns: 100 };

function compiled(s: Sources): Plan {
  const result = compile(s);
  if (!result.ok) {
    throw new Error(
      `generated inputs do not compile:\n${result.problems.map(formatProblem).join('\n')}\n${JSON.stringify(s)}`,
    );
  }
  return result.value.plan;
}

const flat = (mission: Mission): string[] => mission.flat(3);
const base = (phase: string) => phase.split('@')[0];

/** Every pair of tasks of one instance (same release, or one of no release) in mode order. */
function modeOrderBreaks(plan: Plan): string[] {
  interface Entry {
    id: string;
    b: number;
    s: number;
    index: number;
    release: string | null;
  }
  const byInstance = new Map<string, Entry[]>();
  plan.mission.forEach((batch, b) =>
    batch.forEach((job) =>
      job.forEach((stage, s) =>
        stage.forEach((id) => {
          const rec = plan.tasks.get(id) as TaskRecord;
          if (rec.mode === null) return;
          const index = (plan.modes[rec.mode] ?? []).indexOf(rec.action);
          if (index < 0) return;
          const key = `${rec.host}/${rec.target}`;
          const list = byInstance.get(key) ?? [];
          list.push({ id, b, s, index, release: rec.release });
          byInstance.set(key, list);
        }),
      ),
    ),
  );
  const breaks: string[] = [];
  for (const entries of byInstance.values()) {
    for (const p of entries) {
      for (const q of entries) {
        if (p.release !== null && q.release !== null && p.release !== q.release) continue;
        const earlier = p.b < q.b || (p.b === q.b && p.s < q.s);
        const same = p.b === q.b && p.s === q.s;
        if ((earlier && p.index > q.index) || (same && p.index !== q.index))
          breaks.push(`${p.id} / ${q.id}`);
      }
    }
  }
  return breaks;
}

/** Canonical form (plan-format.md): one job per host ordered by host, stages sorted, no empties. */
function canonicalBreaks(plan: Plan): string[] {
  const breaks: string[] = [];
  plan.mission.forEach((batch, b) => {
    if (batch.length === 0) breaks.push(`batch ${b} is empty`);
    const hosts = batch.map((job) => {
      if (job.length === 0) breaks.push(`an empty job in batch ${b}`);
      const owners = new Set(job.flat().map((id) => plan.tasks.get(id)?.host));
      if (owners.size !== 1) breaks.push(`a job of batch ${b} has hosts ${[...owners].join(',')}`);
      for (const stage of job) {
        if (stage.length === 0) breaks.push(`an empty stage in batch ${b}`);
        for (let i = 1; i < stage.length; i++)
          if (naturalCompare(stage[i - 1], stage[i]) >= 0)
            breaks.push(`stage ${stage.join(',')} is not sorted`);
      }
      return [...owners][0] ?? '';
    });
    for (let i = 1; i < hosts.length; i++)
      if (naturalCompare(hosts[i - 1], hosts[i]) >= 0)
        breaks.push(`batch ${b}: ${hosts[i - 1]} before ${hosts[i]}`);
  });
  return breaks;
}

/** Phase ranges follow each other, cover the mission, and hold their tasks. */
function rangeBreaks(plan: Plan): string[] {
  const breaks: string[] = [];
  let end = 0;
  for (const p of plan.phases) {
    if (p.batches[0] !== end) breaks.push(`${p.name} starts at ${p.batches[0]}, not ${end}`);
    if (p.batches[1] < p.batches[0]) breaks.push(`${p.name} ends before it starts`);
    end = p.batches[1];
  }
  if (end !== plan.mission.length)
    breaks.push(`the phases end at ${end} of ${plan.mission.length}`);
  plan.mission.forEach((batch, b) => {
    for (const id of batch.flat(2)) {
      const phase = plan.phases.find((p) => p.name === plan.tasks.get(id)?.phase);
      if (!phase || b < phase.batches[0] || b >= phase.batches[1])
        breaks.push(`${id} (batch ${b}) is outside its phase's range`);
    }
  });
  return breaks;
}

/** The current plan as logic-book.md's slicing table defines it, computed independently. */
function expectedSlice(plan: Plan, command: SliceCommand, done: Set<string>): Mission {
  const phases = command.command
    ? new Set(plan.commands[command.command])
    : command.phases
      ? new Set(command.phases)
      : null;
  const keep = (id: string, r: TaskRecord): boolean => {
    if (phases && !phases.has(r.phase) && !phases.has(base(r.phase))) return false;
    if (command.components && !command.components.includes(r.target)) return false;
    if (command.actions && !command.actions.includes(r.action)) return false;
    if (r.host !== GLOBAL_HOST) {
      if (command.hosts && !command.hosts.includes(r.host)) return false;
      const roles = plan.hosts.get(r.host)?.roles ?? [];
      if (command.roles && !command.roles.some((role) => roles.includes(role))) return false;
      if (command.instances && !command.instances.includes(`${r.host}/${r.target}`)) return false;
    }
    if (command.exclude_done !== false && done.has(id)) return false;
    return true;
  };
  return plan.mission
    .map((batch) =>
      batch
        .map((job) =>
          job
            .map((stage) => stage.filter((id) => keep(id, plan.tasks.get(id) as TaskRecord)))
            .filter((stage) => stage.length > 0),
        )
        .filter((job) => job.length > 0),
    )
    .filter((batch) => batch.length > 0);
}

function isSubsequence(small: string[], big: string[]): boolean {
  let i = 0;
  for (const x of big) if (i < small.length && small[i] === x) i++;
  return i === small.length;
}

describe('every compiled plan', () => {
  it('holds every task exactly once, and `tasks` describes exactly the ids of the mission', () => {
    fc.assert(
      fc.property(sources, (s) => {
        const plan = compiled(s);
        const ids = flat(plan.mission);
        expect(new Set(ids).size).toBe(ids.length);
        expect([...plan.tasks.keys()].sort()).toEqual([...ids].sort());
      }),
      RUNS,
    );
  });

  it("keeps the tasks of every instance in their mode's action order, per release", () => {
    fc.assert(
      fc.property(sources, (s) => {
        expect(modeOrderBreaks(compiled(s))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('is canonical: jobs by host, stages sorted by naturalCompare, no empty levels', () => {
    fc.assert(
      fc.property(sources, (s) => {
        const plan = compiled(s);
        expect(canonicalBreaks(plan)).toEqual([]);
        expect(canonicalPlan(plan).mission).toEqual(plan.mission);
        expect(canonicalPlan(plan).phases).toEqual(plan.phases);
      }),
      RUNS,
    );
  });

  it('gives each phase the range of the mission that holds its tasks, in mission order', () => {
    fc.assert(
      fc.property(sources, (s) => {
        expect(rangeBreaks(compiled(s))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('passes checkPlan against its own modes', () => {
    fc.assert(
      fc.property(sources, (s) => {
        const plan = compiled(s);
        expect(checkPlan(plan, plan.modes, 'plan.json').map(formatProblem)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('is the same text when compiled twice', () => {
    fc.assert(
      fc.property(sources, (s) => {
        expect(planToJson(compiled(s))).toBe(planToJson(compiled(structuredClone(s))));
      }),
      RUNS,
    );
  });

  it('does not depend on the order the inventory lists nodes and components in', () => {
    fc.assert(
      fc.property(inputChoice, (choice) => {
        const s = buildSources(choice);
        const shuffled = buildSources({
          ...choice,
          nodes: [...choice.nodes]
            .reverse()
            .map((n) => ({ ...n, components: [...n.components].reverse() })),
          // `remove` names a node by index: keep it naming the same node.
          remove:
            choice.remove === undefined
              ? undefined
              : choice.nodes.length - 1 - (choice.remove % choice.nodes.length),
        });
        expect(planToJson(compiled(shuffled))).toBe(planToJson(compiled(s)));
      }),
      RUNS,
    );
  });

  it('reads back from its plan file as an equal plan', () => {
    fc.assert(
      fc.property(sources, (s) => {
        const plan = compiled(s);
        expect(valueOf(readPlan(planToJson(plan), 'plan.json'))).toEqual(plan);
      }),
      RUNS,
    );
  });
});

describe('checkPlan on randomly edited plans', () => {
  it('reports PLAN.MODE_ORDER exactly when an instance leaves its mode order, and nothing else', () => {
    fc.assert(
      fc.property(
        sources,
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (s, i, j, k, mergeStages) => {
          const plan = compiled(s);
          fc.pre(plan.mission.length > 1);
          const mission = structuredClone(plan.mission);
          const a = i % mission.length;
          const b = j % mission.length;
          [mission[a], mission[b]] = [mission[b], mission[a]];
          if (mergeStages) {
            // Merge two neighbouring stages of one job: their tasks would run in parallel.
            const batch = mission[a];
            const job = batch[k % batch.length];
            if (job.length > 1) {
              const at = k % (job.length - 1);
              job.splice(at, 2, [...job[at], ...job[at + 1]]);
            }
          }
          const changed: Plan = { ...plan, mission };
          const problems = checkPlan(changed, plan.modes, 'plan.json');
          expect(problems.filter((p) => p.code !== 'PLAN.MODE_ORDER').map(formatProblem)).toEqual(
            [],
          );
          expect(problems.length > 0).toBe(modeOrderBreaks(changed).length > 0);
        },
      ),
      RUNS,
    );
  });
});

describe('every slice', () => {
  it('is an order-preserving subset of the plan with the same records', () => {
    fc.assert(
      fc.property(sources, sliceChoice, (s, choice) => {
        const plan = compiled(s);
        const { command, done } = buildSlice(plan, choice);
        const current = valueOf(slicePlan(plan, command, { done }));
        const ids = flat(current.mission);
        expect(isSubsequence(ids, flat(plan.mission))).toBe(true);
        expect([...current.tasks.keys()].sort()).toEqual([...ids].sort());
        for (const id of ids) expect(current.tasks.get(id)).toEqual(plan.tasks.get(id));
      }),
      RUNS,
    );
  });

  it('keeps exactly the tasks the slicing table selects', () => {
    fc.assert(
      fc.property(sources, sliceChoice, (s, choice) => {
        const plan = compiled(s);
        const { command, done } = buildSlice(plan, choice);
        const current = valueOf(slicePlan(plan, command, { done }));
        expect(current.mission).toEqual(expectedSlice(plan, command, done));
        expect(rangeBreaks(current)).toEqual([]);
        expect(current.slice).toEqual({ of: plan.name, command });
      }),
      RUNS,
    );
  });

  it('with a command and no filters equals filtering by its phases', () => {
    fc.assert(
      fc.property(sources, (s) => {
        const plan = compiled(s);
        for (const [name, phases] of Object.entries(plan.commands)) {
          const byCommand = valueOf(slicePlan(plan, { command: name }));
          const byPhases = valueOf(slicePlan(plan, { phases: [...phases] }));
          expect(byCommand.mission).toEqual(byPhases.mission);
          expect(byCommand.phases).toEqual(byPhases.phases);
          expect(byCommand.mission).toEqual(expectedSlice(plan, { command: name }, new Set()));
        }
      }),
      RUNS,
    );
  });

  it('after a regroup keeps every task once, in canonical form and mode order', () => {
    fc.assert(
      fc.property(sources, fc.nat(), fc.array(fc.nat()), (s, which, cuts) => {
        const plan = compiled(s);
        const hostPhases = plan.phases.filter((p) => {
          const ids = plan.mission.slice(p.batches[0], p.batches[1]).flat(3);
          return ids.length > 0 && ids.every((id) => plan.tasks.get(id)?.host !== GLOBAL_HOST);
        });
        fc.pre(hostPhases.length > 0);
        const phase = hostPhases[which % hostPhases.length];
        const hosts = [
          ...new Set(
            plan.mission
              .slice(phase.batches[0], phase.batches[1])
              .flat(3)
              .map((id) => (plan.tasks.get(id) as TaskRecord).host),
          ),
        ].reverse();
        const groups: string[][] = [];
        hosts.forEach((h, i) => {
          if (i === 0 || (cuts[i] ?? 0) % 2 === 1) groups.push([h]);
          else groups[groups.length - 1].push(h);
        });
        const current = valueOf(slicePlan(plan, { regroup: { phase: phase.name, hosts: groups } }));
        const ids = flat(current.mission);
        expect([...ids].sort()).toEqual(flat(plan.mission).sort());
        expect(canonicalBreaks(current)).toEqual([]);
        expect(modeOrderBreaks(current)).toEqual([]);
        expect(rangeBreaks(current)).toEqual([]);
        // The phase's hosts come group by group, in the order given.
        const range = current.phases.find((p) => p.name === phase.name)?.batches ?? [0, 0];
        const order = current.mission
          .slice(range[0], range[1])
          .flatMap((batch) =>
            batch.map((job) => (current.tasks.get(job[0][0]) as TaskRecord).host),
          );
        const groupOf = new Map(groups.flatMap((g, i) => g.map((h) => [h, i] as const)));
        const sequence = order.map((h) => groupOf.get(h) as number);
        expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
      }),
      RUNS,
    );
  });
});
