import type { Descriptor } from '../model/inputs';
import type { Problem } from '../problems/problem';
import { duplicateComponents, reservedNodeIds } from './inventory-rules';
import { groupBy, type Rule } from './rule';

/** Releases of a fast-forward path are distinct. */
export const uniqueReleases: Rule<Descriptor> = (descriptor, files) => {
  const problems: Problem[] = [];
  for (const [release, indices] of groupBy(descriptor.releases, (r) => r)) {
    for (const index of indices.slice(1)) {
      problems.push({
        code: 'DESCRIPTOR.DUPLICATE_RELEASE',
        file: files.descriptor,
        path: `releases[${index}]`,
        message: `release ${JSON.stringify(release)} is listed twice (first at releases[${indices[0]}])`,
      });
    }
  }
  return problems;
};

/** A node is added at most once, removed at most once, and never both. */
export const distinctMembershipChanges: Rule<Descriptor> = (descriptor, files) => {
  const problems: Problem[] = [];
  const report = (path: string, message: string) =>
    problems.push({
      code: 'DESCRIPTOR.DUPLICATE_MEMBERSHIP',
      file: files.descriptor,
      path,
      message,
    });
  for (const [id, indices] of groupBy(descriptor.nodes.add, (n) => n.id)) {
    for (const index of indices.slice(1))
      report(`nodes.add[${index}].id`, `node ${JSON.stringify(id)} is added twice`);
  }
  for (const [id, indices] of groupBy(descriptor.nodes.remove, (n) => n)) {
    for (const index of indices.slice(1))
      report(`nodes.remove[${index}]`, `node ${JSON.stringify(id)} is removed twice`);
  }
  const added = new Set(descriptor.nodes.add.map((n) => n.id));
  descriptor.nodes.remove.forEach((id, index) => {
    if (added.has(id)) {
      report(
        `nodes.remove[${index}]`,
        `node ${JSON.stringify(id)} is both added and removed; to replace a node, add one with a new id`,
      );
    }
  });
  return problems.concat(
    duplicateComponents(descriptor.nodes.add, files.descriptor, 'nodes.add'),
    reservedNodeIds(descriptor.nodes.add, files.descriptor, 'nodes.add'),
  );
};

/** At most one package without `targets` per component: it is the default for the other hosts. */
export const oneDefaultPackagePerComponent: Rule<Descriptor> = (descriptor, files) => {
  const problems: Problem[] = [];
  const untargeted = descriptor.packages
    .map((p, index) => ({ p, index }))
    .filter(({ p }) => p.targets === undefined);
  for (const [component, positions] of groupBy(untargeted, ({ p }) => p.component)) {
    const first = untargeted[positions[0]].index;
    for (const position of positions.slice(1)) {
      const index = untargeted[position].index;
      problems.push({
        code: 'DESCRIPTOR.PACKAGE_OVERLAP',
        file: files.descriptor,
        path: `packages[${index}]`,
        message: `packages[${first}] and packages[${index}] are both the default (no targets) for component ${JSON.stringify(component)}; give one of them targets`,
      });
    }
  }
  return problems;
};

export const DESCRIPTOR_RULES: readonly Rule<Descriptor>[] = [
  uniqueReleases,
  distinctMembershipChanges,
  oneDefaultPackagePerComponent,
];
