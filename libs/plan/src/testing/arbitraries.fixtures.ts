/**
 * fast-check generators of small, valid inputs: an inventory, a descriptor and a logic book that
 * compile. Choices are generated as plain data (so they shrink well) and turned into the three
 * files by `buildSources`, which only ever names roles, components and releases that exist.
 */
import fc from 'fast-check';
import type { Plan, SliceCommand } from '../model/plan';
import type { RawNode, RawPackage, RawPhase, Sources } from './builders.fixtures';

export const NODE_IDS = ['n1', 'n2', 'n3', 'n9', 'n10', 'n11', 'n20', 'n100'];
export const COMPONENTS = ['api', 'c1', 'c2', 'c10'];
export const ROLES = ['management', 'compute', 'network'];
const AZS = ['az1', 'az2', 'az10'];

export const MODES: Record<string, string[]> = {
  restart: ['dispatch', 'check', 'stop', 'uprpm', 'start'],
  hot: ['dispatch', 'uprpm', 'reload'],
  install: ['dispatch', 'install', 'start'],
  uninstall: ['stop', 'uninstall'],
};

interface NodeChoice {
  id: string;
  roles: string[];
  az: string | undefined;
  components: string[];
  atTarget: string[];
}

interface PackageChoice {
  present: boolean;
  mode: 'restart' | 'hot';
  targeted: { role: string; mode: 'restart' | 'hot' } | undefined;
}

type Layering =
  | { kind: 'order'; components: string[]; cuts: boolean[] }
  | { kind: 'after'; components: string[]; edges: boolean[] };

interface PhaseChoice {
  where:
    | { roles: string[] }
    | { components: string[] }
    | { groups: Record<string, string[]> }
    | undefined;
  split: Record<string, number | string> | undefined;
  layering: Layering | undefined;
  verify: boolean;
  once: 'once' | 'once_per' | undefined;
}

export interface InputChoice {
  nodes: NodeChoice[];
  packages: PackageChoice[];
  releases: string[];
  add: string[] | undefined;
  remove: number | undefined;
  pin: boolean;
  unpin: 'always' | 'membership' | 'upgrading' | undefined;
  check: PhaseChoice | undefined;
  block: { migrate: PhaseChoice | undefined; onlyFirstRelease: boolean } | undefined;
  dispatch: PhaseChoice;
  install: PhaseChoice;
  roll: { together: true; phase: PhaseChoice } | { together: false; phases: PhaseChoice[] };
  uninstall: PhaseChoice;
}

const nodeChoice = (id: string): fc.Arbitrary<NodeChoice> =>
  fc.record({
    id: fc.constant(id),
    roles: fc.subarray(ROLES, { minLength: 1 }),
    az: fc.option(fc.constantFrom(...AZS), { nil: undefined }),
    components: fc.subarray(COMPONENTS, { minLength: 1 }),
    atTarget: fc.subarray(COMPONENTS, { maxLength: 1 }),
  });

const mode = fc.constantFrom<'restart' | 'hot'>('restart', 'hot');

const packageChoice: fc.Arbitrary<PackageChoice> = fc.record({
  present: fc.boolean(),
  mode,
  targeted: fc.option(fc.record({ role: fc.constantFrom(...ROLES), mode }), { nil: undefined }),
});

const layering: fc.Arbitrary<Layering> = fc.oneof(
  fc.record({
    kind: fc.constant('order' as const),
    components: fc.shuffledSubarray(COMPONENTS, { minLength: 1 }),
    cuts: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('after' as const),
    components: fc.shuffledSubarray(COMPONENTS, { minLength: 2 }),
    edges: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  }),
);

const phaseChoice: fc.Arbitrary<PhaseChoice> = fc.record({
  where: fc.option(
    fc.oneof(
      fc.record({ roles: fc.subarray(ROLES, { minLength: 1 }) }),
      fc.record({ components: fc.subarray(COMPONENTS, { minLength: 1 }) }),
      fc.constant<{ groups: Record<string, string[]> }>({ groups: { az: ['az1', 'az10'] } }),
    ),
    { nil: undefined },
  ),
  split: fc.option(
    fc.oneof(
      fc.record({ canary: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ size: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ count: fc.integer({ min: 1, max: 4 }) }),
      fc.constant({ by: 'az' }),
      fc.record({ by: fc.constant('az'), size: fc.integer({ min: 1, max: 2 }) }),
      fc.record({ canary: fc.constant(1), count: fc.integer({ min: 1, max: 3 }) }),
      fc.constant({ canary: 1, by: 'az' }),
    ),
    { nil: undefined },
  ),
  layering: fc.option(layering, { nil: undefined }),
  verify: fc.boolean(),
  once: fc.constantFrom<PhaseChoice['once']>(undefined, undefined, 'once', 'once_per'),
});

