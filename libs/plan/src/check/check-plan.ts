import { GLOBAL_HOST, taskId, type Plan } from '../model/plan';
import { own } from '../order/own';
import type { ProblemCode } from '../problems/codes';
import type { Problem } from '../problems/problem';
import { walkInstances } from './instance-walk';
import { modeOrderProblems } from './mode-order';

/** Problems an admin may override with `force` (recorded in the audit log): only mode order. */
export const FORCEABLE: ReadonlySet<ProblemCode> = new Set(['PLAN.MODE_ORDER']);

/**
 * Checks an edited plan against the plan rules (plan-format.md, last paragraph): every mission id
 * is described in `tasks` and appears once, `tasks` holds nothing else, each job holds tasks of its
 * own host only (one job per host per batch), each record matches its id and names a mode the logic
 * book has, and every instance keeps its mode's action order. `modes` are the logic book's.
 */
export function checkPlan(
  plan: Plan,
  modes: Readonly<Record<string, readonly string[]>>,
  file: string,
): Problem[] {
  const problems: Problem[] = [];
  const report = (code: ProblemCode, path: string, message: string) =>
    problems.push({ code, file, path, message });
  const seen = new Map<string, string>();

  plan.mission.forEach((batch, b) => {
    const jobOfHost = new Map<string, number>();
    batch.forEach((job, j) => {
      let host: string | null = null;
      job.forEach((stage, s) =>
        stage.forEach((id, k) => {
          const path = `mission[${b}][${j}][${s}][${k}]`;
          const first = seen.get(id);
          if (first !== undefined) {
            report('PLAN.TASK_TWICE', path, `task ${JSON.stringify(id)} is already at ${first}`);
            return;
          }
          seen.set(id, path);
          const record = plan.tasks.get(id);
          if (!record) {
            report(
              'PLAN.UNKNOWN_TASK',
              path,
              `task ${JSON.stringify(id)} is not described in \`tasks\``,
            );
            return;
          }
          if (host === null) {
            host = record.host;
            const other = jobOfHost.get(host);
            if (other !== undefined)
              report(
                'PLAN.HOST_TWICE',
                `mission[${b}][${j}]`,
                `batch ${b} already has a job for host ${JSON.stringify(host)} (mission[${b}][${other}]); merge them`,
              );
            else jobOfHost.set(host, j);
          } else if (record.host !== host) {
            report(
              'PLAN.FOREIGN_TASK',
              path,
              `task ${JSON.stringify(id)} belongs to host ${JSON.stringify(record.host)}, but this job is host ${JSON.stringify(host)}'s`,
            );
          }
        }),
      );
    });
  });

  for (const [id, record] of plan.tasks) {
    const path = `tasks[${JSON.stringify(id)}]`;
    if (!seen.has(id))
      report(
        'PLAN.TASK_UNSCHEDULED',
        path,
        `task ${JSON.stringify(id)} is described but the mission does not hold it`,
      );
    const expected = taskId(record.host, record.target, record.action, record.release);
    if (expected !== id)
      report(
        'PLAN.TASK_ID',
        path,
        `the record says ${JSON.stringify(expected)} (host_target_action[@release])`,
      );
    if (
      record.host !== GLOBAL_HOST &&
      record.mode !== null &&
      own(modes, record.mode) === undefined
    ) {
      report(
        'PLAN.UNKNOWN_MODE',
        `${path}.mode`,
        `mode ${JSON.stringify(record.mode)} is not a mode of the logic book (${Object.keys(modes).join(', ')})`,
      );
    }
  }

  const walk = walkInstances(plan.mission, plan.tasks, modes);
  problems.push(
    ...modeOrderProblems(walk.violations, file, (p) => `mission[${p.batch}][${p.job}][${p.stage}]`),
  );
  return problems;
}
