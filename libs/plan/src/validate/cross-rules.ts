import { matchesHost } from '../compile/selector';
import type { HostPhase, NodeSpec } from '../model/inputs';
import { joinPath, type Problem } from '../problems/problem';
import { quoteList, type Inputs, type Rule } from './rule';

/** Every mode a package names exists, and so do `install`/`uninstall` when membership changes. */
export const modesExist: Rule<Inputs> = ({ descriptor, logicBook }, files) => {
  const modes = Object.keys(logicBook.modes);
  const problems: Problem[] = [];
  const missing = (path: string, mode: string, why: string) =>
    problems.push({
      code: 'DESCRIPTOR.UNKNOWN_MODE',
      file: files.descriptor,
      path,
      message: `${why} mode ${JSON.stringify(mode)}, which the logic book does not define (modes: ${quoteList(modes)})`,
    });
  descriptor.packages.forEach((p, i) => {
    if (!modes.includes(p.mode))
      missing(`packages[${i}].mode`, p.mode, `package of ${JSON.stringify(p.component)} names`);
  });
  if (descriptor.nodes.add.length && !modes.includes('install'))
    missing('nodes.add', 'install', 'adding nodes needs');
  if (descriptor.nodes.remove.length && !modes.includes('uninstall'))
    missing('nodes.remove', 'uninstall', 'removing nodes needs');
  return problems;
};

/** A node to add does not exist yet; a node to remove does. */
export const membershipFitsInventory: Rule<Inputs> = ({ inventory, descriptor }, files) => {
  const existing = new Set(inventory.nodes.map((n) => n.id));
  const problems: Problem[] = [];
  descriptor.nodes.add.forEach((node, i) => {
    if (existing.has(node.id)) {
      problems.push({
        code: 'DESCRIPTOR.ADD_EXISTS',
        file: files.descriptor,
        path: `nodes.add[${i}].id`,
        message: `node ${JSON.stringify(node.id)} already exists in the inventory`,
      });
    }
  });
  descriptor.nodes.remove.forEach((id, i) => {
    if (!existing.has(id)) {
      problems.push({
        code: 'DESCRIPTOR.REMOVE_MISSING',
        file: files.descriptor,
        path: `nodes.remove[${i}]`,
        message: `node ${JSON.stringify(id)} is not in the inventory`,
      });
    }
  });
  return problems;
};

/** At most one targeted package of a component applies to any host. */
export const targetedPackagesDoNotOverlap: Rule<Inputs> = ({ inventory, descriptor }, files) => {
  const targeted = new Map<string, number[]>();
  descriptor.packages.forEach((p, i) => {
    if (p.targets === undefined) return;
    const list = targeted.get(p.component);
    if (list) list.push(i);
    else targeted.set(p.component, [i]);
  });
  const overlapping = [...targeted.entries()].filter(([, indices]) => indices.length > 1);
  if (!overlapping.length) return [];
  const removed = new Set(descriptor.nodes.remove);
  const reported = new Map<string, string>();
  for (const node of inventory.nodes) {
    if (removed.has(node.id)) continue;
    for (const [component, indices] of overlapping) {
      if (!node.components.some((c) => c.name === component)) continue;
      const matching = indices.filter((i) =>
        matchesHost(descriptor.packages[i].targets ?? {}, node),
      );
      for (let a = 0; a < matching.length; a++) {
        for (let b = a + 1; b < matching.length; b++) {
          const key = `${matching[a]}|${matching[b]}`;
          if (!reported.has(key)) reported.set(key, node.id);
        }
      }
    }
  }
  return [...reported.entries()].map(([key, host]) => {
    const [a, b] = key.split('|').map(Number);
    return {
      code: 'DESCRIPTOR.PACKAGE_OVERLAP' as const,
      file: files.descriptor,
      path: `packages[${b}].targets`,
      message: `packages[${a}] and packages[${b}] (component ${JSON.stringify(descriptor.packages[a].component)}) both target host ${JSON.stringify(host)}; make their targets disjoint`,
    };
  });
};

interface Known {
  readonly components: Set<string>;
  readonly roles: Set<string>;
  readonly nodes: Set<string>;
  readonly releases: Set<string>;
}

function knownNames({ inventory, descriptor }: Inputs): Known {
  const nodes: NodeSpec[] = [...inventory.nodes, ...descriptor.nodes.add];
  const components = new Set<string>(descriptor.packages.map((p) => p.component));
  const roles = new Set<string>();
  for (const node of nodes) {
    for (const c of node.components) components.add(c.name);
    for (const r of node.roles) roles.add(r);
  }
  for (const p of descriptor.packages) for (const r of p.targets?.roles ?? []) roles.add(r);
  return {
    components,
    roles,
    nodes: new Set(nodes.map((n) => n.id)),
    releases: new Set(descriptor.releases),
  };
}

