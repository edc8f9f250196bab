import { CORE_SCHEMA, load } from 'js-yaml';
import { joinPath, type Problem, type ProblemCode } from '@ferry/plan';
import type { AnsibleGroup, AnsibleHost, AnsibleInventory, Parsed, VarsHolder } from './model';

/** A node as the Ferry inventory format writes it (logic-book.md §1), before `readInventory`. */
export interface FerryNodeSource {
  id: string;
  address?: string;
  roles: string[];
  groups: Record<string, unknown>;
  components: { name: unknown; version: unknown }[];
}

export interface FerryInventorySource {
  nodes: FerryNodeSource[];
}

/** Groups every host is in; never roles. */
const IMPLICIT = new Set(['all', 'ungrouped']);

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path one level deeper: INI paths stay `line N` (the message names the item). */
function deeper(path: string, key: string | number): string {
  return path.startsWith('line ') ? path : joinPath(path, key);
}

function typeName(value: unknown): string {
  return Array.isArray(value)
    ? 'a list'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? 'a mapping'
        : `${typeof value} ${JSON.stringify(value)}`;
}

/** Variables given as text (an INI `:vars` line, a quoted YAML string) may still hold a list or dict. */
function structured(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return load(value, { schema: CORE_SCHEMA, json: true });
  } catch {
    return value;
  }
}

/**
 * The group graph: parents of each group (every group but `all` is a descendant of `all`), Ansible's
 * depth (the longest path from `all`), and the problems of child cycles, whose closing edge is ignored.
 */
class GroupGraph {
  readonly parents = new Map<string, Set<string>>();
  readonly depth = new Map<string, number>();
  readonly problems: Problem[] = [];

  constructor(groups: ReadonlyMap<string, AnsibleGroup>, file: string) {
    const children = new Map<string, string[]>();
    for (const group of groups.values()) children.set(group.name, [...group.children]);
    // Groups nobody names as a child hang under `all`, as in Ansible.
    const named = new Set([...groups.values()].flatMap((g) => [...g.children]));
    for (const name of groups.keys()) {
      if (name !== 'all' && !named.has(name)) children.get('all')?.push(name);
    }
    const state = new Map<string, 'open' | 'done'>();
    const visit = (name: string, trail: string[]) => {
      state.set(name, 'open');
      for (const child of children.get(name) ?? []) {
        if (state.get(child) === 'open') {
          const cycle = [...trail.slice(trail.indexOf(child)), child];
          this.problems.push({
            code: 'INPUT.INVALID',
            file,
            path: groups.get(name)?.path ?? name,
            message: `groups form a cycle through children: ${cycle.join(' → ')}`,
          });
          continue;
        }
        this.addParent(child, name);
        if (state.get(child) !== 'done') visit(child, [...trail, child]);
      }
      state.set(name, 'done');
    };
    visit('all', ['all']);
    // Groups only reachable through a cycle: visit them too so their hosts still get their groups.
    for (const name of groups.keys()) if (!state.has(name)) visit(name, [name]);
    const depthOf = (name: string, seen: Set<string>): number => {
      const known = this.depth.get(name);
      if (known !== undefined) return known;
      let d = 0;
      for (const parent of this.parents.get(name) ?? []) {
        if (!seen.has(parent)) d = Math.max(d, depthOf(parent, new Set([...seen, parent])) + 1);
      }
      this.depth.set(name, d);
      return d;
    };
    for (const name of groups.keys()) depthOf(name, new Set([name]));
  }

  private addParent(child: string, parent: string): void {
    let set = this.parents.get(child);
    if (!set) {
      set = new Set();
      this.parents.set(child, set);
    }
    set.add(parent);
  }

  /** The given groups and all their ancestors. */
  closure(direct: Iterable<string>): Set<string> {
    const out = new Set<string>();
    const stack = [...direct];
    while (stack.length) {
      const name = stack.pop() as string;
      if (out.has(name)) continue;
      out.add(name);
      stack.push(...(this.parents.get(name) ?? []));
    }
    out.add('all');
    return out;
  }
}

/** Ansible's `ansible_group_priority` (default 1). */
function priority(group: AnsibleGroup): number {
  const value = Number(group.vars.ansible_group_priority ?? 1);
  return Number.isFinite(value) ? value : 1;
}

class Converter {
  readonly problems: Problem[] = [];

  constructor(private readonly file: string) {}

  private report(code: ProblemCode, path: string, message: string): void {
    this.problems.push({ code, file: this.file, path, message });
  }

  /** The winning value of a variable: host vars over group vars, groups in Ansible's order. */
  resolve(
    name: string,
    host: AnsibleHost,
    groups: readonly AnsibleGroup[],
  ): { value: unknown; path: string } | undefined {
    const holders: VarsHolder[] = [...groups, host];
    for (let i = holders.length - 1; i >= 0; i--) {
      const holder = holders[i];
      if (Object.prototype.hasOwnProperty.call(holder.vars, name))
        return { value: holder.vars[name], path: holder.varPaths[name] };
    }
    return undefined;
  }

