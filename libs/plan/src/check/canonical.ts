import type { Batch, Job, Mission, Plan, PhaseRecord } from '../model/plan';
import { naturalCompare } from '../order/natural';

function jobHost(plan: Plan, job: Job): string {
  for (const stage of job) for (const id of stage) return plan.tasks.get(id)?.host ?? id;
  return '';
}

/**
 * An edited plan in canonical form (plan-format.md): empty stages, jobs and batches dropped, jobs
 * ordered by host, tasks in a stage by id, and each phase's range recomputed as the batches that
 * hold its tasks (an empty phase sits where the previous one ended). Meant for plans that passed
 * `checkPlan`.
 */
export function canonicalPlan(plan: Plan): Plan {
  const mission: Mission = [];
  for (const batch of plan.mission) {
    const jobs: Batch = [];
    for (const job of batch) {
      const stages = job
        .filter((stage) => stage.length > 0)
        .map((stage) => [...stage].sort(naturalCompare));
      if (stages.length) jobs.push(stages);
    }
    if (jobs.length)
      mission.push(
        jobs
          .map((job) => ({ job, host: jobHost(plan, job) }))
          .sort((a, b) => naturalCompare(a.host, b.host))
          .map((x) => x.job),
      );
  }
  const span = new Map<string, [number, number]>();
  mission.forEach((batch, b) => {
    for (const job of batch) {
      for (const stage of job) {
        for (const id of stage) {
          const phase = plan.tasks.get(id)?.phase;
          if (phase === undefined) continue;
          const range = span.get(phase);
          if (!range) span.set(phase, [b, b + 1]);
          else range[1] = b + 1;
        }
      }
    }
  });
  let previousEnd = 0;
  const phases: PhaseRecord[] = plan.phases.map((p) => {
    const range = span.get(p.name) ?? [previousEnd, previousEnd];
    previousEnd = range[1];
    return { ...p, batches: [range[0], range[1]] };
  });
  return { ...plan, mission, phases };
}
