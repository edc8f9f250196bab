import {
  GLOBAL_HOST,
  type Batch,
  type Job,
  type Plan,
  type PhaseRecord,
  type Regroup,
  type TaskId,
} from '../model/plan';
import { naturalCompare } from '../order/natural';
import { failed, ok, type Problem, type Result } from '../problems/problem';

interface HostSlots {
  /** Per phase action, per layer: task ids in mission order. */
  readonly byAction: Map<number, TaskId[]>[];
  readonly verify: TaskId[];
  /** A (action, layer) list was filled from more than one stage, so it needs sorting. */
  mixed: boolean;
}

function sortedIfMixed(ids: TaskId[], mixed: boolean): TaskId[] {
  return mixed ? [...ids].sort(naturalCompare) : ids;
}

/**
 * Rebuilds one phase's chunks as the operator's host groups, in the given order (logic-book.md,
 * `regroup`): for each group a batch per layer with the phase's stages, then its verify batch.
 * Works from the plan alone: the phase record gives actions and verify, each task its layer.
 */
export function regroupPlan(plan: Plan, regroup: Regroup, file: string): Result<Plan> {
  const problem = (path: string, message: string): Problem => ({
    code: 'SLICE.REGROUP',
    file,
    path,
    message,
  });
  const phaseIndex = plan.phases.findIndex((p) => p.name === regroup.phase);
  if (phaseIndex < 0) {
    const copies = plan.phases
      .filter((p) => p.name.startsWith(`${regroup.phase}@`))
      .map((p) => p.name);
    const hint = copies.length
      ? `; a per-release copy is regrouped by its full name (${copies.join(', ')})`
      : '';
    return failed([
      {
        code: 'SLICE.UNKNOWN_PHASE',
        file,
        path: 'regroup.phase',
        message: `phase ${JSON.stringify(regroup.phase)} is not in the plan${hint}`,
      },
    ]);
  }
  const phase = plan.phases[phaseIndex];
  const [first, end] = phase.batches;
  const slots = new Map<string, HostSlots>();
  const problems: Problem[] = [];
  const actionIndex = new Map(phase.actions.map((a, i) => [a, i]));

  for (let b = first; b < end; b++) {
    for (const job of plan.mission[b]) {
      for (const stage of job) {
        const touched = new Set<TaskId[]>();
        for (const id of stage) {
          const record = plan.tasks.get(id);
          if (!record) continue;
          if (record.phase !== phase.name) {
            problems.push(
              problem(
                'regroup.phase',
                `batch ${b} holds task ${JSON.stringify(id)} of phase ${JSON.stringify(record.phase)} among phase ${JSON.stringify(phase.name)}'s; an edited plan that mixes phases in a batch cannot be regrouped`,
              ),
            );
            continue;
          }
          if (record.host === GLOBAL_HOST) {
            return failed([
              problem(
                'regroup.phase',
                `phase ${JSON.stringify(phase.name)} is a global phase (one task on ${GLOBAL_HOST}); it cannot be regrouped`,
              ),
            ]);
          }
          let host = slots.get(record.host);
          if (!host) {
            host = { byAction: phase.actions.map(() => new Map()), verify: [], mixed: false };
            slots.set(record.host, host);
          }
          let list: TaskId[];
          const a = actionIndex.get(record.action);
          if (a !== undefined && record.layer !== null) {
            const byLayer = host.byAction[a];
            list = byLayer.get(record.layer) ?? [];
            if (!byLayer.has(record.layer)) byLayer.set(record.layer, list);
          } else if (record.action === phase.verify) {
            list = host.verify;
          } else {
            problems.push(
              problem(
                'regroup.phase',
                `task ${JSON.stringify(id)} is neither one of the phase's actions (${phase.actions.join(', ')}) nor its verify action`,
              ),
            );
            continue;
          }
          if (list.length && !touched.has(list)) host.mixed = true;
          touched.add(list);
          list.push(id);
        }
      }
    }
  }
  if (problems.length) return failed(problems);

  const placed = new Map<string, number>();
  regroup.hosts.forEach((group, g) => {
    if (group.length === 0) problems.push(problem(`regroup.hosts[${g}]`, 'a group is empty'));
    group.forEach((host, h) => {
      const path = `regroup.hosts[${g}][${h}]`;
      if (!slots.has(host))
        problems.push(
          problem(
            path,
            `host ${JSON.stringify(host)} has no task in phase ${JSON.stringify(phase.name)}`,
          ),
        );
      else if (placed.has(host))
        problems.push(
          problem(path, `host ${JSON.stringify(host)} is already in group ${placed.get(host)}`),
        );
      else placed.set(host, g);
    });
  });
  const missing = [...slots.keys()].filter((h) => !placed.has(h)).sort(naturalCompare);
  if (missing.length) {
    const shown =
      missing.slice(0, 20).join(', ') +
      (missing.length > 20 ? `, … (${missing.length} in all)` : '');
    problems.push(
      problem(
        'regroup.hosts',
        `every host of phase ${JSON.stringify(phase.name)} must be placed exactly once; left out: ${shown}`,
      ),
    );
  }
  if (problems.length) return failed(problems);

  const layers = [
    ...new Set([...slots.values()].flatMap((s) => s.byAction.flatMap((m) => [...m.keys()]))),
  ].sort((x, y) => x - y);
  const batches: Batch[] = [];
  for (const group of regroup.hosts) {
    const hosts = [...group].sort(naturalCompare);
    for (const layer of layers) {
      const batch: Batch = [];
      for (const host of hosts) {
        const s = slots.get(host) as HostSlots;
        const job: Job = [];
        for (const byLayer of s.byAction) {
          const ids = byLayer.get(layer);
          if (ids?.length) job.push(sortedIfMixed(ids, s.mixed));
        }
        if (job.length) batch.push(job);
      }
      if (batch.length) batches.push(batch);
    }
    const verify: Batch = hosts.flatMap((host) => {
      const s = slots.get(host) as HostSlots;
      return s.verify.length ? [[sortedIfMixed(s.verify, s.mixed)]] : [];
    });
    if (verify.length) batches.push(verify);
  }

  const delta = batches.length - (end - first);
  const mission = [...plan.mission.slice(0, first), ...batches, ...plan.mission.slice(end)];
  const phases: PhaseRecord[] = plan.phases.map((p, i) => {
    if (i < phaseIndex) return p;
    if (i === phaseIndex) return { ...p, batches: [first, first + batches.length] };
    return { ...p, batches: [p.batches[0] + delta, p.batches[1] + delta] };
  });
  return ok({ ...plan, mission, phases });
}
