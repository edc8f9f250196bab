import type { Descriptor, Inventory } from '@ferry/plan';
import type { SnapshotSummary } from '@ferry/storage';

/**
 * What a snapshot holds, in counts: nodes, instances (host, component pairs) and distinct
 * components of the inventory, and the nodes the descriptor adds and removes.
 */
export function summarize(inventory: Inventory, descriptor: Descriptor): SnapshotSummary {
  const components = new Set<string>();
  let instances = 0;
  for (const node of inventory.nodes) {
    instances += node.components.length;
    for (const component of node.components) components.add(component.name);
  }
  return {
    nodes: inventory.nodes.length,
    instances,
    components: components.size,
    added: descriptor.nodes.add.length,
    removed: descriptor.nodes.remove.length,
  };
}
