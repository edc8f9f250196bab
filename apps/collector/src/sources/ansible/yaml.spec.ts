import { load } from 'js-yaml';
import { isAnsibleInventoryValue, readAnsibleYaml } from './yaml';

const FILE = 'hosts.yaml';

function read(text: string) {
  return readAnsibleYaml(load(text), FILE);
}

describe('readAnsibleYaml (Ansible YAML inventory)', () => {
  it('reads hosts, nested children and vars under all', () => {
    const { value, problems } = read(`
all:
  hosts:
    mail.example.com:
  vars:
    ferry_groups: { dc: east }
  children:
    openstack:
      vars:
        ferry_components: { nova-api: "27.0.1" }
      children:
        control:
          hosts:
            ctl01: { ansible_host: 10.0.0.11 }
        compute:
          hosts:
            cmp[01:02]:
`);
    expect(problems).toEqual([]);
    expect([...value.hosts.keys()]).toEqual(['mail.example.com', 'ctl01', 'cmp01', 'cmp02']);
    expect([...(value.groups.get('all')?.children ?? [])]).toEqual(['openstack']);
    expect([...(value.groups.get('openstack')?.children ?? [])]).toEqual(['control', 'compute']);
    expect(value.hosts.get('ctl01')?.vars).toEqual({ ansible_host: '10.0.0.11' });
    expect(value.hosts.get('ctl01')?.varPaths.ansible_host).toBe(
      'all.children.openstack.children.control.hosts.ctl01.ansible_host',
    );
    expect(value.groups.get('openstack')?.vars).toEqual({
      ferry_components: { 'nova-api': '27.0.1' },
    });
  });

  it('makes top-level groups other than all children of all', () => {
    const { value, problems } = read(`
web:
  hosts:
    web01:
db:
  hosts:
    db01:
`);
    expect(problems).toEqual([]);
    expect([...(value.groups.get('all')?.children ?? [])]).toEqual(['web', 'db']);
  });

  it('reads the JSON of ansible-inventory --list, with _meta.hostvars and list shorthands', () => {
    const { value, problems } = readAnsibleYaml(
      {
        _meta: { hostvars: { web01: { ansible_host: '10.0.0.5' }, db01: { x: 1 } } },
        all: { children: ['ungrouped', 'web', 'db'] },
        web: { hosts: ['web01'], vars: { tier: 'front' } },
        db: ['db01'],
      },
      FILE,
    );
    expect(problems).toEqual([]);
    expect(value.hosts.get('web01')?.vars).toEqual({ ansible_host: '10.0.0.5' });
    expect(value.hosts.get('db01')?.vars).toEqual({ x: 1 });
    expect([...(value.groups.get('db')?.hosts ?? [])]).toEqual(['db01']);
    expect(value.groups.get('web')?.vars).toEqual({ tier: 'front' });
  });

  it('reports unknown keys and wrong types with their path, where Ansible would only warn', () => {
    const { problems } = read(`
all:
  chidren:
    web: {}
  hosts: 3
  vars: [a]
`);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['INPUT.UNKNOWN_KEY', 'all.chidren'],
      ['INPUT.TYPE', 'all.hosts'],
      ['INPUT.TYPE', 'all.vars'],
    ]);
  });

  it('reports a bad host range and host variables that are not a mapping', () => {
    const { problems } = read(`
all:
  hosts:
    n[3:1]:
    web01: [1, 2]
`);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['INPUT.INVALID', 'all.hosts["n[3:1]"]'],
      ['INPUT.TYPE', 'all.hosts.web01'],
    ]);
  });

  it('refuses a document that is not a mapping of groups', () => {
    expect(readAnsibleYaml(['a'], FILE).problems).toEqual([
      {
        code: 'INPUT.TYPE',
        file: FILE,
        path: '',
        message: 'an Ansible inventory must be a mapping of groups, not a list',
      },
    ]);
  });
});

describe('isAnsibleInventoryValue', () => {
  it.each([
    ['a Ferry inventory', { nodes: [{ id: 'a' }] }, false],
    ['a Ferry inventory with a typo elsewhere', { nodes: [], extra: {} }, false],
    ['all: with hosts', { all: { hosts: { a: null } } }, true],
    ['all: empty', { all: null }, true],
    ['all: with a typo inside', { all: { chidren: {} } }, true],
    ['ansible-inventory --list output', { _meta: { hostvars: {} }, all: { children: [] } }, true],
    ['top-level groups', { web: { hosts: { w: null } }, db: null }, true],
    ['an unrelated mapping', { name: 'x', packages: [] }, false],
    ['a list', [], false],
    ['text', 'web01', false],
    ['groups that say nothing', { web: null }, false],
  ])('%s → %s', (_, value, expected) => {
    expect(isAnsibleInventoryValue(value)).toBe(expected);
  });
});