export const inputChoice: fc.Arbitrary<InputChoice> = fc
  .uniqueArray(fc.constantFrom(...NODE_IDS), { minLength: 1, maxLength: 6 })
  .chain((ids) =>
    fc.record({
      nodes: fc.tuple(...ids.map(nodeChoice)),
      packages: fc.array(packageChoice, {
        minLength: COMPONENTS.length,
        maxLength: COMPONENTS.length,
      }),
      releases: fc.constantFrom([], ['r1'], ['r1', 'r2'], ['r1', 'r2', 'r3']),
      add: fc.option(fc.subarray(COMPONENTS, { minLength: 1 }), { nil: undefined }),
      remove: fc.option(fc.nat(), { nil: undefined }),
      pin: fc.boolean(),
      unpin: fc.constantFrom<InputChoice['unpin']>(undefined, 'always', 'membership', 'upgrading'),
      check: fc.option(phaseChoice, { nil: undefined }),
      block: fc.option(
        fc.record({
          migrate: fc.option(phaseChoice, { nil: undefined }),
          onlyFirstRelease: fc.boolean(),
        }),
        { nil: undefined },
      ),
      dispatch: phaseChoice,
      install: phaseChoice,
      roll: fc.oneof(
        fc.record({ together: fc.constant(true as const), phase: phaseChoice }),
        fc.record({
          together: fc.constant(false as const),
          phases: fc.array(phaseChoice, { minLength: 4, maxLength: 4 }),
        }),
      ),
      uninstall: phaseChoice,
    }),
  );

interface Known {
  readonly roles: Set<string>;
  readonly components: Set<string>;
}

function phaseKeys(name: string, choice: PhaseChoice, known: Known): RawPhase {
  const phase: RawPhase = {};
  const where = choice.where;
  if (where && 'roles' in where) {
    const roles = where.roles.filter((r) => known.roles.has(r));
    if (roles.length) phase.where = { roles };
  } else if (where && 'components' in where) {
    const components = where.components.filter((c) => known.components.has(c));
    if (components.length) phase.where = { components };
  } else if (where) {
    phase.where = where;
  }
  if (choice.split) phase.split = choice.split;
  const layer = choice.layering;
  if (layer) {
    const components = layer.components.filter((c) => known.components.has(c));
    if (layer.kind === 'order' && components.length) {
      const items: string[][] = [];
      components.forEach((c, i) => {
        if (i === 0 || layer.cuts[i]) items.push([c]);
        else items[items.length - 1].push(c);
      });
      phase.order = items.map((item) => (item.length === 1 ? item[0] : item));
    } else if (layer.kind === 'after' && components.length >= 2) {
      // Edges only from later to earlier components of the shuffled list: always acyclic.
      const after: Record<string, string[]> = {};
      let e = 0;
      for (let i = 1; i < components.length; i++) {
        for (let j = 0; j < i; j++) {
          if (layer.edges[e++ % layer.edges.length])
            (after[components[i]] ??= []).push(components[j]);
        }
      }
      if (Object.keys(after).length) phase.after = after;
    }
  }
  if (choice.verify) phase.verify = `hc-${name}`;
  if (choice.once === 'once') phase.once = true;
  if (choice.once === 'once_per') phase.once_per = 'role';
  return phase;
}

/** Turns generated choices into the three input files (as objects). */
export function buildSources(choice: InputChoice): Sources {
  const nodes: RawNode[] = choice.nodes.map((n) => ({
    id: n.id,
    roles: n.roles,
    ...(n.az ? { groups: { az: n.az } } : {}),
    components: n.components.map((name) => ({
      name,
      version: n.atTarget.includes(name) ? '2' : '1',
    })),
  }));
  const packages: RawPackage[] = [];
  choice.packages.forEach((p, i) => {
    const component = COMPONENTS[i];
    if (p.targeted)
      packages.push({
        component,
        version: '3',
        mode: p.targeted.mode,
        targets: { roles: [p.targeted.role] },
      });
    if (p.present) packages.push({ component, version: '2', mode: p.mode });
  });
  const add: RawNode[] = choice.add
    ? [
        {
          id: 'new1',
          roles: ['compute'],
          groups: { az: 'az2' },
          components: choice.add.map((name) => ({ name, version: '2' })),
        },
      ]
    : [];
  const remove = choice.remove !== undefined ? [nodes[choice.remove % nodes.length].id] : [];

  const known: Known = {
    roles: new Set([
      ...nodes.flatMap((n) => n.roles as string[]),
      ...add.flatMap((n) => n.roles as string[]),
      ...choice.packages.flatMap((p) => (p.targeted ? [p.targeted.role] : [])),
    ]),
    components: new Set([
      ...nodes.flatMap((n) => (n.components ?? []).map((c) => c.name)),
      ...add.flatMap((n) => (n.components ?? []).map((c) => c.name)),
      ...packages.map((p) => p.component),
    ]),
  };

  const phases: RawPhase[] = [];
  const host = (name: string, actions: string | string[], c: PhaseChoice) => {
    const phase = phaseKeys(name, c, known);
    phases.push({
      name,
      ...(typeof actions === 'string' ? { action: actions } : { actions }),
      ...phase,
    });
  };
  if (choice.pin) phases.push({ name: 'pin', scope: 'global', target: 'nova', action: 'pin-rpc' });
  host('dispatch', 'dispatch', choice.dispatch);
  if (choice.check) host('check', 'check', choice.check);
  if (choice.block) {
    phases.push({
      name: 'sync',
      scope: 'global',
      target: 'db',
      action: 'db-sync',
      per_release: true,
      ...(choice.block.onlyFirstRelease ? { when: { release: ['r1'] } } : {}),
    });
    // A per-release `check` only when there is no plain `check` phase: without releases the two
    // would create the same ids.
    if (choice.block.migrate && !choice.check) {
      host('migrate', 'check', choice.block.migrate);
      phases[phases.length - 1].per_release = true;
    }
  }
  host('install', 'install', choice.install);
  if (choice.roll.together) host('roll', ['stop', 'uprpm', 'reload', 'start'], choice.roll.phase);
  else {
    const [stop, uprpm, reload, start] = choice.roll.phases;
    host('stop', 'stop', stop);
    host('uprpm', 'uprpm', uprpm);
    host('reload', 'reload', reload);
    host('start', 'start', start);
  }
  host('uninstall', 'uninstall', choice.uninstall);
  if (choice.unpin) {
    const when =
      choice.unpin === 'membership'
        ? { when: { membership: true } }
        : choice.unpin === 'upgrading'
          ? { when: { upgrading: [...known.components].sort().slice(0, 1) } }
          : {};
    phases.push({ name: 'unpin', scope: 'global', target: 'nova', action: 'unpin-rpc', ...when });
  }
  const names = phases.map((p) => p.name as string);
  return {
    inventory: { nodes },
    descriptor: {
      name: 'generated',
      ...(choice.releases.length ? { releases: choice.releases } : {}),
      packages,
      nodes: { add, remove },
    },
    logicBook: {
      name: 'generated',
      modes: MODES,
      undo: { dispatch: 'cleanup', stop: 'start', uprpm: 'downrpm', start: 'stop' },
      commands: { all: names, first: [names[0]], last: [names[names.length - 1]] },
      phases,
    },
  };
}