/**
 * A phase names only components, roles, nodes and releases that exist somewhere (inventory,
 * descriptor, added nodes): a typo must fail, not compile to an empty phase. Group keys and values
 * are not checked. Without `releases` in the descriptor, `when.release` is not checked: the block
 * compiles once and the condition simply never holds (logic-book.md, step 0).
 */
export const phaseReferencesExist: Rule<Inputs> = (inputs, files) => {
  const known = knownNames(inputs);
  const problems: Problem[] = [];
  const check = (
    kind: keyof Known,
    names: readonly string[] | undefined,
    path: (j: number) => string,
  ) => {
    names?.forEach((name, j) => {
      if (!known[kind].has(name)) {
        const singular = kind === 'components' ? 'component' : kind.slice(0, -1);
        problems.push({
          code: 'LOGIC.UNKNOWN_REF',
          file: files.logicBook,
          path: path(j),
          message: `${singular} ${JSON.stringify(name)} exists nowhere (not in the inventory, the descriptor or its added nodes)`,
        });
      }
    });
  };
  for (const phase of inputs.logicBook.phases) {
    const base = `phases[${phase.index}]`;
    check('components', phase.when?.upgrading, (j) => `${base}.when.upgrading[${j}]`);
    if (inputs.descriptor.releases.length)
      check('releases', phase.when?.release, (j) => `${base}.when.release[${j}]`);
    if (phase.scope !== 'host') continue;
    const host: HostPhase = phase;
    check('components', host.where?.components, (j) => `${base}.where.components[${j}]`);
    check('roles', host.where?.roles, (j) => `${base}.where.roles[${j}]`);
    check('nodes', host.where?.nodes, (j) => `${base}.where.nodes[${j}]`);
    host.order?.forEach((item, i) => check('components', item, () => `${base}.order[${i}]`));
    for (const [component, predecessors] of Object.entries(host.after ?? {})) {
      const at = joinPath(`${base}.after`, component);
      check('components', [component], () => at);
      check('components', predecessors, (j) => `${at}[${j}]`);
    }
  }
  check('roles', inputs.logicBook.invariants.odd, (j) => `invariants.odd[${j}]`);
  return problems;
};

/** A package's `targets.nodes` names nodes that exist: a typo would silently give hosts another version. */
export const packageTargetsExist: Rule<Inputs> = ({ inventory, descriptor }, files) => {
  const nodes = new Set([...inventory.nodes, ...descriptor.nodes.add].map((n) => n.id));
  return descriptor.packages.flatMap((p, i) =>
    (p.targets?.nodes ?? []).flatMap((node, j) =>
      nodes.has(node)
        ? []
        : [
            {
              code: 'DESCRIPTOR.UNKNOWN_NODE' as const,
              file: files.descriptor,
              path: `packages[${i}].targets.nodes[${j}]`,
              message: `node ${JSON.stringify(node)} is not in the inventory or the added nodes`,
            },
          ],
    ),
  );
};

/** After membership changes, every role under `invariants.odd` has an odd number of hosts (quorum). */
export const oddRolesStayOdd: Rule<Inputs> = ({ inventory, descriptor, logicBook }, files) => {
  const removed = new Set(descriptor.nodes.remove);
  const after = [...inventory.nodes.filter((n) => !removed.has(n.id)), ...descriptor.nodes.add];
  const known = knownNames({ inventory, descriptor, logicBook }).roles;
  return logicBook.invariants.odd.flatMap((role, j) => {
    if (!known.has(role)) return [];
    const now = inventory.nodes.filter((n) => n.roles.includes(role)).length;
    const count = after.filter((n) => n.roles.includes(role)).length;
    if (count % 2 === 1) return [];
    const change =
      descriptor.nodes.add.length || descriptor.nodes.remove.length ? ` (${now} now)` : '';
    return [
      {
        code: 'PLAN.INVARIANT_ODD' as const,
        file: files.logicBook,
        path: `invariants.odd[${j}]`,
        message: `role ${JSON.stringify(role)} would have ${count} hosts after membership changes${change}; it must be odd`,
      },
    ];
  });
};

export const CROSS_RULES: readonly Rule<Inputs>[] = [
  modesExist,
  membershipFitsInventory,
  targetedPackagesDoNotOverlap,
  phaseReferencesExist,
  packageTargetsExist,
  oddRolesStayOdd,
];
