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

/**
 * One release's view of an instance: the highest mode index at the latest position, and the
 * highest before it, each with where its task sits. Kept as plain fields so a million tasks
 * allocate nothing while walking.
 */
interface View {
  pos: number;
  at: number;
  atId: TaskId;
  atB: number;
  atJ: number;
  atS: number;
  before: number;
  beforeId: TaskId;
  beforeB: number;
  beforeJ: number;
  beforeS: number;
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
  return {
    pos: -1,
    at: -1,
    atId: '',
    atB: 0,
    atJ: 0,
    atS: 0,
    before: -1,
    beforeId: '',
    beforeB: 0,
    beforeJ: 0,
    beforeS: 0,
  };
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

  const place = (id: TaskId, batch: number, job: number, stage: number): TaskPlace => {
    const record = tasks.get(id) as TaskRecord;
    return { id, action: record.action, phase: record.phase, batch, job, stage };
  };
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
    v: View,
    pos: number,
    index: number,
    id: TaskId,
    b: number,
    j: number,
    s: number,
    record: TaskRecord,
    mode: string,
  ) => {
    if (pos !== v.pos) {
      if (v.at > v.before) {
        v.before = v.at;
        v.beforeId = v.atId;
        v.beforeB = v.atB;
        v.beforeJ = v.atJ;
        v.beforeS = v.atS;
      }
      v.pos = pos;
      v.at = index;
      v.atId = id;
      v.atB = b;
      v.atJ = j;
      v.atS = s;
      if (index < v.before)
        report(
          record,
          mode,
          place(v.beforeId, v.beforeB, v.beforeJ, v.beforeS),
          place(id, b, j, s),
          false,
        );
      return;
    }
    if (index === v.at) return;
    // Two actions of one instance in one stage would run in parallel: neither is "before".
    const other = place(v.atId, v.atB, v.atJ, v.atS);
    const here = place(id, b, j, s);
    if (index < v.at) report(record, mode, other, here, true);
    else {
      report(record, mode, here, other, true);
      v.at = index;
      v.atId = id;
    }
  };

  for (let b = 0; b < mission.length; b++) {
    const batch = mission[b];
    for (let j = 0; j < batch.length; j++) {
      const job = batch[j];
      // Every task of a job has one host (checkPlan reports jobs that do not): look it up once.
      let host: string | null = null;
      let byTarget: Map<string, InstanceState> | undefined;
      for (let s = 0; s < job.length; s++) {
        const pos = b * STAGE_SPAN + s;
        for (const id of job[s]) {
          const record = tasks.get(id);
          if (!record || record.mode === null) continue;
          const index = modeIndex.get(record.mode)?.get(record.action);
          if (index === undefined) continue;
          if (record.host !== host) {
            host = record.host;
            byTarget = states.get(host);
            if (!byTarget) {
              byTarget = new Map();
              states.set(host, byTarget);
            }
          }
          const targets = byTarget as Map<string, InstanceState>;
          let state = targets.get(record.target);
          if (!state) {
            state = {
              mode: record.mode,
              base: newView(),
              releases: null,
              scheduled: 0,
              more: null,
            };
            targets.set(record.target, state);
          }
          if (index < 31) state.scheduled |= 1 << index;
          else (state.more ??= new Set()).add(index);
          if (record.release === null) {
            update(state.base, pos, index, id, b, j, s, record, state.mode);
            if (state.releases)
              for (const view of state.releases.values())
                update(view, pos, index, id, b, j, s, record, state.mode);
          } else {
            state.releases ??= new Map();
            let view = state.releases.get(record.release);
            if (!view) {
              view = { ...state.base };
              state.releases.set(record.release, view);
            }
            update(view, pos, index, id, b, j, s, record, state.mode);
          }
        }
      }
    }
  }

  const coverage = new Map<string, { instances: number; scheduled: Map<string, number> }>();
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
