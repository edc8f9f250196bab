import type {
  Descriptor,
  HostPhase,
  HostSelector,
  Inventory,
  LogicBook,
  NodeSpec,
  Phase,
  Where,
} from '../model/inputs';
import { failed, ok, type Result } from '../problems/problem';
import { parseDocument } from './parse';
import { DESCRIPTOR_SCHEMA, INVENTORY_SCHEMA, LOGIC_BOOK_SCHEMA } from './schemas';
import { checkStructure } from './structure';

/* The raw shapes below are what the schemas guarantee; `list()` folds "one item or a list". */
type Raw = Record<string, unknown>;
type OneOrMany = string | string[] | undefined;

function list(value: OneOrMany): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function listRecord(value: Record<string, OneOrMany>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, list(v)]));
}

function groupFilter(value: unknown): Record<string, string[]> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(value as Record<string, OneOrMany>)) {
    out[key] = list(values);
  }
  return out;
}

function selector(raw: Raw): HostSelector {
  const out: { roles?: string[]; nodes?: string[]; groups?: Record<string, string[]> } = {};
  if (raw.roles !== undefined) out.roles = list(raw.roles as OneOrMany);
  if (raw.nodes !== undefined) out.nodes = list(raw.nodes as OneOrMany);
  if (raw.groups !== undefined) out.groups = groupFilter(raw.groups);
  return out;
}

function node(raw: Raw): NodeSpec {
  const components = (raw.components as Raw[] | undefined) ?? [];
  return {
    id: raw.id as string,
    ...(raw.address !== undefined ? { address: raw.address as string } : {}),
    roles: list(raw.roles as OneOrMany),
    groups: { ...((raw.groups as Record<string, string> | undefined) ?? {}) },
    components: components.map((c) => ({ name: c.name as string, version: c.version as string })),
  };
}

function input(value: unknown, file: string): Result<unknown> {
  return typeof value === 'string' ? parseDocument(value, file) : ok(value);
}

/** Reads an inventory from YAML/JSON text or an already parsed value. */
export function readInventory(source: unknown, file: string): Result<Inventory> {
  const parsed = input(source, file);
  if (!parsed.ok) return parsed;
  const problems = checkStructure(parsed.value, INVENTORY_SCHEMA, file);
  if (problems.length) return failed(problems);
  const raw = parsed.value as Raw;
  return ok({ nodes: (raw.nodes as Raw[]).map(node) });
}

/** Reads an upgrade descriptor from YAML/JSON text or an already parsed value. */
export function readDescriptor(source: unknown, file: string): Result<Descriptor> {
  const parsed = input(source, file);
  if (!parsed.ok) return parsed;
  const problems = checkStructure(parsed.value, DESCRIPTOR_SCHEMA, file);
  if (problems.length) return failed(problems);
  const raw = parsed.value as Raw;
  const membership = (raw.nodes as Raw | undefined) ?? {};
  return ok({
    name: raw.name as string,
    releases: list(raw.releases as OneOrMany),
    packages: ((raw.packages as Raw[] | undefined) ?? []).map((p) => ({
      component: p.component as string,
      version: p.version as string,
      mode: p.mode as string,
      rpms: list(p.rpms as OneOrMany),
      ...(p.targets !== undefined ? { targets: selector(p.targets as Raw) } : {}),
    })),
    nodes: {
      add: ((membership.add as Raw[] | undefined) ?? []).map(node),
      remove: list(membership.remove as OneOrMany),
    },
  });
}

function where(raw: Raw | undefined): Where | undefined {
  if (raw === undefined) return undefined;
  return {
    ...selector(raw),
    ...(raw.components !== undefined ? { components: list(raw.components as OneOrMany) } : {}),
  };
}

function phase(raw: Raw, index: number): Phase {
  const actions =
    raw.actions !== undefined ? list(raw.actions as OneOrMany) : list(raw.action as OneOrMany);
  const name = (raw.name as string | undefined) ?? actions[0] ?? `phases[${index}]`;
  const whenRaw = raw.when as Raw | undefined;
  const when = whenRaw && {
    ...(whenRaw.release !== undefined ? { release: list(whenRaw.release as OneOrMany) } : {}),
    ...(whenRaw.upgrading !== undefined ? { upgrading: list(whenRaw.upgrading as OneOrMany) } : {}),
    ...(whenRaw.membership !== undefined ? { membership: whenRaw.membership as boolean } : {}),
  };
  const common = {
    index,
    name,
    perRelease: raw.per_release === true,
    ...(when ? { when } : {}),
    keys: Object.keys(raw),
  };
  if (raw.scope === 'global') {
    return {
      ...common,
      scope: 'global',
      target: (raw.target as string | undefined) ?? '',
      action: actions[0] ?? '',
    };
  }
  const after = raw.after as Record<string, OneOrMany> | undefined;
  const hostPhase: HostPhase = {
    ...common,
    scope: 'host',
    actions,
    ...(raw.where !== undefined ? { where: where(raw.where as Raw) } : {}),
    ...(raw.order !== undefined
      ? {
          order: (typeof raw.order === 'string' ? [raw.order] : (raw.order as OneOrMany[])).map(
            list,
          ),
        }
      : {}),
    ...(after !== undefined
      ? { after: Object.fromEntries(Object.entries(after).map(([k, v]) => [k, list(v)])) }
      : {}),
    ...(raw.split !== undefined ? { split: { ...(raw.split as Raw) } } : {}),
    ...(raw.once_per !== undefined ? { oncePer: 'role' as const } : {}),
    once: raw.once === true,
    verify: (raw.verify as string | undefined) ?? null,
  };
  return hostPhase;
}

/**
 * Reads a logic book. Keys that only make sense together (`action`/`actions`, global-only keys)
 * are checked by the logic-book rules, which see each phase's given `keys`.
 */
export function readLogicBook(source: unknown, file: string): Result<LogicBook> {
  const parsed = input(source, file);
  if (!parsed.ok) return parsed;
  const problems = checkStructure(parsed.value, LOGIC_BOOK_SCHEMA, file);
  if (problems.length) return failed(problems);
  const raw = parsed.value as Raw;
  const invariants = (raw.invariants as Raw | undefined) ?? {};
  return ok({
    name: (raw.name as string | undefined) ?? 'logic-book',
    modes: listRecord(raw.modes as Record<string, OneOrMany>),
    undo: { ...((raw.undo as Record<string, string> | undefined) ?? {}) },
    commands: listRecord((raw.commands as Record<string, OneOrMany> | undefined) ?? {}),
    invariants: { odd: list(invariants.odd as OneOrMany) },
    phases: (raw.phases as Raw[]).map(phase),
  });
}
