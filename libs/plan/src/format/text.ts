import type { InstanceWalk } from '../check/instance-walk';
import type { CompileStats } from '../compile/compile';
import { GLOBAL_HOST, type Plan, type SliceCommand, type TaskRecord } from '../model/plan';
import {
  batchPhases,
  clean,
  digestBatch,
  fit,
  hostList,
  idList,
  taskSummary,
  type BatchDigest,
} from './text-batches';

/** Per mode: how many instances it has, and per action how many of them got a task. */
export type ModeCoverage = InstanceWalk['coverage'];

/**
 * Numbers the plan alone cannot give (from `compilePlan`'s `stats`), and its `walk.coverage`.
 * Anything absent is worked out from the plan where it can be, else left out.
 */
export interface PlanTextStats extends Partial<CompileStats> {
  /** `walk.coverage`: lists the actions some instances of a mode get no task for. */
  readonly coverage?: ModeCoverage;
  /** The same as `coverage` (the name the first design notes used); `coverage` wins. */
  readonly unscheduled?: ModeCoverage;
}

/** Lines stay well inside a wide terminal; the detail column gets what the others leave. */
const LINE_WIDTH = 150;
const MIN_DETAIL = 40;
const PHASE_WIDTH = 32;
/** More ids than this never fit on a line, so they are not even collected. */
const ID_LIMIT = 24;
const COMMAND_ITEMS = 5;

interface InstanceState {
  readonly mode: string;
  /** Bit i: the mode's action i has a task (actions past the 31st go to `more`). */
  mask: number;
  more: Set<number> | null;
}

/**
 * Counts instances (and, for coverage, which of their mode's actions have a task) while the
 * batches are digested. Bit masks rather than sets: a million tasks make a few hundred thousand
 * instances, and a set each would double the time of the whole review.
 */
class InstanceCounter {
  readonly hosts = new Map<string, Map<string, InstanceState>>();
  private readonly modeIndex: Map<string, Map<string, number>> | null;
  private lastHost: string | null = null;
  private lastTargets: Map<string, InstanceState> | null = null;
  private lastMode: string | null = null;
  private lastIndex: Map<string, number> | undefined;
  count = 0;

  constructor(private readonly modes: Plan['modes'] | null) {
    this.modeIndex = modes
      ? new Map(
          Object.entries(modes).map(([mode, actions]) => [
            mode,
            new Map(actions.map((a, i) => [a, i])),
          ]),
        )
      : null;
  }

  visit(record: TaskRecord): void {
    if (record.mode === null || record.host === GLOBAL_HOST) return;
    // A job holds one host's tasks, so the host's map is usually the one used last.
    let targets = this.lastTargets;
    if (record.host !== this.lastHost || targets === null) {
      targets = this.hosts.get(record.host) ?? null;
      if (targets === null) {
        targets = new Map();
        this.hosts.set(record.host, targets);
      }
      this.lastHost = record.host;
      this.lastTargets = targets;
    }
    let state = targets.get(record.target);
    if (!state) {
      state = { mode: record.mode, mask: 0, more: null };
      targets.set(record.target, state);
      this.count++;
    }
    if (this.modeIndex === null) return;
    if (state.mode !== this.lastMode) {
      this.lastMode = state.mode;
      this.lastIndex = this.modeIndex.get(state.mode);
    }
    const index = this.lastIndex?.get(record.action);
    if (index === undefined) return;
    if (index < 31) state.mask |= 1 << index;
    else (state.more ??= new Set()).add(index);
  }

  /** The same shape as `walkInstances(…).coverage`: instances with a task of their mode's. */
  coverage(): ModeCoverage {
    const coverage = new Map<string, { instances: number; scheduled: Map<string, number> }>();
    if (!this.modes) return coverage;
    for (const targets of this.hosts.values()) {
      for (const state of targets.values()) {
        if (state.mask === 0 && !state.more) continue;
        const actions = this.modes[state.mode];
        let entry = coverage.get(state.mode);
        if (!entry) {
          entry = { instances: 0, scheduled: new Map() };
          coverage.set(state.mode, entry);
        }
        entry.instances++;
        actions.forEach((action, i) => {
          if (i < 31 ? (state.mask & (1 << i)) !== 0 : state.more?.has(i))
            entry.scheduled.set(action, (entry.scheduled.get(action) ?? 0) + 1);
        });
      }
    }
    return coverage;
  }
}

