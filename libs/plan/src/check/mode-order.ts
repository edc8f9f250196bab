import type { Problem } from '../problems/problem';
import type { OrderViolation, TaskPlace } from './instance-walk';

/**
 * Turns mode-order violations into PLAN.MODE_ORDER problems naming the instance and both actions.
 * `pathOf` places the problem: the logic book's phase when compiling, the mission when checking an
 * edited plan.
 */
export function modeOrderProblems(
  violations: readonly OrderViolation[],
  file: string,
  pathOf: (place: TaskPlace) => string,
): Problem[] {
  return violations.map((v) => {
    const { earlier, later } = v;
    const instance = `instance ${v.host}/${v.target} (mode ${v.mode})`;
    const more = v.instances > 1 ? ` (and ${v.instances - 1} more instances)` : '';
    const where = (p: TaskPlace) => `phase ${JSON.stringify(p.phase)}, batch ${p.batch}`;
    const message = v.parallel
      ? `${instance}: ${JSON.stringify(later.action)} and ${JSON.stringify(earlier.action)} would run in parallel in one stage (${where(later)}), but the mode runs ${later.action} before ${earlier.action}${more}`
      : `${instance}: ${JSON.stringify(later.action)} (${where(later)}) would run after ${JSON.stringify(earlier.action)} (${where(earlier)}), but the mode runs ${later.action} before ${earlier.action}${more}`;
    return { code: 'PLAN.MODE_ORDER', file, path: pathOf(later), message };
  });
}
