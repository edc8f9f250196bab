import { detectText, detectValue } from './detect';

const FILE = 'inventory';

function formatOf(text: string): string {
  const result = detectText(text, FILE);
  return result.ok
    ? result.value.format
    : `problems: ${result.problems.map((p) => p.code).join(',')}`;
}

describe('detectText', () => {
  it.each([
    ['a Ferry YAML inventory', 'nodes:\n  - id: a\n', 'ferry'],
    ['a Ferry JSON inventory', '{"nodes": [{"id": "a"}]}', 'ferry'],
    ['an INI file with sections', '[web]\nweb01\n', 'ansible-ini'],
    [
      'an INI file whose first section is :vars, after comments',
      '# hosts\n; more\n\n[all:vars]\nx=1\n',
      'ansible-ini',
    ],
    ['an INI file of bare host lines', 'web01\nweb02 ansible_host=10.0.0.2\n', 'ansible-ini'],
    ['bare host lines YAML cannot read', 'web01 x="a: b"\nweb02\n', 'ansible-ini'],
    ['an Ansible YAML inventory', 'all:\n  hosts:\n    web01:\n', 'ansible-yaml'],
    [
      'ansible-inventory --list JSON',
      '{"_meta": {"hostvars": {}}, "all": {"children": ["ungrouped"]}}',
      'ansible-yaml',
    ],
    ['a YAML list (left to readInventory to refuse)', '- a\n- b\n', 'ferry'],
    ['broken YAML', 'nodes:\n  - id: a\n   bad: indent\n', 'problems: INPUT.SYNTAX'],
    ['broken YAML that starts like a key', 'nodes: [\n', 'problems: INPUT.SYNTAX'],
    ['an empty document', '   \n', 'problems: INPUT.SYNTAX'],
  ])('%s → %s', (_, text, expected) => {
    expect(formatOf(text)).toBe(expected);
  });
});

describe('detectValue', () => {
  it('tells an Ansible object from a Ferry one', () => {
    expect(detectValue({ nodes: [] }).format).toBe('ferry');
    expect(detectValue({ all: { hosts: { a: null } } }).format).toBe('ansible-yaml');
  });
});
