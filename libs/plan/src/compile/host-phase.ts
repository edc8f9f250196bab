import type { HostPhase, LogicBook } from '../model/inputs';
import { taskId, type Batch, type Job, type TaskId, type TaskRecord } from '../model/plan';
import { own } from '../order/own';
import { cutChunks } from './chunks';
import type { Cluster, ClusterHost, Instance } from './cluster';
import { layering } from './layers';
import type { PlanBuilder } from './plan-builder';
import { matchesHost } from './selector';
import type { StageOrder } from './stage-order';

export interface PhaseCopy<P> {
  readonly phase: P;
  /** `name`, or `name@release` in a per-release block. */
  readonly name: string;
  readonly release: string | null;
}

interface Candidate {
  readonly instance: Instance;
  readonly layer: number;
  readonly rank: number;
  id: TaskId;
}

/** One host's candidate tasks in this phase, per action of the phase (each list sorted by layer, then id). */
interface HostTasks {
  readonly host: ClusterHost;
  readonly byAction: Candidate[][];
}

function selectInstances(phase: HostPhase, host: ClusterHost): readonly Instance[] {
  const where = phase.where;
  if (!where) return host.instances;
  if (!matchesHost(where, host)) return [];
  const components = where.components;
  return components
    ? host.instances.filter((i) => components.includes(i.component))
    : host.instances;
}

/** `once_per: role`: for each role of the phase's hosts, the first host (natural order) holding it. */
function firstPerRole(hosts: HostTasks[]): HostTasks[] {
  const chosen = new Set<HostTasks>();
  const covered = new Set<string>();
  for (const h of hosts) {
    for (const role of h.host.roles) {
      if (!covered.has(role)) {
        covered.add(role);
        chosen.add(h);
      }
    }
  }
  return hosts.filter((h) => chosen.has(h));
}

function groupValue(h: HostTasks, key: string): string | undefined {
  return own(h.host.groups, key);
}

/**
 * Compiles one copy of a host phase (logic-book.md, "Compiling one phase", steps 1–6): instances,
 * tasks, hosts, chunks, layers, then a batch per (chunk, layer) and a verify batch per chunk.
 */
export function compileHostPhase(
  { phase, name, release }: PhaseCopy<HostPhase>,
  book: LogicBook,
  cluster: Cluster,
  order: StageOrder,
  plan: PlanBuilder,
): void {
  const layerOf = layering(phase);
  const ranks = phase.actions.map((action) => order.rank(action, release));
  const modeActions = new Map<string, ReadonlySet<string>>();
  const allowedIn = (mode: string) => {
    let set = modeActions.get(mode);
    if (!set) {
      set = new Set(own(book.modes, mode) ?? []);
      modeActions.set(mode, set);
    }
    return set;
  };

  // Steps 1–3: instances, their candidate tasks, and the hosts that have any.
  let hosts: HostTasks[] = [];
  for (const host of cluster.hosts) {
    const instances = selectInstances(phase, host);
    let entry: HostTasks | null = null;
    for (const instance of instances) {
      const allowed = allowedIn(instance.mode);
      const layer = layerOf(instance.component);
      for (let a = 0; a < phase.actions.length; a++) {
        if (!allowed.has(phase.actions[a])) continue;
        entry ??= { host, byAction: phase.actions.map(() => []) };
        entry.byAction[a].push({
          instance,
          layer,
          rank: ranks[a].get(instance.component) ?? 0,
          id: '',
        });
      }
    }
    if (entry) hosts.push(entry);
  }
  if (phase.oncePer === 'role') hosts = firstPerRole(hosts);
  else if (phase.once) hosts = hosts.slice(0, 1);

  // Task records, for the chosen hosts only; a clash with an earlier phase is remembered by the builder.
  const undo = (action: string) => own(book.undo, action) ?? null;
  const layers = new Set<number>();
  for (const h of hosts) {
    h.byAction.forEach((candidates, a) => {
      const action = phase.actions[a];
      const kept: Candidate[] = [];
      for (const c of candidates) {
        const { instance } = c;
        c.id = taskId(h.host.id, instance.component, action, release);
        const record: TaskRecord = {
          host: h.host.id,
          target: instance.component,
          action,
          phase: name,
          mode: instance.mode,
          from: instance.from,
          to: instance.to,
          release,
          undo: undo(action),
          layer: c.layer,
        };
        if (plan.addTask(c.id, record)) {
          kept.push(c);
          layers.add(c.layer);
        }
      }
      kept.sort((x, y) => x.layer - y.layer || x.rank - y.rank);
      h.byAction[a] = kept;
    });
  }

  // Steps 4–6: chunks, then per chunk a batch per layer and the verify batch.
  const layerList = [...layers].sort((x, y) => x - y);
  for (const chunk of cutChunks(hosts, phase.split, groupValue)) {
    const cursors = chunk.map((h) => h.byAction.map(() => 0));
    for (const layer of layerList) {
      const batch: Batch = [];
      chunk.forEach((h, i) => {
        const job: Job = [];
        h.byAction.forEach((candidates, a) => {
          const stage: TaskId[] = [];
          let at = cursors[i][a];
          while (at < candidates.length && candidates[at].layer === layer)
            stage.push(candidates[at++].id);
          cursors[i][a] = at;
          if (stage.length) job.push(stage);
        });
        if (job.length) batch.push(job);
      });
      plan.addBatch(batch);
    }
    if (phase.verify !== null)
      plan.addBatch(verifyBatch(chunk, phase.verify, name, release, book, order, plan));
  }
}

/** One stage per host: the verify action for every component the host had tasks for in this phase. */
function verifyBatch(
  chunk: readonly HostTasks[],
  verify: string,
  phase: string,
  release: string | null,
  book: LogicBook,
  order: StageOrder,
  plan: PlanBuilder,
): Batch {
  const rank = order.rank(verify, release);
  const batch: Batch = [];
  for (const h of chunk) {
    const instances = new Map<string, Instance>();
    for (const candidates of h.byAction)
      for (const c of candidates) instances.set(c.instance.component, c.instance);
    const stage = [...instances.values()]
      .sort((x, y) => (rank.get(x.component) ?? 0) - (rank.get(y.component) ?? 0))
      .flatMap((instance) => {
        const id = taskId(h.host.id, instance.component, verify, release);
        const record: TaskRecord = {
          host: h.host.id,
          target: instance.component,
          action: verify,
          phase,
          mode: instance.mode,
          from: instance.from,
          to: instance.to,
          release,
          undo: own(book.undo, verify) ?? null,
          layer: null,
        };
        return plan.addTask(id, record) ? [id] : [];
      });
    if (stage.length) batch.push([stage]);
  }
  return batch;
}
