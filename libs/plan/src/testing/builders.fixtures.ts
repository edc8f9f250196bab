/**
 * Small builders for the three inputs, and helpers to compile them and read the results. Tests
 * describe only what matters to them; everything else gets a sensible default. The builders return
 * the raw (file-shaped) objects, so they go through the same reading and validation as YAML does.
 */
import type { Compiled } from '../compile/compile';
import type { InputFiles } from '../model/inputs';
import type { Mission, Plan, TaskId, TaskRecord } from '../model/plan';
import { formatProblem, type Problem, type Result } from '../problems/problem';
import { compileSources } from '../sources';

/** The file names every test reports problems against. */
export const FILES: InputFiles = {
  inventory: 'inventory.yaml',
  descriptor: 'descriptor.yaml',
  logicBook: 'logic.yaml',
};

export interface RawComponent {
  name: string;
  version: string;
}

export interface RawNode {
  id: string;
  roles?: string | string[];
  groups?: Record<string, string>;
  components?: RawComponent[];
  address?: string;
}

/** `{ X: '1.0', Y: '1.0' }` → the component list of a node. */
export function components(versions: Record<string, string>): RawComponent[] {
  return Object.entries(versions).map(([name, version]) => ({ name, version }));
}

/** A node: `node('A', 'management', { X: '1.0' }, { az: 'az1' })`. */
export function node(
  id: string,
  roles: string | string[] = [],
  versions: Record<string, string> = {},
  groups?: Record<string, string>,
): RawNode {
  return {
    id,
    roles: typeof roles === 'string' ? [roles] : roles,
    ...(groups ? { groups } : {}),
    components: components(versions),
  };
}

export function inventory(...nodes: RawNode[]): { nodes: RawNode[] } {
  return { nodes };
}

export interface RawTargets {
  roles?: string | string[];
  nodes?: string | string[];
  groups?: Record<string, string | string[]>;
}

export interface RawPackage {
  component: string;
  version: string;
  mode: string;
  rpms?: string | string[];
  targets?: RawTargets;
}

/** A package: `pkg('X', '2.0')` upgrades X to 2.0 in mode `restart`. */
export function pkg(
  component: string,
  version: string,
  mode = 'restart',
  targets?: RawTargets,
): RawPackage {
  return { component, version, mode, ...(targets ? { targets } : {}) };
}

export interface RawDescriptor {
  name: string;
  releases?: string | string[];
  packages?: RawPackage[];
  nodes?: { add?: RawNode[]; remove?: string | string[] };
}

export function descriptor(
  packages: RawPackage[],
  more: Omit<RawDescriptor, 'name' | 'packages'> & { name?: string } = {},
): RawDescriptor {
  return { name: more.name ?? 'test-upgrade', packages, ...more };
}

/** A phase as written in a logic book: any keys, unchecked, so tests can write broken ones too. */
export type RawPhase = Record<string, unknown>;

export interface RawLogicBook {
  name?: string;
  modes: Record<string, string[] | string>;
  undo?: Record<string, string>;
  commands?: Record<string, string[] | string>;
  invariants?: { odd?: string | string[] };
  phases: RawPhase[];
}

/** The seed's restart mode. */
export const RESTART = ['dispatch', 'check', 'stop', 'uprpm', 'start'];

/** A logic book with the seed's restart mode (plus install/uninstall) and the given phases. */
export function book(phases: RawPhase[], more: Partial<RawLogicBook> = {}): RawLogicBook {
  return {
    name: 'test-book',
    modes: {
      restart: RESTART,
      hot: ['dispatch', 'uprpm', 'reload'],
      install: ['dispatch', 'install', 'start'],
      uninstall: ['stop', 'uninstall'],
    },
    ...more,
    phases,
  };
}

/** One phase per action of `actions`, in order: `phases('stop', 'start')`. */
export function phases(...actions: string[]): RawPhase[] {
  return actions.map((action) => ({ action }));
}

export interface Sources {
  inventory: unknown;
  descriptor: unknown;
  logicBook: unknown;
}

export function compile(sources: Sources): Result<Compiled> {
  return compileSources(sources, FILES);
}

/** Compiles and fails the test with every problem if the inputs do not compile. */
export function compileOk(sources: Sources): Compiled {
  const result = compile(sources);
  if (!result.ok) {
    throw new Error(
      `expected the inputs to compile:\n${result.problems.map(formatProblem).join('\n')}`,
    );
  }
  return result.value;
}

