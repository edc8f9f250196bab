import { readDescriptor, readInventory, resolveCluster } from '@ferry/plan';

/** Packages (rpms) of every instance of a snapshot, as the descriptor chose them. */
export function instancePackages(
  inventory: unknown,
  descriptor: unknown,
): (host: string, target: string) => readonly string[] {
  const inv = readInventory(inventory, 'snapshot inventory');
  const desc = readDescriptor(descriptor, 'snapshot descriptor');
  const packages = new Map<string, readonly string[]>();
  if (inv.ok && desc.ok) {
    for (const host of resolveCluster(inv.value, desc.value).hosts) {
      for (const instance of host.instances)
        packages.set(`${host.id}\u0000${instance.component}`, instance.rpms);
    }
  }
  return (host, target) => packages.get(`${host}\u0000${target}`) ?? [];
}
