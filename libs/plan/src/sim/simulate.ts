import { sampleIndices, seededRandom } from './prng';
import type { SimSpec } from './url';

/** The inventory file's shape (logic-book.md §1), as plain JSON. */
export interface SimInventory {
  nodes: {
    id: string;
    roles: string[];
    groups: Record<string, string>;
    components: { name: string; version: string }[];
  }[];
}

/** The upgrade descriptor file's shape (logic-book.md §2), as plain JSON. */
export interface SimDescriptor {
  name: string;
  packages: { component: string; version: string; mode: string; rpms: string[] }[];
}

export interface SimCluster {
  readonly inventory: SimInventory;
  readonly descriptor: SimDescriptor;
}

/** Roles whose nodes live in an availability zone (the others are the control plane). */
const ZONED_ROLES = new Set(['compute', 'network']);

// Independent PRNG streams: one choice must not shift the other's sequence.
const STREAM_COMPONENTS = 1;
const STREAM_AT_TARGET = 2;

function padded(prefix: string, count: number, minWidth: number): (i: number) => string {
  const width = Math.max(minWidth, String(count).length);
  return (i) => `${prefix}${String(i).padStart(width, '0')}`;
}

/** Zone index of the `i`-th of `count` nodes cut into `zones` contiguous blocks, larger first. */
function zoneOf(i: number, count: number, zones: number): number {
  const small = Math.floor(count / zones);
  const larger = count % zones;
  const inLarger = larger * (small + 1);
  return i < inLarger ? Math.floor(i / (small + 1)) : larger + Math.floor((i - inLarger) / small);
}

/**
 * Generates the cluster a `sim://` URL names: an inventory and a descriptor that read unchanged
 * with `readInventory`/`readDescriptor`. Deterministic: the same spec gives the same objects.
 * `parseSimUrl` validates specs; a hand-made one whose role counts exceed `nodes` is cut short.
 */
export function simulateCluster(spec: SimSpec): SimCluster {
  const nodeId = padded('node-', spec.nodes, 1);
  // At least two digits, so that `comp-01` names the same component for any count below 100.
  const componentName = padded('comp-', spec.components, 2);
  const names = Array.from({ length: spec.components }, (_, i) => componentName(i + 1));
  const perNode = Math.min(spec.perNode, spec.components);
  const zones = Array.from({ length: spec.azs }, (_, i) => `az${i + 1}`);

  const chooseComponents = seededRandom(spec.seed, STREAM_COMPONENTS);
  const chooseAtTarget = seededRandom(spec.seed, STREAM_AT_TARGET);
  const instances = spec.nodes * perNode;
  const atTarget = Math.round(spec.atTarget * instances);
  // Instance indices (node-major, components in name order) that already run `to`.
  const upToDate = new Uint8Array(atTarget > 0 && atTarget < instances ? instances : 0);
  if (upToDate.length) sampleIndices(instances, atTarget, chooseAtTarget, (i) => (upToDate[i] = 1));
  const versionOf = (instance: number) =>
    atTarget === 0
      ? spec.from
      : atTarget >= instances || upToDate[instance] === 1
        ? spec.to
        : spec.from;

  const nodes: SimInventory['nodes'] = [];
  let role = 0;
  let inRole = 0;
  for (let n = 0; n < spec.nodes; n++) {
    while (role < spec.roles.length && inRole >= spec.roles[role].count) {
      role++;
      inRole = 0;
    }
    const current = spec.roles[role];
    const groups: Record<string, string> = {};
    if (current && zones.length && ZONED_ROLES.has(current.name))
      groups.az = zones[zoneOf(inRole, current.count, zones.length)];
    if (current) inRole++;

    const components: { name: string; version: string }[] = [];
    const first = n * perNode;
    if (perNode === spec.components) {
      for (let c = 0; c < perNode; c++)
        components.push({ name: names[c], version: versionOf(first + c) });
    } else {
      sampleIndices(spec.components, perNode, chooseComponents, (c) =>
        components.push({ name: names[c], version: versionOf(first + components.length) }),
      );
    }
    nodes.push({ id: nodeId(n + 1), roles: current ? [current.name] : [], groups, components });
  }

  return {
    inventory: { nodes },
    descriptor: {
      name: `sim-${spec.nodes}x${spec.components}`,
      packages: names.map((component) => ({
        component,
        version: spec.to,
        mode: spec.mode,
        rpms: [`${component}-${spec.to}-1.noarch.rpm`],
      })),
    },
  };
}
