import { joinPath, type Problem } from '@ferry/plan';
import { expandHostPattern } from './host-pattern';
import { AnsibleInventory, setVar, type Parsed } from './model';

type Mapping = Record<string, unknown>;

const SECTIONS = new Set(['hosts', 'children', 'vars']);

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when a parsed YAML/JSON document is an Ansible inventory rather than a Ferry one: the
 * output of `ansible-inventory --list` (a `_meta` key), a top-level `all:` group, or top-level
 * groups that hold only `hosts`, `children` and `vars`. A document with `nodes` is Ferry's.
 */
export function isAnsibleInventoryValue(value: unknown): boolean {
  if (!isMapping(value) || 'nodes' in value) return false;
  if ('_meta' in value) return true;
  if ('all' in value && (value.all === null || isMapping(value.all))) return true;
  const groups = Object.values(value);
  return (
    groups.length > 0 &&
    groups.every(
      (g) => g === null || (isMapping(g) && Object.keys(g).every((k) => SECTIONS.has(k))),
    ) &&
    groups.some((g) => isMapping(g) && Object.keys(g).length > 0)
  );
}

/** Names of a `hosts` or `children` section: a mapping (YAML), a list (JSON) or one name. */
function entries(value: unknown): [string, unknown][] | null {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return [[value, null]];
  if (Array.isArray(value))
    return value.every((v) => typeof v === 'string') ? value.map((v: string) => [v, null]) : null;
  if (isMapping(value)) return Object.entries(value);
  return null;
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

class YamlReader {
  readonly inventory = new AnsibleInventory();
  readonly problems: Problem[] = [];

  constructor(private readonly file: string) {}

  private report(code: Problem['code'], path: string, message: string): void {
    this.problems.push({ code, file: this.file, path, message });
  }

  group(name: string, data: unknown, path: string): void {
    const group = this.inventory.group(name, path);
    if (data === null || data === undefined) return;
    if (Array.isArray(data)) {
      // `ansible-inventory --list` shorthand: a group written as its list of hosts.
      this.hosts(name, data, path);
      return;
    }
    if (!isMapping(data)) {
      this.report(
        'INPUT.TYPE',
        path,
        `group ${JSON.stringify(name)} must be a mapping of hosts, children and vars, not ${typeName(data)}`,
      );
      return;
    }
    for (const [key, value] of Object.entries(data)) {
      const at = joinPath(path, key);
      if (key === 'hosts') this.hosts(name, value, at);
      else if (key === 'children') {
        const children = entries(value);
        if (children === null) {
          this.report(
            'INPUT.TYPE',
            at,
            `children must be a mapping or a list of group names, not ${typeName(value)}`,
          );
          continue;
        }
        for (const [child, childData] of children) {
          group.children.add(child);
          this.group(child, childData, joinPath(at, child));
        }
      } else if (key === 'vars') {
        if (value === null) continue;
        if (!isMapping(value)) {
          this.report('INPUT.TYPE', at, `vars must be a mapping, not ${typeName(value)}`);
          continue;
        }
        for (const [varName, v] of Object.entries(value))
          setVar(group, varName, v, joinPath(at, varName));
      } else {
        this.report(
          'INPUT.UNKNOWN_KEY',
          at,
          `unknown key ${JSON.stringify(key)} in group ${JSON.stringify(name)} (only hosts, children and vars)`,
        );
      }
    }
  }

  private hosts(group: string, value: unknown, path: string): void {
    const hosts = entries(value);
    if (hosts === null) {
      this.report(
        'INPUT.TYPE',
        path,
        `hosts must be a mapping or a list of host names, not ${typeName(value)}`,
      );
      return;
    }
    for (const [pattern, vars] of hosts) {
      const at = joinPath(path, pattern);
      const expanded = expandHostPattern(pattern);
      if (!expanded.ok) {
        this.report('INPUT.INVALID', at, expanded.message);
        continue;
      }
      if (vars !== null && vars !== undefined && !isMapping(vars)) {
        this.report(
          'INPUT.TYPE',
          at,
          `the variables of host ${JSON.stringify(pattern)} must be a mapping, not ${typeName(vars)}`,
        );
        continue;
      }
      for (const host of expanded.hosts) {
        const entry = this.inventory.addHost(group, host, at);
        if (expanded.port !== undefined) setVar(entry, 'ansible_port', expanded.port, at);
        for (const [key, v] of Object.entries(vars ?? {})) setVar(entry, key, v, joinPath(at, key));
      }
    }
  }

  /** `_meta.hostvars` of `ansible-inventory --list`: variables of hosts listed by name elsewhere. */
  meta(value: unknown): void {
    if (value === null || value === undefined) return;
    const hostvars = isMapping(value) ? value.hostvars : undefined;
    if (!isMapping(value) || (hostvars !== undefined && !isMapping(hostvars))) {
      this.report('INPUT.TYPE', '_meta', '_meta must be a mapping with a `hostvars` mapping');
      return;
    }
    for (const [host, vars] of Object.entries(hostvars ?? {})) {
      const at = joinPath('_meta.hostvars', host);
      if (!isMapping(vars)) {
        if (vars !== null)
          this.report(
            'INPUT.TYPE',
            at,
            `the variables of host ${JSON.stringify(host)} must be a mapping, not ${typeName(vars)}`,
          );
        continue;
      }
      const entry = this.inventory.hosts.get(host) ?? this.inventory.addHost('ungrouped', host, at);
      for (const [key, v] of Object.entries(vars)) setVar(entry, key, v, joinPath(at, key));
    }
  }
}

/**
 * Reads a parsed Ansible YAML inventory (Ansible's `yaml` plugin: groups with `hosts`, `children`
 * and `vars`, host ranges, `host:port`) or the JSON of `ansible-inventory --list` / inventory
 * scripts (`hosts` and `children` as lists, `_meta.hostvars`). Unknown keys in a group are errors
 * where Ansible only warns: a typo must not silently drop hosts.
 */
export function readAnsibleYaml(value: unknown, file: string): Parsed<AnsibleInventory> {
  const reader = new YamlReader(file);
  if (!isMapping(value)) {
    reader.problems.push({
      code: 'INPUT.TYPE',
      file,
      path: '',
      message: `an Ansible inventory must be a mapping of groups, not ${typeName(value)}`,
    });
    return { value: reader.inventory, problems: reader.problems };
  }
  for (const [name, data] of Object.entries(value)) {
    if (name === '_meta') continue;
    reader.group(name, data, joinPath('', name));
    // Top-level groups other than `all` are its children (Ansible adds every group to `all`).
    if (name !== 'all') reader.inventory.group('all', 'all').children.add(name);
  }
  reader.meta(value._meta);
  return { value: reader.inventory, problems: reader.problems };
}
