/**
 * Ansible host patterns (`web[01:03].example.com:2222`, `db-[a:c]`, `[::1]:22`), expanded as
 * Ansible's INI and YAML inventory plugins do: every `[begin:end]` or `[begin:end:step]` range in
 * turn, numeric (a leading zero pads to the width of `begin`) or alphabetic, and an optional port.
 */

export type HostPattern =
  | { readonly ok: true; readonly hosts: string[]; readonly port?: number }
  | { readonly ok: false; readonly message: string };

/** One pattern may not expand to more hosts than a cluster could have (a typo must not exhaust memory). */
export const MAX_PATTERN_HOSTS = 1_000_000;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const RANGE = /^([0-9A-Za-z]*):([0-9A-Za-z]*)(?::(\d*))?$/;

interface Range {
  readonly head: string;
  readonly tail: string;
  readonly values: string[];
}

/** The values of one `begin:end[:step]` range, or why it is not one. */
function rangeValues(body: string): string[] | string {
  const m = RANGE.exec(body);
  if (!m) return `host range [${body}] is not begin:end or begin:end:step`;
  const [, rawBegin, end, rawStep] = m;
  if (end === '') return `host range [${body}] has no end value`;
  const begin = rawBegin === '' ? '0' : rawBegin;
  const step = rawStep === undefined || rawStep === '' ? 1 : Number(rawStep);
  if (!Number.isSafeInteger(step) || step < 1) return `host range [${body}] needs a positive step`;
  if (/^\d+$/.test(begin) && /^\d+$/.test(end)) {
    const padded = begin.length > 1 && begin.startsWith('0');
    if (padded && begin.length !== end.length) {
      return `host range [${body}]: a zero-padded begin needs an end of the same width`;
    }
    const from = Number(begin);
    const to = Number(end);
    if (from > to) return `host range [${body}] ends before it begins`;
    const count = Math.floor((to - from) / step) + 1;
    if (count > MAX_PATTERN_HOSTS)
      return `host range [${body}] names ${count} hosts, more than ${MAX_PATTERN_HOSTS}`;
    const values: string[] = [];
    for (let i = from; i <= to; i += step)
      values.push(padded ? String(i).padStart(begin.length, '0') : String(i));
    return values;
  }
  if (/^[A-Za-z]$/.test(begin) && /^[A-Za-z]$/.test(end)) {
    const from = LETTERS.indexOf(begin);
    const to = LETTERS.indexOf(end);
    if (from > to) return `host range [${body}] ends before it begins`;
    const values: string[] = [];
    for (let i = from; i <= to; i += step) values.push(LETTERS[i]);
    return values;
  }
  return `host range [${body}] must run between two numbers or two single letters`;
}

/** The first `[…:…]` range of a host name, if any. */
function firstRange(name: string): Range | string | null {
  const open = name.indexOf('[');
  if (open < 0) {
    return name.includes(']') ? `unbalanced "]" in host pattern ${JSON.stringify(name)}` : null;
  }
  const close = name.indexOf(']', open);
  if (close < 0) return `unbalanced "[" in host pattern ${JSON.stringify(name)}`;
  const values = rangeValues(name.slice(open + 1, close));
  if (typeof values === 'string') return values;
  return { head: name.slice(0, open), tail: name.slice(close + 1), values };
}

function expandName(name: string, out: string[]): string | null {
  const range = firstRange(name);
  if (range === null) {
    out.push(name);
    return null;
  }
  if (typeof range === 'string') return range;
  for (const value of range.values) {
    const problem = expandName(`${range.head}${value}${range.tail}`, out);
    if (problem) return problem;
    if (out.length > MAX_PATTERN_HOSTS)
      return `host pattern names more than ${MAX_PATTERN_HOSTS} hosts`;
  }
  return null;
}

/** Splits off `:port`, leaving IPv6 addresses (`[::1]:22`, bare `fe80::1`) whole. */
function splitPort(pattern: string): { name: string; port?: number } | string {
  const ipv6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(pattern);
  // `[1:9:2]` is a range; an address has `::` or at least three colons.
  if (ipv6 && (ipv6[1].includes('::') || ipv6[1].split(':').length > 3))
    return ipv6[2] === undefined ? { name: ipv6[1] } : { name: ipv6[1], port: Number(ipv6[2]) };
  // Colons inside a range (`[1:3]`) are not port separators.
  const outside: number[] = [];
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0) outside.push(i);
  }
  if (outside.length !== 1) return { name: pattern };
  const at = outside[0];
  const port = pattern.slice(at + 1);
  if (!/^\d+$/.test(port) || Number(port) > 65535)
    return `invalid port ${JSON.stringify(port)} in host ${JSON.stringify(pattern)}`;
  return { name: pattern.slice(0, at), port: Number(port) };
}

export function expandHostPattern(pattern: string): HostPattern {
  if (pattern.trim() === '') return { ok: false, message: 'empty host name' };
  const split = splitPort(pattern);
  if (typeof split === 'string') return { ok: false, message: split };
  const hosts: string[] = [];
  const problem = expandName(split.name, hosts);
  if (problem) return { ok: false, message: problem };
  return split.port === undefined ? { ok: true, hosts } : { ok: true, hosts, port: split.port };
}
