import { parseAnsibleIni } from './ini';

const FILE = 'hosts.ini';

function parse(text: string) {
  return parseAnsibleIni(text, FILE);
}

describe('parseAnsibleIni', () => {
  it('files hosts before the first section under ungrouped, and the rest under their sections', () => {
    const { value, problems } = parse(`
# a comment
; another comment
lonely.example.com

[web]
web01
web02

[db]
db01
`);
    expect(problems).toEqual([]);
    expect([...value.hosts.keys()]).toEqual(['lonely.example.com', 'web01', 'web02', 'db01']);
    expect([...(value.groups.get('ungrouped')?.hosts ?? [])]).toEqual(['lonely.example.com']);
    expect([...(value.groups.get('web')?.hosts ?? [])]).toEqual(['web01', 'web02']);
    expect([...(value.groups.get('db')?.hosts ?? [])]).toEqual(['db01']);
  });

  it('reads host variables with quotes and JSON/Python literals', () => {
    const { value, problems } = parse(`[compute]
cmp01 ansible_host=10.0.0.21 ferry_components='[{"name": "nova-compute", "version": "27.0.1"}]' ferry_groups="{'az': 'az1'}" rack=12
`);
    expect(problems).toEqual([]);
    expect(value.hosts.get('cmp01')?.vars).toEqual({
      ansible_host: '10.0.0.21',
      ferry_components: [{ name: 'nova-compute', version: '27.0.1' }],
      ferry_groups: { az: 'az1' },
      rack: 12,
    });
  });

  it('expands host ranges and records a port as ansible_port', () => {
    const { value, problems } = parse(`[web]
web[01:03].example.com:2222 role=frontend
`);
    expect(problems).toEqual([]);
    expect([...value.hosts.keys()]).toEqual([
      'web01.example.com',
      'web02.example.com',
      'web03.example.com',
    ]);
    expect(value.hosts.get('web02.example.com')?.vars).toEqual({
      ansible_port: 2222,
      role: 'frontend',
    });
  });

  it('reads :vars and :children sections, in any order', () => {
    const { value, problems } = parse(`[openstack:children]
control
compute

[openstack:vars]
ferry_components={"nova-api": "27.0.1"}
ntp = ntp.example.com

[control]
ctl01

[compute]
cmp01
`);
    expect(problems).toEqual([]);
    const openstack = value.groups.get('openstack');
    expect([...(openstack?.children ?? [])]).toEqual(['control', 'compute']);
    expect(openstack?.vars).toEqual({
      ferry_components: { 'nova-api': '27.0.1' },
      ntp: 'ntp.example.com',
    });
    expect(openstack?.varPaths.ntp).toBe('line 7');
  });

  it('merges the variables of a host declared in two groups, the later declaration winning', () => {
    const { value } = parse(`[a]
h1 x=1 y=1
[b]
h1 y=2
`);
    expect(value.hosts.get('h1')?.vars).toEqual({ x: 1, y: 2 });
    expect(value.hosts.get('h1')?.varPaths).toEqual({ x: 'line 2', y: 'line 4' });
    expect([...value.hosts.keys()]).toEqual(['h1']);
  });

  it('accepts [all:vars] and [group:hosts] without a definition', () => {
    const { value, problems } = parse(`[all:vars]
ferry_groups={"dc": "east"}
[web:hosts]
web01
`);
    expect(problems).toEqual([]);
    expect(value.groups.get('all')?.vars).toEqual({ ferry_groups: { dc: 'east' } });
    expect([...(value.groups.get('web')?.hosts ?? [])]).toEqual(['web01']);
  });

  it('reports, with their line, vars of an undefined group and children nobody defines', () => {
    const { problems } = parse(`[wbe:vars]
x=1
[parent:children]
ghost
[web]
web01
`);
    expect(problems).toEqual([
      {
        code: 'INPUT.INVALID',
        file: FILE,
        path: 'line 1',
        message: 'section [wbe:vars] is for a group that no section defines',
      },
      {
        code: 'INPUT.INVALID',
        file: FILE,
        path: 'line 4',
        message: '[parent:children] names group "ghost", which no section defines',
      },
    ]);
  });

  it('reports every malformed line, not just the first', () => {
    const { problems } = parse(`[web]
web01 novalue
web02 x='open
web[3:1]
[web:vars]
just-a-word
[web:weird]
[broken
`);
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['line 2', 'INPUT.SYNTAX'],
      ['line 3', 'INPUT.SYNTAX'],
      ['line 4', 'INPUT.INVALID'],
      ['line 6', 'INPUT.SYNTAX'],
      ['line 7', 'INPUT.SYNTAX'],
      ['line 8', 'INPUT.SYNTAX'],
    ]);
    expect(problems.every((p) => p.file === FILE)).toBe(true);
  });

  it('does not file the lines of a broken section under the previous group', () => {
    const { value } = parse(`[web]
web01
[bad section]
intruder
`);
    expect(value.hosts.has('intruder')).toBe(false);
  });

  it('handles Windows line endings', () => {
    const { value, problems } = parse('[web]\r\nweb01 a=1\r\n');
    expect(problems).toEqual([]);
    expect(value.hosts.get('web01')?.vars).toEqual({ a: 1 });
  });
});
