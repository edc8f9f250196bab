import { readInventory } from '@ferry/plan';
import { parseAnsibleIni } from './ini';
import { toFerryInventory } from './to-ferry';
import { readAnsibleYaml } from './yaml';
import { load } from 'js-yaml';

const FILE = 'hosts';

function fromIni(text: string) {
  const parsed = parseAnsibleIni(text, FILE);
  expect(parsed.problems).toEqual([]);
  return toFerryInventory(parsed.value, FILE);
}

function fromYaml(text: string) {
  const parsed = readAnsibleYaml(load(text), FILE);
  expect(parsed.problems).toEqual([]);
  return toFerryInventory(parsed.value, FILE);
}

function node(result: ReturnType<typeof toFerryInventory>, id: string) {
  const found = result.value.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

describe('toFerryInventory', () => {
  it('turns an INI inventory into a Ferry inventory that readInventory accepts', () => {
    const result = fromIni(`[control]
ctl01 ansible_host=10.0.0.11 ferry_components='{"nova-api": "27.0.1", "keystone": "24.0.0"}'

[compute]
cmp[01:02] ferry_groups='{"az": "az1"}'

[compute:vars]
ferry_components=[{"name": "nova-compute", "version": "27.0.1"}]
`);
    expect(result.problems).toEqual([]);
    const inventory = readInventory(result.value, FILE);
    expect(inventory).toEqual({
      ok: true,
      value: {
        nodes: [
          {
            id: 'ctl01',
            address: '10.0.0.11',
            roles: ['control'],
            groups: {},
            components: [
              { name: 'nova-api', version: '27.0.1' },
              { name: 'keystone', version: '24.0.0' },
            ],
          },
          {
            id: 'cmp01',
            roles: ['compute'],
            groups: { az: 'az1' },
            components: [{ name: 'nova-compute', version: '27.0.1' }],
          },
          {
            id: 'cmp02',
            roles: ['compute'],
            groups: { az: 'az1' },
            components: [{ name: 'nova-compute', version: '27.0.1' }],
          },
        ],
      },
    });
  });

  it('gives a host every group it is in through children as a role, but never all or ungrouped', () => {
    const result = fromIni(`loner
[region:children]
openstack
[openstack:children]
compute
[compute]
cmp01
[gpu]
cmp01
`);
    expect(node(result, 'cmp01').roles).toEqual(['region', 'openstack', 'compute', 'gpu']);
    expect(node(result, 'loner').roles).toEqual([]);
  });

  describe('variable precedence', () => {
    const inventory = `[all:vars]
ferry_groups={"level": "all"}
ferry_components={"x": "all"}

[parent:children]
child

[parent:vars]
ferry_groups={"level": "parent"}
ferry_components={"x": "parent"}

[child:vars]
ferry_groups={"level": "child"}

[child]
h-child
h-own ferry_groups='{"level": "host"}'

[parent]
h-parent

[other]
h-none
`;

    it('host variables beat every group', () => {
      expect(node(fromIni(inventory), 'h-own').groups).toEqual({ level: 'host' });
    });

    it('a child group beats its parent, which beats all', () => {
      const result = fromIni(inventory);
      expect(node(result, 'h-child').groups).toEqual({ level: 'child' });
      expect(node(result, 'h-parent').groups).toEqual({ level: 'parent' });
      expect(node(result, 'h-none').groups).toEqual({ level: 'all' });
    });

    it('a variable a stronger level does not set comes from the weaker one', () => {
      expect(node(fromIni(inventory), 'h-child').components).toEqual([
        { name: 'x', version: 'parent' },
      ]);
    });

    it('a stronger value replaces a mapping as a whole rather than merging into it', () => {
      const result = fromIni(`[all:vars]
ferry_groups={"dc": "east", "az": "az1"}
[web]
w1 ferry_groups='{"az": "az2"}'
`);
      expect(node(result, 'w1').groups).toEqual({ az: 'az2' });
    });

    it('between groups of one depth, the later name wins unless ansible_group_priority says otherwise', () => {
      const plain = fromIni(`[alpha]
h
[beta]
h
[alpha:vars]
ferry_groups={"from": "alpha"}
[beta:vars]
ferry_groups={"from": "beta"}
`);
      expect(node(plain, 'h').groups).toEqual({ from: 'beta' });
      const prioritised = fromIni(`[alpha]
h
[beta]
h
[alpha:vars]
ansible_group_priority=10
ferry_groups={"from": "alpha"}
[beta:vars]
ferry_groups={"from": "beta"}
`);
      expect(node(prioritised, 'h').groups).toEqual({ from: 'alpha' });
    });

    it('applies the same rules to YAML inventories', () => {
      const result = fromYaml(`
all:
  vars: { ferry_groups: { level: all } }
  children:
    parent:
      vars: { ferry_groups: { level: parent } }
      children:
        child:
          vars: { ferry_groups: { level: child } }
          hosts:
            a:
            b: { ferry_groups: { level: host } }
      hosts:
        c:
`);
      expect(result.value.nodes.map((n) => [n.id, n.groups.level, n.roles])).toEqual([
        ['a', 'child', ['parent', 'child']],
        ['b', 'host', ['parent', 'child']],
        ['c', 'parent', ['parent']],
      ]);
    });
  });

  it('reads ferry_components as a list of {name, version} or a mapping, and as text holding either', () => {
    const result = fromYaml(`
all:
  hosts:
    a: { ferry_components: [{ name: x, version: "1.0" }] }
    b: { ferry_components: { x: "1.0", y: "2.0" } }
    c: { ferry_components: '{"x": "1.0"}' }
    d: { ferry_components: null }
`);
    expect(result.problems).toEqual([]);
    expect(result.value.nodes.map((n) => n.components)).toEqual([
      [{ name: 'x', version: '1.0' }],
      [
        { name: 'x', version: '1.0' },
        { name: 'y', version: '2.0' },
      ],
      [{ name: 'x', version: '1.0' }],
      [],
    ]);
  });

  it('reports a version that is not a string, a bad item and a bad type, with the YAML path', () => {
    const result = fromYaml(`
all:
  hosts:
    a: { ferry_components: { x: 1.10 } }
    b: { ferry_components: [{ name: x }, { name: y, version: "1", extra: 1 }] }
    c: { ferry_components: 5 }
    d: { ferry_groups: [a] }
    e: { ansible_host: 7 }
`);
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([
      ['INPUT.VERSION_NOT_STRING', 'all.hosts.a.ferry_components.x'],
      ['INPUT.TYPE', 'all.hosts.b.ferry_components[0]'],
      ['INPUT.UNKNOWN_KEY', 'all.hosts.b.ferry_components[1]'],
      ['INPUT.TYPE', 'all.hosts.c.ferry_components'],
      ['INPUT.TYPE', 'all.hosts.d.ferry_groups'],
      ['INPUT.TYPE', 'all.hosts.e.ansible_host'],
    ]);
    expect(result.problems.every((p) => p.file === FILE)).toBe(true);
  });

  it('reports a bad group variable once, at its INI line, however many hosts it reaches', () => {
    const parsed = parseAnsibleIni(
      `[web]
w1
w2
w3
[web:vars]
ferry_components=7
`,
      FILE,
    );
    const result = toFerryInventory(parsed.value, FILE);
    expect(result.problems).toEqual([
      {
        code: 'INPUT.TYPE',
        file: FILE,
        path: 'line 6',
        message:
          'ferry_components must be a list of {name, version} or a mapping of name to version, not number 7',
      },
    ]);
  });

  it('turns numeric ferry_groups values into labels', () => {
    const result = fromYaml(`
all:
  hosts:
    a: { ferry_groups: { rack: 12, spare: true } }
`);
    expect(node(result, 'a').groups).toEqual({ rack: '12', spare: 'true' });
  });

  it('reports a cycle of children and still converts every host', () => {
    const result = toFerryInventory(
      readAnsibleYaml(
        {
          _meta: { hostvars: {} },
          a: { children: ['b'], hosts: ['h1'] },
          b: { children: ['a'], hosts: ['h2'] },
        },
        FILE,
      ).value,
      FILE,
    );
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/cycle through children: (a → b → a|b → a → b)/),
    ]);
    expect(result.value.nodes.map((n) => n.id)).toEqual(['h1', 'h2']);
  });
});
