import { failed, ok, type Problem, type Result } from '../problems/problem';

/** A role and how many nodes get it, counts already resolved against `nodes`. */
export interface SimRole {
  readonly name: string;
  readonly count: number;
}

/** A parsed `sim://` URL: everything `simulateCluster` needs, defaults filled in. */
export interface SimSpec {
  readonly nodes: number;
  readonly components: number;
  /** In assignment order; nodes left over when no role takes the rest have no role. */
  readonly roles: readonly SimRole[];
  /** Compute and network nodes get `groups.az` = `az1…azK`; 0 gives no az group. */
  readonly azs: number;
  readonly seed: number;
  /** Fraction (0–1) of instances that already run `to`. */
  readonly atTarget: number;
  /** Components per node (≤ `components`); fewer than all are a seeded subset per node. */
  readonly perNode: number;
  readonly from: string;
  readonly to: string;
  readonly mode: string;
}

export const SIM_DEFAULT_ROLES = 'management:3,network:2,compute';

/**
 * Bounds that keep a URL from asking for more than a process can hold: `sim://` sources reach the
 * API too, and one typo (`nodes=1000000000`) must be an input error, not an out-of-memory crash.
 */
export const SIM_LIMITS = {
  nodes: 1_000_000,
  components: 100_000,
  /** nodes × per_node */
  instances: 5_000_000,
  azs: 10_000,
} as const;

const PARAMETERS = [
  'nodes',
  'components',
  'roles',
  'azs',
  'seed',
  'at_target',
  'per_node',
  'from',
  'to',
  'mode',
] as const;
type Parameter = (typeof PARAMETERS)[number];

const ROLE_NAME = /^[A-Za-z0-9._-]+$/;
const VERSION = /^[A-Za-z0-9._~+:-]+$/;
// The descriptor schema's pattern for a mode name.
const MODE = /^[A-Za-z0-9._-]+$/;

/** True when `s` names a simulated cluster rather than a file or an HTTP inventory. */
export function isSimUrl(s: unknown): boolean {
  return typeof s === 'string' && /^sim:\/\//i.test(s);
}

