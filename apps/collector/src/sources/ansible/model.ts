import type { Problem } from '@ferry/plan';

/** Variables as Ansible holds them: any YAML/JSON value per name. */
export type Vars = Record<string, unknown>;

/** Variables and where each was (last) written, so a problem can point at it. */
export interface VarsHolder {
  readonly vars: Vars;
  /** Problem path per variable: `line 12` in INI, `all.children.web.vars.x` in YAML. */
  readonly varPaths: Record<string, string>;
}

/** One group as declared; membership through children is resolved when converting. */
export interface AnsibleGroup extends VarsHolder {
  readonly name: string;
  /** Hosts listed directly in the group, in declaration order. */
  readonly hosts: Set<string>;
  readonly children: Set<string>;
  /** Where the group was first declared. */
  readonly path: string;
}

/** One host: its own variables, merged over every place that declares it (the last one wins). */
export interface AnsibleHost extends VarsHolder {
  readonly name: string;
  /** Where the host was first declared. */
  readonly path: string;
}

/**
 * An Ansible inventory read from INI or YAML/JSON, before it becomes a Ferry inventory: one model
 * for every Ansible format, so membership and precedence rules exist once.
 */
export class AnsibleInventory {
  readonly groups = new Map<string, AnsibleGroup>();
  readonly hosts = new Map<string, AnsibleHost>();

  constructor() {
    this.group('all', 'all');
    this.group('ungrouped', 'ungrouped');
  }

  group(name: string, path: string): AnsibleGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, hosts: new Set(), children: new Set(), vars: {}, varPaths: {}, path };
      this.groups.set(name, group);
    }
    return group;
  }

  /** Declares `host` in `group`; its first declaration fixes its place in the node order. */
  addHost(group: string, host: string, path: string): AnsibleHost {
    let entry = this.hosts.get(host);
    if (!entry) {
      entry = { name: host, vars: {}, varPaths: {}, path };
      this.hosts.set(host, entry);
    }
    this.group(group, path).hosts.add(host);
    return entry;
  }
}

export function setVar(holder: VarsHolder, key: string, value: unknown, path: string): void {
  holder.vars[key] = value;
  holder.varPaths[key] = path;
}

/** A parse result that carries its problems beside whatever could be read. */
export interface Parsed<T> {
  readonly value: T;
  readonly problems: Problem[];
}
