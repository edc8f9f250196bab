import type { Mission, TaskId, TaskRecord } from '../model/plan';

/** Where a task sits in the mission. */
export interface TaskPlace {
  readonly id: TaskId;
  readonly action: string;
  readonly phase: string;
  readonly batch: number;
  readonly job: number;
  readonly stage: number;
}

/**
 * Two tasks of one instance out of their mode's order: `earlier` runs first (or in the same stage)
 * although its action comes after `later`'s in the mode's list.
 */
export interface OrderViolation {
  readonly host: string;
  readonly target: string;
  readonly mode: string;
  readonly earlier: TaskPlace;
  readonly later: TaskPlace;
  readonly parallel: boolean;
  /** How many instances break the rule the same way (same phases and actions). */
  readonly instances: number;
}

export interface InstanceWalk {
  readonly violations: readonly OrderViolation[];
  /** Per mode: how many instances it has, and per action how many of them got a task for it. */
  readonly coverage: ReadonlyMap<string, { instances: number; scheduled: Map<string, number> }>;
}

interface View {
  pos: number;
  at: number;
  atPlace: TaskPlace | null;
  before: number;
  beforePlace: TaskPlace | null;
}

interface InstanceState {
  readonly mode: string;
  readonly base: View;
  releases: Map<string, View> | null;
  /** Bit i set: the mode's action i has a task (modes longer than 31 actions use `more`). */
  scheduled: number;
  more: Set<number> | null;
}

const STAGE_SPAN = 65536;

function newView(): View {
  return { pos: -1, at: -1, atPlace: null, before: -1, beforePlace: null };
}

/**
 * Walks every instance's tasks in mission order (batch, then stage) and finds the pairs that break
 * their mode's action order (logic-book.md, "Mode order"). Tasks of no release count for every
 * release; tasks of release r are compared only with those and with other tasks of r. Actions not
 * in the mode (verify checks) and global tasks are not part of any instance's order.
 */
export function walkInstances(
  mission: Mission,
  tasks: ReadonlyMap<TaskId, TaskRecord>,
  modes: Readonly<Record<string, readonly string[]>>,
): InstanceWalk {
  const modeIndex = new Map<string, Map<string, number>>();
  for (const [mode, actions] of Object.entries(modes)) {
    modeIndex.set(mode, new Map(actions.map((a, i) => [a, i])));
  }
  const states = new Map<string, Map<string, InstanceState>>();
  const violations = new Map<string, OrderViolation>();

  const report = (
    record: TaskRecord,
    mode: string,
    earlier: TaskPlace,
    later: TaskPlace,
    parallel: boolean,
  ) => {
    const key = `${earlier.phase}\u0000${later.phase}\u0000${earlier.action}\u0000${later.action}\u0000${mode}`;
    const seen = violations.get(key);
    if (seen) violations.set(key, { ...seen, instances: seen.instances + 1 });
    else
      violations.set(key, {
        host: record.host,
        target: record.target,
        mode,
        earlier,
        later,
        parallel,
        instances: 1,
      });
  };

  /** Adds one task to a view; the walk visits positions in ascending order. */
  const update = (
    view: View,
    pos: number,
    index: number,
    place: TaskPlace,
    record: TaskRecord,
    mode: string,
  ) => {
    if (pos !== view.pos) {
      if (view.at > view.before) {
        view.before = view.at;
        view.beforePlace = view.atPlace;
      }
      view.pos = pos;
      view.at = index;
      view.atPlace = place;
      if (index < view.before && view.beforePlace)
        report(record, mode, view.beforePlace, place, false);
      return;
    }
    if (index === view.at || !view.atPlace) return;
    // Two actions of one instance in one stage would run in parallel: neither is "before".
    if (index < view.at) report(record, mode, view.atPlace, place, true);
    else {
      report(record, mode, place, view.atPlace, true);
      view.at = index;
      view.atPlace = place;
    }
  };

  const coverage = new Map<string, { instances: number; scheduled: Map<string, number> }>();

  for (let b = 0; b < mission.length; b++) {
    const batch = mission[b];
    for (let j = 0; j < batch.length; j++) {
      const job = batch[j];
      for (let s = 0; s < job.length; s++) {
        const pos = b * STAGE_SPAN + s;
        for (const id of job[s]) {
          const record = tasks.get(id);
          if (!record || record.mode === null) continue;
          const index = modeIndex.get(record.mode)?.get(record.action);
          if (index === undefined) continue;
          let byTarget = states.get(record.host);
          if (!byTarget) {
            byTarget = new Map();
            states.set(record.host, byTarget);
          }
          let state = byTarget.get(record.target);
          if (!state) {
            state = {
              mode: record.mode,
              base: newView(),
              releases: null,
              scheduled: 0,
              more: null,
            };
            byTarget.set(record.target, state);
          }
          if (index < 31) state.scheduled |= 1 << index;
          else (state.more ??= new Set()).add(index);
          const place: TaskPlace = {
            id,
            action: record.action,
            phase: record.phase,
            batch: b,
            job: j,
            stage: s,
          };
          if (record.release === null) {
            update(state.base, pos, index, place, record, state.mode);
            if (state.releases)
              for (const view of state.releases.values())
                update(view, pos, index, place, record, state.mode);
          } else {
            state.releases ??= new Map();
            let view = state.releases.get(record.release);
            if (!view) {
              view = { ...state.base };
              state.releases.set(record.release, view);
            }
            update(view, pos, index, place, record, state.mode);
          }
        }
      }
    }
  }

  for (const byTarget of states.values()) {
    for (const state of byTarget.values()) {
      let entry = coverage.get(state.mode);
      if (!entry) {
        entry = { instances: 0, scheduled: new Map() };
        coverage.set(state.mode, entry);
      }
      entry.instances++;
      const actions = modes[state.mode] ?? [];
      actions.forEach((action, i) => {
        const has = i < 31 ? (state.scheduled & (1 << i)) !== 0 : (state.more?.has(i) ?? false);
        if (has) entry.scheduled.set(action, (entry.scheduled.get(action) ?? 0) + 1);
      });
    }
  }
  return { violations: [...violations.values()], coverage };
}