function decode(value: string): string {
  // `roles=compute:50%` is the documented spelling, so a lone `%` is kept rather than rejected.
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

interface RoleItem {
  readonly name: string;
  readonly count?: number;
  readonly percent?: number;
}

/**
 * Percentages are shared out by largest remainder so they add up as written (`a:50%,b:50%` on 3
 * nodes gives 2 + 1, not 1 + 1 with a node left over, nor 2 + 2 that does not fit).
 */
function apportion(items: readonly RoleItem[], nodes: number): Map<number, number> {
  const shares: { index: number; exact: number; count: number }[] = [];
  let total = 0;
  items.forEach((item, index) => {
    if (item.percent === undefined) return;
    const exact = (nodes * item.percent) / 100;
    shares.push({ index, exact, count: Math.floor(exact) });
    total += exact;
  });
  // Rounded to 9 places first so that 3 × 33.3333…% of 300 is 300, not 299.99999.
  let left = Math.round(Math.round(total * 1e9) / 1e9) - shares.reduce((n, s) => n + s.count, 0);
  const byRemainder = [...shares].sort(
    (a, b) => b.exact - b.count - (a.exact - a.count) || a.index - b.index,
  );
  for (const share of byRemainder) {
    if (left <= 0) break;
    share.count++;
    left--;
  }
  return new Map(shares.map((s) => [s.index, s.count]));
}

class UrlProblems {
  readonly list: Problem[] = [];
  constructor(private readonly url: string) {}
  add(path: string, message: string): void {
    this.list.push({ code: 'SIM.BAD_URL', file: this.url, path, message });
  }
}

function parseRoles(
  text: string,
  nodes: number | undefined,
  problems: UrlProblems,
): SimRole[] | undefined {
  const items: RoleItem[] = [];
  const seen = new Set<string>();
  let rest: string | undefined;
  let bad = false;
  const report = (message: string) => {
    problems.add('roles', message);
    bad = true;
  };
  text.split(',').forEach((raw, i) => {
    const colon = raw.indexOf(':');
    const name = colon < 0 ? raw : raw.slice(0, colon);
    const amount = colon < 0 ? undefined : raw.slice(colon + 1);
    if (!ROLE_NAME.test(name)) {
      report(
        name === ''
          ? `item ${i + 1} (${JSON.stringify(raw)}) has no role name`
          : `role ${JSON.stringify(name)} may hold only letters, digits, ".", "_" and "-"`,
      );
      return;
    }
    if (seen.has(name)) report(`role ${JSON.stringify(name)} is listed twice`);
    seen.add(name);
    if (amount === undefined) {
      if (rest !== undefined)
        report(
          `only one role may go without a count (it takes the rest): ${JSON.stringify(rest)} and ${JSON.stringify(name)} both do`,
        );
      rest = name;
      items.push({ name });
    } else if (/^\d+$/.test(amount)) {
      items.push({ name, count: Number(amount) });
    } else if (/^\d+(\.\d+)?%$/.test(amount) && Number(amount.slice(0, -1)) <= 100) {
      items.push({ name, percent: Number(amount.slice(0, -1)) });
    } else {
      report(
        `role ${JSON.stringify(name)}: ${JSON.stringify(amount)} is neither a count (a whole number) nor a percentage from 0% to 100%`,
      );
    }
  });
  if (bad) return undefined;
  const percent = items.reduce((sum, item) => sum + (item.percent ?? 0), 0);
  if (percent > 100 + 1e-9) {
    problems.add('roles', `the percentages add up to ${percent}%, more than 100%`);
    return undefined;
  }
  if (nodes === undefined) return undefined;
  const shares = apportion(items, nodes);
  const counted = items.map((item, i) => item.count ?? shares.get(i) ?? 0);
  const needed = counted.reduce((a, b) => a + b, 0);
  if (needed > nodes) {
    problems.add(
      'roles',
      `the role counts need ${needed} nodes but nodes=${nodes} (${items.map((item, i) => `${item.name}:${counted[i]}`).join(', ')})`,
    );
    return undefined;
  }
  return items.map((item, i) => ({
    name: item.name,
    count: item.count === undefined && item.percent === undefined ? nodes - needed : counted[i],
  }));
}

/**
 * `management:3,network:2,compute`, cut short on clusters under five nodes: `sim://nodes=2` is a
 * reasonable thing to ask for and should not fail on a parameter it never wrote.
 */
function defaultRoles(nodes: number): SimRole[] {
  const management = Math.min(3, nodes);
  const network = Math.min(2, nodes - management);
  return [
    { name: 'management', count: management },
    { name: 'network', count: network },
    { name: 'compute', count: nodes - management - network },
  ];
}

/**
 * Reads `sim://nodes=N&components=C&roles=…&seed=…` (logic-book.md §1). Parameters:
 *
 * - `nodes` (required): positive integer;
 * - `components` (10): positive integer, named `comp-01…`;
 * - `roles` (`management:3,network:2,compute`, cut short below 5 nodes): `role:count` or
 *   `role:P%` items, at most one bare `role` taking the remaining nodes; assigned to nodes in the
 *   order listed; counts that do not fit in `nodes` are an error;
 * - `azs` (3): compute and network nodes are spread over `az1…azK` in contiguous blocks;
 * - `seed` (1): non-negative integer;
 * - `at_target` (0): fraction 0–1 of instances already at `to`;
 * - `per_node` (all): components per node, a seeded subset when fewer than `components`;
 * - `from` (`1.0`), `to` (`2.0`), `mode` (`restart`).
 *
 * Every problem (code `SIM.BAD_URL`, file = the URL, path = the parameter) is reported at once.
 */
export function parseSimUrl(url: string): Result<SimSpec> {
  const problems = new UrlProblems(url);
  if (!isSimUrl(url)) {
    problems.add('', 'a simulated cluster is written sim://nodes=N&…');
    return failed(problems.list);
  }
  const body = url.slice('sim://'.length).replace(/^\?/, '');
  const given = new Map<Parameter, string>();
  // Parameters already reported as malformed, so that a missing value is not "required" too.
  const reported = new Set<Parameter>();
  for (const part of body.split('&')) {
    // Tolerates `&&` and a trailing `&`, which say nothing.
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    if (!(PARAMETERS as readonly string[]).includes(name)) {
      problems.add(
        name,
        `unknown parameter ${JSON.stringify(name)} (known: ${PARAMETERS.join(', ')})`,
      );
      continue;
    }
    const parameter = name as Parameter;
    if (eq < 0) {
      problems.add(name, `${name} needs a value (${name}=…)`);
      reported.add(parameter);
      continue;
    }
    if (given.has(parameter)) {
      problems.add(name, `${name} is given twice`);
      continue;
    }
    given.set(parameter, decode(part.slice(eq + 1)));
  }

  /** `fallback` undefined: the default is itself invalid, already reported elsewhere. */
  const integer = (
    name: Parameter,
    fallback: number | 'required' | undefined,
    min: number,
    max: number,
  ): number | undefined => {
    const text = given.get(name);
    if (text === undefined) {
      if (reported.has(name)) return undefined;
      if (fallback !== 'required') return fallback;
      problems.add(name, `${name} is required (sim://${name}=…)`);
      return undefined;
    }
    const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const kind = min > 0 ? 'a positive integer' : 'a whole number';
      problems.add(name, `${name} must be ${kind} of at most ${max}, not ${JSON.stringify(text)}`);
      return undefined;
    }
    return value;
  };
  const text = (name: Parameter, fallback: string, pattern: RegExp, what: string) => {
    const value = given.get(name) ?? fallback;
    if (pattern.test(value)) return value;
    problems.add(name, `${name} must be ${what}, not ${JSON.stringify(value)}`);
    return undefined;
  };

  const nodes = integer('nodes', 'required', 1, SIM_LIMITS.nodes);
  const components = integer('components', 10, 1, SIM_LIMITS.components);
  const azs = integer('azs', 3, 0, SIM_LIMITS.azs);
  const seed = integer('seed', 1, 0, Number.MAX_SAFE_INTEGER);
  const perNode = integer('per_node', components, 1, SIM_LIMITS.components);
  const from = text('from', '1.0', VERSION, 'a version (letters, digits and . _ ~ + : -)');
  const to = text('to', '2.0', VERSION, 'a version (letters, digits and . _ ~ + : -)');
  const mode = text('mode', 'restart', MODE, 'a mode name (letters, digits, ".", "_", "-")');

  let atTarget: number | undefined = 0;
  const atText = given.get('at_target');
  if (atText !== undefined) {
    atTarget = /^(\d+(\.\d*)?|\.\d+)$/.test(atText) ? Number(atText) : NaN;
    if (!(atTarget >= 0 && atTarget <= 1)) {
      problems.add(
        'at_target',
        `at_target must be a fraction from 0 to 1, not ${JSON.stringify(atText)}`,
      );
      atTarget = undefined;
    }
  }
  if (perNode !== undefined && components !== undefined && perNode > components) {
    problems.add('per_node', `per_node=${perNode} is more than components=${components}`);
  }
  if (nodes !== undefined && perNode !== undefined && nodes * perNode > SIM_LIMITS.instances) {
    problems.add(
      'nodes',
      `nodes × per_node = ${nodes * perNode} instances, more than the ${SIM_LIMITS.instances} a simulated cluster may have`,
    );
  }
  if (from !== undefined && from === to) {
    problems.add(
      'to',
      `to=${to} is the same as from: nothing would be upgraded (at_target=1 makes an up-to-date cluster)`,
    );
  }
  const roles = given.has('roles')
    ? parseRoles(given.get('roles') as string, nodes, problems)
    : nodes === undefined
      ? undefined
      : defaultRoles(nodes);

  if (problems.list.length) return failed(problems.list);
  // Every value is defined here: each undefined one above added a problem.
  return ok({
    nodes: nodes as number,
    components: components as number,
    roles: roles as SimRole[],
    azs: azs as number,
    seed: seed as number,
    atTarget: atTarget as number,
    perNode: perNode as number,
    from: from as string,
    to: to as string,
    mode: mode as string,
  });
}
