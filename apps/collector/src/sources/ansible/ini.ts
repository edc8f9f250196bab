import type { Problem, ProblemCode } from '@ferry/plan';
import { expandHostPattern } from './host-pattern';
import { parseIniValue, splitHostLine } from './ini-value';
import { AnsibleInventory, setVar, type Parsed } from './model';

/** Ansible's section header: `[name]`, `[name:vars]`, `[name:children]`, `[name:hosts]`. */
const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;

type State = 'hosts' | 'vars' | 'children';

/** A group named in `:vars` or as a child before (or without) its own section. */
interface Pending {
  readonly line: number;
  readonly state: 'vars' | 'children';
  readonly parent: string;
}

/**
 * Reads an Ansible INI inventory (Ansible's `ini` inventory plugin): host lines with `key=value`
 * variables and host ranges, `[group]`, `[group:vars]` and `[group:children]` sections; hosts
 * before the first section are `ungrouped`. Like Ansible, a `:vars` section or a child naming a
 * group that no section defines is an error (a typo must not silently drop a group). Problem paths
 * are `line N`.
 */
export function parseAnsibleIni(text: string, file: string): Parsed<AnsibleInventory> {
  const inventory = new AnsibleInventory();
  const problems: Problem[] = [];
  const report = (line: number, code: ProblemCode, message: string) =>
    problems.push({ code, file, path: `line ${line}`, message });
  // `all` and `ungrouped` exist without a section.
  const defined = new Set(['all', 'ungrouped']);
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: State = 'hosts';

  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const number = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;

    if (line.startsWith('[')) {
      const m = SECTION.exec(line);
      if (!m) {
        report(
          number,
          'INPUT.SYNTAX',
          `invalid section header ${JSON.stringify(line)} (write [group], [group:vars] or [group:children])`,
        );
        // Skip the section's lines rather than filing them under the previous group.
        state = 'vars';
        group = '';
        return;
      }
      const [, name, kind = 'hosts'] = m;
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        report(
          number,
          'INPUT.SYNTAX',
          `unknown section type ":${kind}" in ${JSON.stringify(line)} (vars, children or hosts)`,
        );
        state = 'vars';
        group = '';
        return;
      }
      group = name;
      state = kind;
      inventory.group(name, `line ${number}`);
      if (kind === 'vars') {
        if (!defined.has(name) && !pending.has(name))
          pending.set(name, { line: number, state: 'vars', parent: name });
      } else {
        defined.add(name);
        pending.delete(name);
      }
      return;
    }
    if (group === '') return;

    if (state === 'hosts') {
      const tokens = splitHostLine(line);
      if (typeof tokens === 'string') {
        report(number, 'INPUT.SYNTAX', `cannot read host line ${JSON.stringify(line)}: ${tokens}`);
        return;
      }
      if (tokens.length === 0) return;
      const pattern = expandHostPattern(tokens[0]);
      if (!pattern.ok) {
        report(number, 'INPUT.INVALID', pattern.message);
        return;
      }
      const vars: [string, unknown][] = [];
      for (const token of tokens.slice(1)) {
        const eq = token.indexOf('=');
        if (eq <= 0) {
          report(
            number,
            'INPUT.SYNTAX',
            `expected key=value host variable, got ${JSON.stringify(token)}`,
          );
          continue;
        }
        vars.push([token.slice(0, eq), parseIniValue(token.slice(eq + 1))]);
      }
      if (pattern.port !== undefined) vars.unshift(['ansible_port', pattern.port]);
      for (const host of pattern.hosts) {
        const entry = inventory.addHost(group, host, `line ${number}`);
        for (const [key, value] of vars) setVar(entry, key, value, `line ${number}`);
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq <= 0) {
        report(
          number,
          'INPUT.SYNTAX',
          `expected key=value in [${group}:vars], got ${JSON.stringify(line)}`,
        );
        return;
      }
      const key = line.slice(0, eq).trim();
      setVar(
        inventory.group(group, `line ${number}`),
        key,
        parseIniValue(line.slice(eq + 1)),
        `line ${number}`,
      );
    } else {
      const child = line.split(/\s+/)[0].replace(/[#;].*$/, '');
      if (!/^[^:\]\s[]+$/.test(child)) {
        report(
          number,
          'INPUT.SYNTAX',
          `invalid group name ${JSON.stringify(line)} in [${group}:children]`,
        );
        return;
      }
      inventory.group(group, `line ${number}`).children.add(child);
      inventory.group(child, `line ${number}`);
      if (!defined.has(child) && !pending.has(child))
        pending.set(child, { line: number, state: 'children', parent: group });
    }
  });

  for (const [name, decl] of pending) {
    report(
      decl.line,
      'INPUT.INVALID',
      decl.state === 'vars'
        ? `section [${name}:vars] is for a group that no section defines`
        : `[${decl.parent}:children] names group ${JSON.stringify(name)}, which no section defines`,
    );
  }
  return { value: inventory, problems };
}
