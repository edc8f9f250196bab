/** The plan (plan-format.md). */

export const PLAN_FORMAT = 'ferry.plan/v1';
/** The pseudo-host of global tasks. */
export const GLOBAL_HOST = 'upg-server';

export type TaskId = string;
export type Stage = TaskId[];
export type Job = Stage[];
export type Batch = Job[];
export type Mission = Batch[];

export interface TaskRecord {
  readonly host: string;
  readonly target: string;
  readonly action: string;
  readonly phase: string;
  readonly mode: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly release: string | null;
  readonly undo: string | null;
  readonly layer: number | null;
}

export interface PhaseRecord {
  readonly name: string;
  /** Half-open range `[first, end)` of mission indices. */
  readonly batches: readonly [number, number];
  readonly actions: readonly string[];
  readonly verify: string | null;
}

export interface HostRecord {
  readonly roles: readonly string[];
  readonly groups: Readonly<Record<string, string>>;
}

export interface SliceInfo {
  readonly of: string;
  readonly command: SliceCommand;
}

/**
 * A plan in memory. `tasks` is a Map (a million-key object is slow to build); the JSON file holds
 * it as an object in mission order.
 */
export interface Plan {
  readonly format: typeof PLAN_FORMAT;
  readonly name: string;
  readonly snapshot: string | null;
  readonly hosts: ReadonlyMap<string, HostRecord>;
  readonly modes: Readonly<Record<string, readonly string[]>>;
  readonly commands: Readonly<Record<string, readonly string[]>>;
  readonly phases: readonly PhaseRecord[];
  readonly tasks: ReadonlyMap<TaskId, TaskRecord>;
  readonly mission: Mission;
  readonly slice?: SliceInfo;
}

/** A slicing command (logic-book.md, "Slicing"). */
export interface SliceCommand {
  readonly command?: string;
  readonly phases?: readonly string[];
  readonly instances?: readonly string[];
  readonly hosts?: readonly string[];
  readonly components?: readonly string[];
  readonly actions?: readonly string[];
  readonly roles?: readonly string[];
  readonly exclude_done?: boolean;
  readonly regroup?: Regroup;
}

export interface Regroup {
  readonly phase: string;
  readonly hosts: readonly (readonly string[])[];
}

export function taskId(
  host: string,
  target: string,
  action: string,
  release: string | null,
): TaskId {
  return release === null
    ? `${host}_${target}_${action}`
    : `${host}_${target}_${action}@${release}`;
}
