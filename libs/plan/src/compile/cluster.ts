import type { Descriptor, Inventory, NodeSpec, PackageSpec } from '../model/inputs';
import type { HostRecord } from '../model/plan';
import { naturalCompare } from '../order/natural';
import { matchesHost, type HostFacts } from './selector';

/** A (host, component) pair the upgrade touches, with the mode the descriptor chose for it. */
export interface Instance {
  readonly host: string;
  readonly component: string;
  readonly mode: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly rpms: readonly string[];
}

export interface ClusterHost extends HostFacts {
  /** Touched instances of this host, in the order the inventory lists them. */
  readonly instances: readonly Instance[];
}

/** The cluster as the compiler sees it: every host, and which of its instances are touched. */
export interface Cluster {
  /** Every host (inventory and added nodes) in natural order. */
  readonly hosts: readonly ClusterHost[];
  readonly hostRecords: ReadonlyMap<string, HostRecord>;
  /** Every component name of the cluster, for stage ordering. */
  readonly components: ReadonlySet<string>;
  readonly touchedComponents: ReadonlySet<string>;
  readonly instancesTouched: number;
  readonly alreadyAtTarget: number;
  readonly membershipChanges: boolean;
}

interface PackageChoice {
  readonly targeted: readonly PackageSpec[];
  readonly fallback: PackageSpec | undefined;
}

function packagesByComponent(descriptor: Descriptor): Map<string, PackageChoice> {
  const choices = new Map<string, { targeted: PackageSpec[]; fallback: PackageSpec | undefined }>();
  for (const p of descriptor.packages) {
    let choice = choices.get(p.component);
    if (!choice) {
      choice = { targeted: [], fallback: undefined };
      choices.set(p.component, choice);
    }
    if (p.targets) choice.targeted.push(p);
    else choice.fallback ??= p;
  }
  return choices;
}

/**
 * Decides every instance's mode (logic-book.md §2): the targeted package matching the host, else
 * the package without targets; none, or already at its version, leaves the instance untouched.
 * Components of added nodes are installed, every component of a removed node is uninstalled.
 */
export function resolveCluster(inventory: Inventory, descriptor: Descriptor): Cluster {
  const packages = packagesByComponent(descriptor);
  const removed = new Set(descriptor.nodes.remove);
  const components = new Set<string>();
  const touchedComponents = new Set<string>();
  let instancesTouched = 0;
  let alreadyAtTarget = 0;

  const hostOf = (node: NodeSpec, decide: (host: HostFacts) => Instance[]): ClusterHost => {
    const facts: HostFacts = { id: node.id, roles: node.roles, groups: node.groups };
    for (const c of node.components) components.add(c.name);
    const instances = decide(facts);
    instancesTouched += instances.length;
    for (const instance of instances) touchedComponents.add(instance.component);
    return { ...facts, instances };
  };

  const upgrade = (node: NodeSpec) => (host: HostFacts) => {
    const instances: Instance[] = [];
    for (const c of node.components) {
      const choice = packages.get(c.name);
      if (!choice) continue;
      const p = choice.targeted.find((t) => matchesHost(t.targets ?? {}, host)) ?? choice.fallback;
      if (!p) continue;
      if (p.version === c.version) {
        alreadyAtTarget++;
        continue;
      }
      instances.push({
        host: node.id,
        component: c.name,
        mode: p.mode,
        from: c.version,
        to: p.version,
        rpms: p.rpms,
      });
    }
    return instances;
  };
  const uninstall = (node: NodeSpec) => () =>
    node.components.map((c) => ({
      host: node.id,
      component: c.name,
      mode: 'uninstall',
      from: c.version,
      to: null,
      rpms: [],
    }));
  const install = (node: NodeSpec) => () =>
    node.components.map((c) => ({
      host: node.id,
      component: c.name,
      mode: 'install',
      from: null,
      to: c.version,
      rpms: [],
    }));

  const hosts = [
    ...inventory.nodes.map((n) => hostOf(n, removed.has(n.id) ? uninstall(n) : upgrade(n))),
    ...descriptor.nodes.add.map((n) => hostOf(n, install(n))),
  ].sort((a, b) => naturalCompare(a.id, b.id));

  for (const p of descriptor.packages) components.add(p.component);
  const hostRecords = new Map<string, HostRecord>(
    hosts.map((h) => [h.id, { roles: h.roles, groups: h.groups }]),
  );
  return {
    hosts,
    hostRecords,
    components,
    touchedComponents,
    instancesTouched,
    alreadyAtTarget,
    membershipChanges: descriptor.nodes.add.length > 0 || descriptor.nodes.remove.length > 0,
  };
}