  components(raw: { value: unknown; path: string } | undefined): FerryNodeSource['components'] {
    if (!raw) return [];
    const value = structured(raw.value);
    if (value === null || value === undefined) return [];
    const out: FerryNodeSource['components'] = [];
    const version = (v: unknown, path: string, component: unknown): boolean => {
      if (typeof v === 'string') return true;
      this.report(
        'INPUT.VERSION_NOT_STRING',
        path,
        `ferry_components: the version of ${JSON.stringify(component)} must be a string (write "1.10", not 1.10), not ${typeName(v)}`,
      );
      return false;
    };
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const at = deeper(raw.path, i);
        if (!isMapping(item) || typeof item.name !== 'string' || !('version' in item)) {
          this.report(
            'INPUT.TYPE',
            at,
            `ferry_components items must be {name, version}, not ${typeName(item)}`,
          );
          return;
        }
        const unknown = Object.keys(item).filter((k) => k !== 'name' && k !== 'version');
        if (unknown.length) {
          this.report(
            'INPUT.UNKNOWN_KEY',
            at,
            `ferry_components item ${JSON.stringify(item.name)} has unknown key(s) ${unknown.join(', ')} (only name and version)`,
          );
          return;
        }
        if (version(item.version, at, item.name))
          out.push({ name: item.name, version: item.version });
      });
      return out;
    }
    if (isMapping(value)) {
      for (const [name, v] of Object.entries(value)) {
        if (version(v, deeper(raw.path, name), name)) out.push({ name, version: v });
      }
      return out;
    }
    this.report(
      'INPUT.TYPE',
      raw.path,
      `ferry_components must be a list of {name, version} or a mapping of name to version, not ${typeName(value)}`,
    );
    return [];
  }

  groups(raw: { value: unknown; path: string } | undefined): Record<string, unknown> {
    if (!raw) return {};
    const value = structured(raw.value);
    if (value === null || value === undefined) return {};
    if (!isMapping(value)) {
      this.report(
        'INPUT.TYPE',
        raw.path,
        `ferry_groups must be a mapping of group key to value, not ${typeName(value)}`,
      );
      return {};
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      // A rack or zone written as a number (`rack: 12`) is still a label.
      if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
      else out[key] = v;
    }
    return out;
  }

  address(raw: { value: unknown; path: string } | undefined): string | undefined {
    if (!raw || raw.value === null || raw.value === undefined) return undefined;
    if (typeof raw.value === 'string') return raw.value;
    this.report(
      'INPUT.TYPE',
      raw.path,
      `ansible_host must be a string, not ${typeName(raw.value)}`,
    );
    return undefined;
  }
}

/**
 * Turns an Ansible inventory into a Ferry inventory (logic-book.md §1): each host a node; each group
 * it is in, directly or through `children` (but not `all` or `ungrouped`), a role in declaration
 * order; `ansible_host` its address; `ferry_components` (a list of `{name, version}` or a mapping of
 * name to version) its components and `ferry_groups` (a mapping) its groups. Group variables apply
 * to the group's hosts with Ansible's precedence: deeper groups over their parents, then
 * `ansible_group_priority`, then name; host variables over all of them. A variable replaces the
 * value of a weaker level as a whole (Ansible's default `hash_behaviour=replace`).
 */
export function toFerryInventory(
  inventory: AnsibleInventory,
  file: string,
): Parsed<FerryInventorySource> {
  const graph = new GroupGraph(inventory.groups, file);
  const converter = new Converter(file);
  const order = [...inventory.groups.keys()];
  const direct = new Map<string, string[]>();
  for (const group of inventory.groups.values()) {
    for (const host of group.hosts) {
      const list = direct.get(host) ?? [];
      list.push(group.name);
      direct.set(host, list);
    }
  }
  const nodes = [...inventory.hosts.values()].map((host): FerryNodeSource => {
    const member = graph.closure(direct.get(host.name) ?? []);
    const groups = [...member]
      .map((name) => inventory.groups.get(name))
      .filter((g): g is AnsibleGroup => g !== undefined)
      .sort(
        (a, b) =>
          (graph.depth.get(a.name) ?? 0) - (graph.depth.get(b.name) ?? 0) ||
          priority(a) - priority(b) ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
    const address = converter.address(converter.resolve('ansible_host', host, groups));
    return {
      id: host.name,
      ...(address !== undefined ? { address } : {}),
      roles: order.filter((name) => member.has(name) && !IMPLICIT.has(name)),
      groups: converter.groups(converter.resolve('ferry_groups', host, groups)),
      components: converter.components(converter.resolve('ferry_components', host, groups)),
    };
  });
  // A bad group variable is found once per host of the group; report it once.
  const seen = new Set<string>();
  const problems = [...graph.problems, ...converter.problems].filter((p) => {
    const key = `${p.code}\u0000${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { value: { nodes }, problems };
}