export const sources: fc.Arbitrary<Sources> = inputChoice.map(buildSources);

/** Index choices that pick names out of a compiled plan for a slicing command. */
export interface SliceChoice {
  by: 'command' | 'phases' | 'none';
  command: number;
  phases: number[];
  fullPhaseNames: boolean;
  hosts: number[] | undefined;
  components: number[] | undefined;
  actions: number[] | undefined;
  roles: number[] | undefined;
  instances: number[] | undefined;
  done: number[];
  excludeDone: boolean | undefined;
}

const picks = fc.option(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), {
  nil: undefined,
  freq: 2,
});

export const sliceChoice: fc.Arbitrary<SliceChoice> = fc.record({
  by: fc.constantFrom<SliceChoice['by']>('command', 'phases', 'none'),
  command: fc.nat(),
  phases: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  fullPhaseNames: fc.boolean(),
  hosts: picks,
  components: picks,
  actions: picks,
  roles: picks,
  instances: picks,
  done: fc.array(fc.nat(), { maxLength: 4 }),
  excludeDone: fc.option(fc.boolean(), { nil: undefined }),
});

function pick(values: readonly string[], indices: number[] | undefined): string[] | undefined {
  if (!indices || values.length === 0) return undefined;
  return [...new Set(indices.map((i) => values[i % values.length]))];
}

/** A slicing command that names only things the plan has, and a set of done task ids. */
export function buildSlice(
  plan: Plan,
  choice: SliceChoice,
): { command: SliceCommand; done: Set<string> } {
  const records = [...plan.tasks.entries()];
  const base = (name: string) => name.split('@')[0];
  const command: {
    -readonly [K in keyof SliceCommand]: SliceCommand[K];
  } = {};
  const commands = Object.keys(plan.commands);
  if (choice.by === 'command' && commands.length)
    command.command = commands[choice.command % commands.length];
  if (choice.by === 'phases') {
    const names = choice.fullPhaseNames
      ? plan.phases.map((p) => p.name)
      : [...new Set(plan.phases.map((p) => base(p.name)))];
    command.phases = pick(names, choice.phases);
  }
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  command.hosts = pick([...plan.hosts.keys()], choice.hosts);
  command.components = pick(sorted(records.map(([, r]) => r.target)), choice.components);
  command.actions = pick(sorted(records.map(([, r]) => r.action)), choice.actions);
  command.roles = pick(sorted([...plan.hosts.values()].flatMap((h) => h.roles)), choice.roles);
  command.instances = pick(
    sorted(
      records.filter(([, r]) => r.host !== 'upg-server').map(([, r]) => `${r.host}/${r.target}`),
    ),
    choice.instances,
  );
  if (choice.excludeDone !== undefined) command.exclude_done = choice.excludeDone;
  for (const key of Object.keys(command) as (keyof SliceCommand)[])
    if (command[key] === undefined) delete command[key];
  const ids = records.map(([id]) => id);
  const done = new Set(ids.length ? choice.done.map((i) => ids[i % ids.length]) : []);
  return { command, done };
}
