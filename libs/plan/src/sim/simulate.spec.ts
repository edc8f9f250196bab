import { readFileSync } from 'fs';
import { join } from 'path';
import { compilePlan } from '../compile/compile';
import { readDescriptor, readInventory, readLogicBook } from '../input/read';
import { unwrap } from '../problems/problem';
import { simulateCluster, type SimCluster } from './simulate';
import { parseSimUrl } from './url';

function simulate(url: string): SimCluster {
  return simulateCluster(unwrap(parseSimUrl(url)));
}

type SimNode = SimCluster['inventory']['nodes'][number];

function count<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

const instances = (nodes: readonly SimNode[]) => nodes.flatMap((n) => n.components);

/** The seed's logic book with its `order` components renamed to simulated ones. */
const seedLogic = readFileSync(join(__dirname, '../../../../examples/seed/logic.yaml'), 'utf8')
  .replace('order: [X, Y]', 'order: [comp-01, comp-02]')
  .replace('order: [Y, X]', 'order: [comp-02, comp-01]');

describe('simulateCluster', () => {
  it('gives the same cluster for the same URL, in any parameter order', () => {
    const url = 'sim://nodes=50&components=8&per_node=5&at_target=0.3&seed=9';
    const a = simulate(url);
    expect(simulate(url)).toEqual(a);
    expect(
      JSON.stringify(simulate('sim://seed=9&at_target=0.3&per_node=5&components=8&nodes=50')),
    ).toBe(JSON.stringify(a));
  });

  it('gives another cluster for another seed', () => {
    const a = simulate('sim://nodes=50&components=8&per_node=5&at_target=0.3&seed=1');
    const b = simulate('sim://nodes=50&components=8&per_node=5&at_target=0.3&seed=2');
    expect(b).not.toEqual(a);
  });

  it('names nodes and components zero-padded, in order', () => {
    const { inventory } = simulate('sim://nodes=120&components=3');
    expect(inventory.nodes.map((n) => n.id).slice(0, 2)).toEqual(['node-001', 'node-002']);
    expect(inventory.nodes[119].id).toBe('node-120');
    expect(inventory.nodes[0].components).toEqual([
      { name: 'comp-01', version: '1.0' },
      { name: 'comp-02', version: '1.0' },
      { name: 'comp-03', version: '1.0' },
    ]);
    expect(simulate('sim://nodes=5&components=100').inventory.nodes[0].components[99].name).toBe(
      'comp-100',
    );
    expect(simulate('sim://nodes=9').inventory.nodes[8].id).toBe('node-9');
  });

  it('assigns roles in the order given, and az groups to compute and network nodes', () => {
    const { inventory } = simulate('sim://nodes=12&components=1&azs=2');
    expect(inventory.nodes.map((n) => [n.id, n.roles, n.groups])).toEqual([
      ['node-01', ['management'], {}],
      ['node-02', ['management'], {}],
      ['node-03', ['management'], {}],
      ['node-04', ['network'], { az: 'az1' }],
      ['node-05', ['network'], { az: 'az2' }],
      ['node-06', ['compute'], { az: 'az1' }],
      ['node-07', ['compute'], { az: 'az1' }],
      ['node-08', ['compute'], { az: 'az1' }],
      ['node-09', ['compute'], { az: 'az1' }],
      ['node-10', ['compute'], { az: 'az2' }],
      ['node-11', ['compute'], { az: 'az2' }],
      ['node-12', ['compute'], { az: 'az2' }],
    ]);
  });

  it('spreads a role over the zones in blocks that differ by at most one', () => {
    const { inventory } = simulate('sim://nodes=100&roles=compute&azs=3&components=1');
    expect(count(inventory.nodes, (n) => n.groups.az)).toEqual({ az1: 34, az2: 33, az3: 33 });
    const none = simulate('sim://nodes=10&azs=0&components=1').inventory.nodes;
    expect(none.every((n) => Object.keys(n.groups).length === 0)).toBe(true);
  });

  it('honours role counts and percentages, leaving unassigned nodes without a role', () => {
    const a = simulate('sim://nodes=20&components=1&roles=db:10%,web:25%,worker').inventory;
    expect(count(a.nodes, (n) => n.roles.join())).toEqual({ db: 2, web: 5, worker: 13 });
    expect(a.nodes[0].roles).toEqual(['db']);
    expect(a.nodes[2].roles).toEqual(['web']);
    const b = simulate('sim://nodes=10&components=1&roles=management:3').inventory;
    expect(count(b.nodes, (n) => n.roles.join() || '(none)')).toEqual({
      management: 3,
      '(none)': 7,
    });
  });

  it('puts exactly the at_target fraction of instances at the target version', () => {
    const { inventory } = simulate('sim://nodes=40&components=5&at_target=0.25&seed=3');
    const all = instances(inventory.nodes);
    expect(all).toHaveLength(200);
    expect(count(all, (c) => c.version)).toEqual({ '1.0': 150, '2.0': 50 });
    const byNode = inventory.nodes.map((n) => n.components.filter((c) => c.version === '2.0'));
    // Spread over the cluster, not bunched on the first nodes.
    expect(byNode.filter((c) => c.length > 0).length).toBeGreaterThan(20);

    expect(
      instances(simulate('sim://nodes=4&components=3&at_target=1').inventory.nodes).every(
        (c) => c.version === '2.0',
      ),
    ).toBe(true);
    expect(
      instances(simulate('sim://nodes=4&components=3').inventory.nodes).every(
        (c) => c.version === '1.0',
      ),
    ).toBe(true);
  });

  it('gives each node a seeded subset of per_node components, in name order', () => {
    const { inventory } = simulate('sim://nodes=200&components=10&per_node=3&seed=4');
    for (const node of inventory.nodes) {
      const names = node.components.map((c) => c.name);
      expect(names).toHaveLength(3);
      expect(new Set(names).size).toBe(3);
      expect([...names].sort()).toEqual(names);
    }
    const usage = count(instances(inventory.nodes), (c) => c.name);
    // Every component is used, none by every node: the subsets differ.
    expect(Object.keys(usage)).toHaveLength(10);
    expect(Math.max(...Object.values(usage))).toBeLessThan(200);
  });

  it('keeps which components a node runs when only at_target changes', () => {
    const names = (url: string) =>
      simulate(url).inventory.nodes.map((n) => n.components.map((c) => c.name));
    expect(names('sim://nodes=30&components=6&per_node=2&at_target=0.5')).toEqual(
      names('sim://nodes=30&components=6&per_node=2'),
    );
  });

  it('describes one package per component, to the target version', () => {
    const { descriptor } = simulate('sim://nodes=3&components=2&to=3.1&mode=hot');
    expect(descriptor).toEqual({
      name: 'sim-3x2',
      packages: [
        { component: 'comp-01', version: '3.1', mode: 'hot', rpms: ['comp-01-3.1-1.noarch.rpm'] },
        { component: 'comp-02', version: '3.1', mode: 'hot', rpms: ['comp-02-3.1-1.noarch.rpm'] },
      ],
    });
  });

  it('reads unchanged as an inventory and a descriptor', () => {
    const { inventory, descriptor } = simulate(
      'sim://nodes=30&components=4&per_node=3&at_target=0.2&from=27.0.1&to=28.0.0',
    );
    const readInv = readInventory(inventory, 'sim');
    const readDesc = readDescriptor(descriptor, 'sim');
    expect(readInv.ok && readDesc.ok).toBe(true);
    expect(unwrap(readInv).nodes).toEqual(inventory.nodes);
    expect(unwrap(readDesc)).toEqual({
      ...descriptor,
      releases: [],
      nodes: { add: [], remove: [] },
    });
    // Also as JSON text, the way a file or an HTTP body brings it.
    expect(readInventory(JSON.stringify(inventory), 'sim').ok).toBe(true);
  });

  it("compiles with the seed's logic book", () => {
    const url = 'sim://nodes=12&components=3&at_target=0.25&seed=5';
    const { inventory, descriptor } = simulate(url);
    const compiled = unwrap(
      compilePlan(
        {
          inventory: unwrap(readInventory(inventory, url)),
          descriptor: unwrap(readDescriptor(descriptor, url)),
          logicBook: unwrap(readLogicBook(seedLogic, 'logic.yaml')),
        },
        { files: { inventory: url, descriptor: url, logicBook: 'logic.yaml' } },
      ),
    );
    expect(compiled.stats).toEqual({ hosts: 12, instancesTouched: 27, alreadyAtTarget: 9 });
    // Every touched instance goes through all five actions of `restart`.
    expect(compiled.plan.tasks.size).toBe(27 * 5);
    expect(compiled.plan.phases.map((p) => p.name)).toEqual([
      'dispatch',
      'check',
      'stop',
      'uprpm',
      'start',
    ]);
    const stopLayers = compiled.plan.mission
      .slice(...compiled.plan.phases[2].batches)
      .map((batch) => new Set(batch.flat(2).map((id) => id.split('_')[1])));
    expect(stopLayers.map((s) => [...s].sort())).toEqual([['comp-01', 'comp-03'], ['comp-02']]);
  });
});
