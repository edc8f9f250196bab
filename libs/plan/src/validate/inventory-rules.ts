import type { Inventory, NodeSpec } from '../model/inputs';
import { GLOBAL_HOST } from '../model/plan';
import type { Problem } from '../problems/problem';
import { groupBy, type Rule } from './rule';

/** Node ids are unique. */
export const uniqueNodeIds: Rule<Inventory> = (inventory, files) => {
  const problems: Problem[] = [];
  for (const [id, indices] of groupBy(inventory.nodes, (n) => n.id)) {
    for (const index of indices.slice(1)) {
      problems.push({
        code: 'INVENTORY.DUPLICATE_NODE',
        file: files.inventory,
        path: `nodes[${index}].id`,
        message: `duplicate node id ${JSON.stringify(id)} (first at nodes[${indices[0]}])`,
      });
    }
  }
  return problems;
};

/** A node runs each component once; shared with the descriptor's added nodes. */
export function duplicateComponents(
  nodes: readonly NodeSpec[],
  file: string,
  base: string,
): Problem[] {
  const problems: Problem[] = [];
  nodes.forEach((node, n) => {
    if (node.components.length < 2) return;
    for (const [name, indices] of groupBy(node.components, (c) => c.name)) {
      for (const index of indices.slice(1)) {
        problems.push({
          code: 'INVENTORY.DUPLICATE_COMPONENT',
          file,
          path: `${base}[${n}].components[${index}].name`,
          message: `node ${JSON.stringify(node.id)} lists component ${JSON.stringify(name)} twice (first at components[${indices[0]}])`,
        });
      }
    }
  });
  return problems;
}

export const uniqueComponentsPerNode: Rule<Inventory> = (inventory, files) =>
  duplicateComponents(inventory.nodes, files.inventory, 'nodes');

/** `upg-server` is the pseudo-host of global tasks; a node of that name would be mistaken for it. */
export function reservedNodeIds(nodes: readonly NodeSpec[], file: string, base: string): Problem[] {
  return nodes.flatMap((node, i) =>
    node.id === GLOBAL_HOST
      ? [
          {
            code: 'INPUT.BAD_NAME' as const,
            file,
            path: `${base}[${i}].id`,
            message: `${JSON.stringify(GLOBAL_HOST)} is reserved for global tasks; give the node another id`,
          },
        ]
      : [],
  );
}

export const reservedNodeId: Rule<Inventory> = (inventory, files) =>
  reservedNodeIds(inventory.nodes, files.inventory, 'nodes');

export const INVENTORY_RULES: readonly Rule<Inventory>[] = [
  uniqueNodeIds,
  uniqueComponentsPerNode,
  reservedNodeId,
];
