import type { Batch, Plan, TaskRecord } from '../model/plan';
import { sortNatural } from '../order/natural';

/**
 * What the plan reviews (text and Mermaid) say about one batch. Built in one pass over the batch's
 * tasks with no per-task string work, so a million-task plan costs a million map look-ups and
 * nothing more.
 */
export interface BatchDigest {
  readonly index: number;
  readonly phase: string;
  /** One per job, in job order (natural order in a canonical plan). */
  readonly hosts: readonly string[];
  readonly tasks: number;
  /** Tasks per action, in order of first appearance. */
  readonly actions: ReadonlyMap<string, number>;
  /** The targets (components, or global targets) the batch's tasks act on. */
  readonly targets: ReadonlySet<string>;
  /** The task ids in mission order, or null when the batch has more than the caller wanted. */
  readonly ids: readonly string[] | null;
}

/** The phase that produced each batch, from `phases[].batches` (the first range holding it). */
export function batchPhases(plan: Plan): (string | undefined)[] {
  const names: (string | undefined)[] = new Array(plan.mission.length);
  for (const phase of plan.phases) {
    const end = Math.min(phase.batches[1], plan.mission.length);
    for (let b = Math.max(0, phase.batches[0]); b < end; b++) names[b] ??= phase.name;
  }
  return names;
}

/** A task id's host part, for ids an edited plan holds without a record. */
function hostOfId(id: string): string {
  const cut = id.indexOf('_');
  return cut < 0 ? id : id.slice(0, cut);
}

/**
 * Digests one batch. `visit` sees every task record (the text review counts instances in the same
 * pass); `idLimit` bounds how many ids are kept for listing.
 */
export function digestBatch(
  plan: Plan,
  batch: Batch,
  index: number,
  phase: string | undefined,
  idLimit: number,
  visit?: (record: TaskRecord) => void,
): BatchDigest {
  const hosts: string[] = [];
  const actions = new Map<string, number>();
  const targets = new Set<string>();
  let ids: string[] | null = [];
  let tasks = 0;
  let firstPhase: string | undefined;
  // Runs of one action are the rule (a stage is one action), so count runs, not tasks.
  let action: string | null = null;
  let run = 0;
  const flush = () => {
    if (action !== null) actions.set(action, (actions.get(action) ?? 0) + run);
  };
  for (const job of batch) {
    let host: string | null = null;
    for (const stage of job) {
      for (const id of stage) {
        const record = plan.tasks.get(id);
        const name = record ? record.action : '(unknown task)';
        if (name !== action) {
          flush();
          action = name;
          run = 0;
        }
        run++;
        tasks++;
        if (ids !== null) {
          if (ids.length < idLimit) ids.push(id);
          else ids = null;
        }
        if (host === null) host = record ? record.host : hostOfId(id);
        if (record) {
          targets.add(record.target);
          firstPhase ??= record.phase;
          if (visit) visit(record);
        }
      }
    }
    if (host !== null) hosts.push(host);
  }
  flush();
  return { index, phase: phase ?? firstPhase ?? '?', hosts, tasks, actions, targets, ids };
}

/** Control characters would break the one-line-per-batch layout (and could drive a terminal). */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f]/.test(text)
    ? // eslint-disable-next-line no-control-regex
      text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
    : text;
}

/** `text` cut to `width` characters, ending in `…` when cut. */
export function fit(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? '…'.slice(0, Math.max(width, 0)) : `${text.slice(0, width - 1)}…`;
}

/** `a, b, c` when it fits in `width`, else `first … last`. Hosts are in natural order. */
export function hostList(hosts: readonly string[], width: number): string {
  if (hosts.length === 0) return '';
  let length = 0;
  for (const host of hosts) {
    length += host.length + 2;
    if (length - 2 > width) break;
  }
  if (length - 2 <= width) return hosts.map(clean).join(', ');
  return fit(`${clean(hosts[0])} … ${clean(hosts[hosts.length - 1])}`, width);
}

/** `a, b` when it fits in `width`, else `N components: first … last` (natural order). */
export function targetList(targets: ReadonlySet<string>, width: number): string {
  const sorted = sortNatural(targets).map(clean);
  const all = sorted.join(', ');
  if (all.length <= width || sorted.length < 3) return fit(all, width);
  return fit(`${sorted.length} components: ${sorted[0]} … ${sorted[sorted.length - 1]}`, width);
}

/**
 * The tasks of a batch too long to list: `stop ×5000, uprpm ×10000 (nova-compute, openvswitch)`,
 * cut to `width`. The components matter as much as the actions: in a phase with `order`, they are
 * what tells one batch from the next.
 */
export function taskSummary(d: BatchDigest, width: number): string {
  const parts: string[] = [];
  let length = 0;
  for (const [action, count] of d.actions) {
    const part = `${clean(action)} ×${count}`;
    parts.push(part);
    length += part.length + 2;
    if (length > width + 2) break;
  }
  const actions = fit(parts.join(', '), width);
  if (d.targets.size === 0 || actions.length + 5 > width) return actions;
  return `${actions} (${targetList(d.targets, width - actions.length - 3)})`;
}

/** The task ids joined, or null when they do not fit in `width`. */
export function idList(ids: readonly string[] | null, width: number): string | null {
  if (ids === null) return null;
  let length = -2;
  for (const id of ids) {
    length += id.length + 2;
    if (length > width) return null;
  }
  return ids.map(clean).join(', ');
}
