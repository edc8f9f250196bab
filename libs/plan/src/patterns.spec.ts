/**
 * The "Worked patterns" of logic-book.md, compiled and sliced end to end.
 */
import { checkPlan } from './check/check-plan';
import type { Plan } from './model/plan';
import { parseRegroup } from './slice/command';
import { slicePlan } from './slice/slice';
import {
  book,
  compile,
  compileOk,
  descriptor,
  hostsPerBatch,
  inventory,
  node,
  phaseRecord,
  pkg,
  problemsOf,
  valueOf,
  type RawNode,
} from './testing/builders.fixtures';

const NOVA = ['nova-conductor', 'nova-scheduler', 'nova-compute', 'nova-api'];

describe('Nova live upgrade with RPC pinning', () => {
  const sources = (version: string) => ({
    inventory: inventory(
      node('ctrl-1', 'management', {
        'nova-api': '27',
        'nova-conductor': '27',
        'nova-scheduler': '27',
      }),
      node('cmp-1', 'compute', { 'nova-compute': '27' }),
      node('cmp-2', 'compute', { 'nova-compute': '27' }),
    ),
    descriptor: descriptor(NOVA.map((c) => pkg(c, version))),
    logicBook: book([
      { name: 'pin-rpc', scope: 'global', target: 'nova', action: 'pin-rpc' },
      { action: 'stop', order: NOVA },
      { action: 'uprpm', order: NOVA },
      { action: 'start', order: NOVA },
      {
        name: 'unpin-rpc',
        scope: 'global',
        target: 'nova',
        action: 'unpin-rpc',
        when: { upgrading: NOVA },
      },
    ]),
  });

  it('pins first, walks the services in order, and unpins last', () => {
    const { plan } = compileOk(sources('28'));
    const ids = plan.mission.flat(3);
    expect(ids[0]).toBe('upg-server_nova_pin-rpc');
    expect(ids[ids.length - 1]).toBe('upg-server_nova_unpin-rpc');
    expect(plan.mission.slice(1, 5)).toEqual([
      [[['ctrl-1_nova-conductor_stop']]],
      [[['ctrl-1_nova-scheduler_stop']]],
      [[['cmp-1_nova-compute_stop']], [['cmp-2_nova-compute_stop']]],
      [[['ctrl-1_nova-api_stop']]],
    ]);
    expect(checkPlan(plan, plan.modes, 'plan.json')).toEqual([]);
  });

  it('skips the unpin when nothing of nova is upgraded', () => {
    const { plan } = compileOk(sources('27'));
    expect(plan.mission).toEqual([[[['upg-server_nova_pin-rpc']]]]);
    expect(phaseRecord(plan, 'unpin-rpc').batches).toEqual([1, 1]);
  });
});

describe('Add / remove / replace nodes', () => {
  const sources = (nodes: { add?: RawNode[]; remove?: string[] }) => ({
    inventory: inventory(
      node('mgmt-1', 'management', { etcd: '3.5' }),
      node('mgmt-2', 'management', { etcd: '3.5' }),
      node('mgmt-3', 'management', { etcd: '3.5' }),
    ),
    descriptor: descriptor([pkg('etcd', '3.5')], { nodes }),
    logicBook: book(
      [
        { action: 'dispatch' },
        { action: 'install' },
        { action: 'start' },
        { action: 'stop' },
        { action: 'uninstall' },
        {
          name: 'notify-registry',
          scope: 'global',
          target: 'registry',
          action: 'notify',
          when: { membership: true },
        },
      ],
      { invariants: { odd: ['management'] } },
    ),
  });

  it('replaces a node: installs the new one, uninstalls the old one, notifies the registry', () => {
    const { plan } = compileOk(
      sources({ add: [node('mgmt-4', 'management', { etcd: '3.5' })], remove: ['mgmt-3'] }),
    );
    expect(plan.mission.flat(3)).toEqual([
      'mgmt-4_etcd_dispatch',
      'mgmt-4_etcd_install',
      'mgmt-4_etcd_start',
      'mgmt-3_etcd_stop',
      'mgmt-3_etcd_uninstall',
      'upg-server_registry_notify',
    ]);
  });

  it('refuses to leave an even number of management nodes', () => {
    const problems = problemsOf(compile(sources({ remove: ['mgmt-3'] })));
    expect(problems).toEqual([
      expect.objectContaining({ code: 'PLAN.INVARIANT_ODD', path: 'invariants.odd[0]' }),
    ]);
    expect(problems[0].message).toContain('2');
  });

  it('does nothing at all without membership changes when every node is at target', () => {
    const { plan, stats } = compileOk(sources({}));
    expect(plan.mission).toEqual([]);
    expect(stats.alreadyAtTarget).toBe(3);
  });
});

describe('Network nodes in batches', () => {
  const plan = (): Plan =>
    compileOk({
      inventory: inventory(
        ...['net-1', 'net-2', 'net-3', 'net-4', 'net-5'].map((id) =>
          node(id, 'network', { 'l3-agent': '9' }),
        ),
        node('ctrl-1', 'management', { 'l3-agent': '9' }),
      ),
      descriptor: descriptor([pkg('l3-agent', '12')]),
      logicBook: book(
        [
          {
            name: 'upgrade-network',
            actions: ['stop', 'uprpm', 'start'],
            where: { roles: ['network'] },
            split: { count: 2 },
          },
        ],
        { commands: { network: ['upgrade-network'] } },
      ),
    }).plan;

  it('cuts the network nodes into two batches, the larger first', () => {
    expect(hostsPerBatch(plan(), 'upgrade-network')).toEqual([
      ['net-1', 'net-2', 'net-3'],
      ['net-4', 'net-5'],
    ]);
  });

  it("lets the operator regroup them at run time with the CLI's --regroup syntax", () => {
    const regroup = parseRegroup('upgrade-network=net-5,net-1;net-2,net-3,net-4');
    expect(regroup).not.toBeNull();
    const current = valueOf(
      slicePlan(plan(), { command: 'network', ...(regroup ? { regroup } : {}) }),
    );
    expect(hostsPerBatch(current, 'upgrade-network')).toEqual([
      ['net-1', 'net-5'],
      ['net-2', 'net-3', 'net-4'],
    ]);
  });
});
