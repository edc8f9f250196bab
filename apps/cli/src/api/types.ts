import { isRunFinished, type RunState } from '@ferry/contracts/enums/run-state';

/**
 * The HTTP API's response shapes (interfaces.md, "HTTP API"), as the CLI reads them. Fields the
 * gateway may add later are allowed; fields the CLI does not strictly need are optional so an
 * older or newer gateway still works.
 */

export interface ProblemBody {
  readonly path: string;
  readonly message: string;
  readonly code?: string;
  readonly file?: string;
}

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly problems?: readonly ProblemBody[];
  /** `RUN.CONFLICT`: the overlapping `host/component` instances. */
  readonly conflicts?: readonly string[];
}

export interface ProjectCreated {
  readonly id: string;
  readonly name: string;
}

export interface ProjectInfo {
  readonly id: string;
  readonly name: string;
  readonly snapshot: string | null;
  readonly plan: string | null;
  readonly createdAt: string;
}

export interface CollectSummary {
  readonly snapshot: string;
  readonly source: string;
  readonly nodes: number;
  readonly instances: number;
  readonly components: number;
  readonly added?: number;
  readonly removed?: number;
}

export interface PhaseSummary {
  readonly name: string;
  /** Half-open range `[first, end)` of mission indices. */
  readonly batches: readonly [number, number] | readonly number[];
  readonly tasks: number;
}

export interface PlanSummary {
  readonly plan: string;
  readonly name: string;
  readonly tasks: number;
  readonly batches: number;
  readonly hosts: number;
  readonly instancesTouched: number;
  readonly alreadyAtTarget: number;
  readonly phases?: readonly PhaseSummary[];
}

export interface RunCreated {
  readonly id: string;
  readonly state: string;
  readonly plan?: string;
  readonly tasks?: number;
  readonly batches?: number;
  readonly excludedDone?: number;
}

/** `{done, fail, undo}`: task ids (interfaces.md); a count is accepted too. */
export interface RunResult {
  readonly done: readonly string[] | number;
  readonly fail: readonly string[] | number;
  readonly undo: readonly string[] | number;
}

/** Per-batch sizes, when the gateway reports them (not part of the fixed shape). */
export interface RunBatchInfo {
  readonly index?: number;
  readonly batch?: number;
  readonly tasks: number;
}

export interface RunDetails {
  readonly id: string;
  readonly project: string;
  readonly state: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly batch: { readonly index: number; readonly total: number };
  /** Tasks in the run's current plan. */
  readonly tasks?: number;
  readonly kind?: string;
  readonly result: RunResult | null;
  readonly reason?: string | null;
  readonly policy?: Readonly<Record<string, unknown>>;
  readonly command?: Readonly<Record<string, unknown>>;
  readonly createdAt?: string;
  readonly startedAt?: string | null;
  readonly endedAt?: string | null;
  readonly batches?: readonly RunBatchInfo[];
}

export interface RunControlReply {
  readonly id: string;
  readonly state: string;
}

export interface TaskAttempt {
  readonly task: string;
  readonly host: string;
  readonly target: string;
  readonly action: string;
  readonly batch: number;
  readonly state: string;
  readonly attempt: number;
  readonly exitCode: number | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly output: string | null;
}

export interface StatsRow {
  readonly component: string;
  readonly action: string;
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

/** `event: progress` (a ProgressDto of @ferry/contracts, as JSON). */
export interface ProgressEvent {
  readonly run?: string;
  readonly at?: string;
  readonly updates?: readonly {
    readonly task: string;
    readonly state: string;
    readonly attempt: number;
    readonly batch: number;
  }[];
  readonly counts?: Readonly<Record<string, number>>;
  readonly batchesEnded?: readonly number[];
  readonly state?: string;
  readonly batch?: number;
}

/**
 * `event: state`: the run entered a state or moved to a batch. The first event of a stream is the
 * run as it stands (`batch` as `{index, total}`, with `counts`); later ones carry the batch index.
 */
export interface StateEvent {
  readonly state: string;
  readonly batch?: number | { readonly index: number; readonly total?: number } | null;
  readonly counts?: Readonly<Record<string, number>>;
}

/** True for a run state after which nothing changes any more (succeeded, failed, cancelled). */
export function runFinished(state: string): boolean {
  return isRunFinished(state as RunState);
}

export function resultCount(value: readonly string[] | number | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : value.length;
}
