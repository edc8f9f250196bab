import type { When } from '../model/inputs';
import type { Cluster } from './cluster';

/** A phase's `when` holds when every key given holds (logic-book.md, phase keys). */
export function whenHolds(
  when: When | undefined,
  release: string | null,
  cluster: Cluster,
): boolean {
  if (!when) return true;
  if (when.release !== undefined && (release === null || !when.release.includes(release)))
    return false;
  if (when.upgrading !== undefined && !when.upgrading.some((c) => cluster.touchedComponents.has(c)))
    return false;
  if (when.membership !== undefined && when.membership !== cluster.membershipChanges) return false;
  return true;
}
