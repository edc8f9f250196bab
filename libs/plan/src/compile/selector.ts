import type { HostSelector } from '../model/inputs';

export interface HostFacts {
  readonly id: string;
  readonly roles: readonly string[];
  readonly groups: Readonly<Record<string, string>>;
}

function anyOf(wanted: readonly string[] | undefined, have: readonly string[]): boolean {
  return wanted === undefined || wanted.some((w) => have.includes(w));
}

/**
 * A selector (package `targets`, phase `where`) matches a host when every key given matches:
 * `roles` and `nodes` any of, `groups` each key any of its values.
 */
export function matchesHost(selector: HostSelector, host: HostFacts): boolean {
  if (!anyOf(selector.roles, host.roles)) return false;
  if (selector.nodes !== undefined && !selector.nodes.includes(host.id)) return false;
  if (selector.groups !== undefined) {
    for (const [key, values] of Object.entries(selector.groups)) {
      const value = Object.prototype.hasOwnProperty.call(host.groups, key)
        ? host.groups[key]
        : undefined;
      if (value === undefined || !values.includes(value)) return false;
    }
  }
  return true;
}