function padLeft(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

function padRight(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function listed(values: readonly string[]): string {
  const shown = values.slice(0, COMMAND_ITEMS).map(clean).join(', ');
  return values.length > COMMAND_ITEMS
    ? `${shown} (+${values.length - COMMAND_ITEMS} more)`
    : shown;
}

/** The slicing command in one line, long lists cut. */
function describeCommand(command: SliceCommand): string {
  const parts: string[] = [];
  if (command.command !== undefined) parts.push(`command ${clean(command.command)}`);
  if (command.phases) parts.push(`phases ${listed(command.phases)}`);
  for (const key of ['instances', 'hosts', 'components', 'actions', 'roles'] as const) {
    const values = command[key];
    if (values) parts.push(`${key} ${listed(values)}`);
  }
  if (command.regroup)
    parts.push(
      `regroup ${clean(command.regroup.phase)} into ${command.regroup.hosts.length} groups`,
    );
  if (command.exclude_done === false) parts.push('done tasks included');
  return parts.join('; ') || 'everything';
}

function header(plan: Plan): string[] {
  const snapshot = plan.snapshot === null ? 'none' : clean(plan.snapshot);
  const lines = [fit(`Plan ${clean(plan.name)} · snapshot ${snapshot}`, LINE_WIDTH)];
  if (plan.slice)
    lines.push(
      fit(`Slice of ${clean(plan.slice.of)}: ${describeCommand(plan.slice.command)}`, LINE_WIDTH),
    );
  return lines;
}

function batchTable(digests: readonly BatchDigest[]): string[] {
  if (digests.length === 0) return ['No batches: the plan has nothing to do.'];
  let phaseWidth = 'Phase'.length;
  let hostsWidth = 'Hosts'.length;
  let tasksWidth = 'Tasks'.length;
  for (const d of digests) {
    phaseWidth = Math.max(phaseWidth, Math.min(d.phase.length, PHASE_WIDTH));
    hostsWidth = Math.max(hostsWidth, String(d.hosts.length).length);
    tasksWidth = Math.max(tasksWidth, String(d.tasks).length);
  }
  const indexWidth = Math.max('Batch'.length, String(digests.length - 1).length);
  const row = (index: string, phase: string, hosts: string, tasks: string, detail: string) =>
    `${padLeft(index, indexWidth)}  ${padRight(phase, phaseWidth)}  ${padLeft(hosts, hostsWidth)}  ${padLeft(tasks, tasksWidth)}  ${detail}`.trimEnd();
  const detailWidth = Math.max(
    MIN_DETAIL,
    LINE_WIDTH - (indexWidth + phaseWidth + hostsWidth + tasksWidth + 8),
  );

  const lines = [row('Batch', 'Phase', 'Hosts', 'Tasks', 'Hosts | tasks')];
  for (const d of digests) {
    lines.push(
      row(
        String(d.index),
        fit(clean(d.phase), phaseWidth),
        String(d.hosts.length),
        String(d.tasks),
        batchDetail(d, detailWidth),
      ),
    );
  }
  return lines;
}

/** Hosts and task ids when both fit; otherwise the host range and the tasks per action. */
function batchDetail(d: BatchDigest, width: number): string {
  const allHosts = hostList(d.hosts, width);
  const ids = idList(d.ids, width - allHosts.length - 3);
  if (ids !== null) return `${allHosts} | ${ids}`;
  const tasks = taskSummary(d, Math.floor((width * 2) / 3));
  const hosts = hostList(d.hosts, width - tasks.length - 3);
  return `${hosts} | ${tasks}`;
}

interface PhaseTotals {
  hosts: Set<string>;
  tasks: number;
}

function phaseTable(plan: Plan, digests: readonly BatchDigest[]): string[] {
  const totals = new Map<string, PhaseTotals>();
  for (const d of digests) {
    let t = totals.get(d.phase);
    if (!t) {
      t = { hosts: new Set(), tasks: 0 };
      totals.set(d.phase, t);
    }
    for (const host of d.hosts) t.hosts.add(host);
    t.tasks += d.tasks;
  }
  const rows = plan.phases.map((p) => {
    const [first, end] = p.batches;
    const t = totals.get(p.name);
    const name = fit(clean(p.name), PHASE_WIDTH);
    if (end <= first || !t) return { name, range: '-', hosts: '', tasks: '', empty: true };
    return {
      name,
      range: end - first === 1 ? String(first) : `${first}-${end - 1}`,
      hosts: String(t.hosts.size),
      tasks: String(t.tasks),
      empty: false,
    };
  });
  const nothing = plan.slice ? 'none in this slice' : 'produced nothing';
  const w = {
    name: Math.max('Phase'.length, ...rows.map((r) => r.name.length)),
    range: Math.max('Batches'.length, ...rows.map((r) => r.range.length)),
    hosts: Math.max('Hosts'.length, ...rows.map((r) => r.hosts.length)),
    tasks: Math.max('Tasks'.length, ...rows.map((r) => r.tasks.length)),
  };
  const line = (name: string, range: string, hosts: string, tasks: string) =>
    `  ${padRight(name, w.name)}  ${padRight(range, w.range)}  ${padLeft(hosts, w.hosts)}  ${padLeft(tasks, w.tasks)}`.trimEnd();
  return [
    line('Phase', 'Batches', 'Hosts', 'Tasks'),
    ...rows.map((r) =>
      r.empty
        ? `  ${padRight(r.name, w.name)}  ${padRight('-', w.range)}  ${nothing}`
        : line(r.name, r.range, r.hosts, r.tasks),
    ),
  ];
}

function unscheduledLines(plan: Plan, coverage: ModeCoverage): string[] {
  const rows: [string, string, string][] = [];
  const modes = [
    ...Object.keys(plan.modes).filter((m) => coverage.has(m)),
    ...[...coverage.keys()].filter((m) => !Object.prototype.hasOwnProperty.call(plan.modes, m)),
  ];
  for (const mode of modes) {
    const entry = coverage.get(mode);
    if (!entry) continue;
    const actions = Object.prototype.hasOwnProperty.call(plan.modes, mode)
      ? plan.modes[mode]
      : [...entry.scheduled.keys()];
    for (const action of actions) {
      const missing = entry.instances - (entry.scheduled.get(action) ?? 0);
      if (missing > 0)
        rows.push([clean(mode), clean(action), `${missing} of ${entry.instances} instances`]);
    }
  }
  if (rows.length === 0) return ['Unscheduled actions: none'];
  const modeWidth = Math.max(...rows.map((r) => r[0].length));
  const actionWidth = Math.max(...rows.map((r) => r[1].length));
  return [
    'Unscheduled actions (instances of the mode that get no task for the action)',
    ...rows.map(
      ([mode, action, count]) =>
        `  ${padRight(mode, modeWidth)}  ${padRight(action, actionWidth)}  ${count}`,
    ),
  ];
}

/**
 * The plan for review on a terminal (`ferry plan --format text`): a header, one line per batch
 * (short batches list hosts and task ids, long ones a host range and tasks per action), a
 * summary, a per-phase table and the actions of each mode that some instances never get.
 * Numbers the plan alone cannot give are printed only when `stats` has them.
 */
export function renderPlanText(plan: Plan, stats: PlanTextStats = {}): string {
  const phases = batchPhases(plan);
  // A slice keeps only some actions on purpose: coverage worked out from it would be noise.
  const given = stats.coverage ?? stats.unscheduled;
  const ownCoverage = given === undefined && !plan.slice;
  const counter =
    stats.instancesTouched === undefined || ownCoverage
      ? new InstanceCounter(ownCoverage ? plan.modes : null)
      : null;
  const visit = counter ? (record: TaskRecord) => counter.visit(record) : undefined;

  let tasks = 0;
  let globalTasks = 0;
  let verifyTasks = 0;
  const hostsWithTasks = new Set<string>();
  const digests = plan.mission.map((batch, b) => {
    const d = digestBatch(plan, batch, b, phases[b], ID_LIMIT, visit);
    tasks += d.tasks;
    for (const host of d.hosts) if (host !== GLOBAL_HOST) hostsWithTasks.add(host);
    return d;
  });
  for (const record of plan.tasks.values()) {
    if (record.host === GLOBAL_HOST) globalTasks++;
    else if (record.layer === null) verifyTasks++;
  }

  const summary: [string, string, string][] = [];
  const hosts = stats.hosts ?? plan.hosts.size;
  summary.push(['hosts', String(hosts), `(${hostsWithTasks.size} with tasks)`]);
  const touched = stats.instancesTouched ?? counter?.count;
  if (touched !== undefined) summary.push(['instances touched', String(touched), '']);
  if (stats.alreadyAtTarget !== undefined)
    summary.push(['already at target', String(stats.alreadyAtTarget), '']);
  const kinds = [
    globalTasks ? `${globalTasks} global` : '',
    verifyTasks ? `${verifyTasks} verify` : '',
  ].filter(Boolean);
  summary.push(['tasks', String(tasks), kinds.length ? `(${kinds.join(', ')})` : '']);
  summary.push(['batches', String(plan.mission.length), '']);
  const labelWidth = Math.max(...summary.map((s) => s[0].length));
  const numberWidth = Math.max(...summary.map((s) => s[1].length));

  const coverage = given ?? (ownCoverage && counter ? counter.coverage() : undefined);
  const lines = [
    ...header(plan),
    '',
    ...batchTable(digests),
    '',
    'Summary',
    ...summary.map(([label, value, note]) =>
      `  ${padRight(label, labelWidth)}  ${padLeft(value, numberWidth)}  ${note}`.trimEnd(),
    ),
    '',
    'Phases',
    ...phaseTable(plan, digests),
    ...(coverage ? ['', ...unscheduledLines(plan, coverage)] : []),
  ];
  return `${lines.join('\n')}\n`;
}