/** The problems of a failed result; fails the test if the result is ok. */
export function problemsOf<T>(result: Result<T>): Problem[] {
  if (result.ok) throw new Error('expected problems, but the result is ok');
  return result.problems;
}

/** Unwraps a result or fails the test with its problems. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) {
    throw new Error(`expected success:\n${result.problems.map(formatProblem).join('\n')}`);
  }
  return result.value;
}

/** Every task id of a mission, in mission order (batch, job, stage, task). */
export function missionIds(mission: Mission): TaskId[] {
  return mission.flat(3);
}

/** A task's record, failing the test if the plan does not describe it. */
export function record(plan: Plan, id: TaskId): TaskRecord {
  const found = plan.tasks.get(id);
  if (!found)
    throw new Error(`the plan has no task ${id} (it has ${[...plan.tasks.keys()].join(', ')})`);
  return found;
}

/** The phase record named `name`. */
export function phaseRecord(plan: Plan, name: string): Plan['phases'][number] {
  const found = plan.phases.find((p) => p.name === name);
  if (!found)
    throw new Error(`the plan has no phase ${name} (${plan.phases.map((p) => p.name).join(', ')})`);
  return found;
}

/** The batches a phase produced (its `batches` range of the mission). */
export function phaseBatches(plan: Plan, name: string): Mission {
  const [first, end] = phaseRecord(plan, name).batches;
  return plan.mission.slice(first, end);
}

/** A plain, comparable copy of a plan: Maps become entry lists in their order. */
export function plainPlan(plan: Plan): unknown {
  return {
    ...plan,
    hosts: [...plan.hosts.entries()],
    tasks: [...plan.tasks.entries()],
  };
}

/**
 * The seed example as objects: node A (management) runs X, Y, Z; node B (compute) runs X; X and Y
 * go from 1.0 to 2.0 in mode restart.
 */
export function seedSources(phaseList?: RawPhase[]): Sources {
  return {
    inventory: inventory(
      node('A', 'management', { X: '1.0', Y: '1.0', Z: '1.0' }),
      node('B', 'compute', { X: '1.0' }),
    ),
    descriptor: descriptor([pkg('X', '2.0'), pkg('Y', '2.0')], { name: 'seed-example' }),
    logicBook: book(
      phaseList ?? [
        { action: 'dispatch' },
        { action: 'check' },
        { action: 'stop', order: ['X', 'Y'] },
        { action: 'uprpm' },
        { action: 'start', order: ['Y', 'X'] },
      ],
      {
        modes: { restart: RESTART },
        undo: { dispatch: 'cleanup', stop: 'start', uprpm: 'downrpm', start: 'stop' },
        // The seed's commands name the seed's phases; custom phases get no commands.
        ...(phaseList
          ? {}
          : { commands: { prepare: ['dispatch', 'check'], upgrade: ['stop', 'uprpm', 'start'] } }),
      },
    ),
  };
}

/** The seed's global plan. */
export function seedPlan(): Plan {
  return compileOk(seedSources()).plan;
}

/** A plan with a changed mission (and optionally changed records), for edited-plan tests. */
export function edited(
  plan: Plan,
  mission: Mission,
  tasks: ReadonlyMap<TaskId, TaskRecord> = plan.tasks,
): Plan {
  return { ...plan, mission, tasks };
}

/** The host of each job of a batch, in order. */
export function batchHosts(plan: Plan, batch: Mission[number]): string[] {
  return batch.map((job) => record(plan, job[0][0]).host);
}

/** For each batch of a phase, the hosts of its jobs. */
export function hostsPerBatch(plan: Plan, phase: string): string[][] {
  return phaseBatches(plan, phase).map((batch) => batchHosts(plan, batch));
}

/**
 * A cluster of nodes that each run one component `svc` at 1.0, upgraded to 2.0 in mode restart;
 * `groups` gives some nodes group values.
 */
export function svcCluster(
  ids: string[],
  phaseList: RawPhase[],
  groups: Record<string, Record<string, string>> = {},
  roles: Record<string, string[]> = {},
): Sources {
  return {
    inventory: inventory(
      ...ids.map((id) => node(id, roles[id] ?? ['worker'], { svc: '1.0' }, groups[id])),
    ),
    descriptor: descriptor([pkg('svc', '2.0')]),
    logicBook: book(phaseList),
  };
}
