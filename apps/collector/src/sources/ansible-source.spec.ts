import { readInventory } from '@ferry/plan';
import { documentOfAnsibleText, documentOfText, nameAnsibleHosts } from './ansible-source';

describe('documentOfText', () => {
  it('passes a Ferry inventory through unchanged', () => {
    const doc = documentOfText('nodes:\n  - { id: a, roles: [x] }\n', 'inventory');
    expect(doc).toEqual({
      format: 'ferry',
      value: { nodes: [{ id: 'a', roles: ['x'] }] },
      problems: [],
    });
  });

  it('converts an INI inventory', () => {
    const doc = documentOfText(
      '[web]\nweb01 ferry_components=\'{"nginx": "1.24"}\'\n',
      'inventory',
    );
    expect(doc.format).toBe('ansible-ini');
    expect(doc.value).toEqual({
      nodes: [
        {
          id: 'web01',
          roles: ['web'],
          groups: {},
          components: [{ name: 'nginx', version: '1.24' }],
        },
      ],
    });
  });

  it('returns parse problems and no value', () => {
    const doc = documentOfText('[web:vars]\nx=1\n', 'hosts.ini');
    expect(doc.value).toBeUndefined();
    expect(doc.problems).toEqual([expect.objectContaining({ file: 'hosts.ini', path: 'line 1' })]);
  });
});

describe('documentOfAnsibleText', () => {
  it('reads YAML as Ansible even when it has a nodes key', () => {
    const doc = documentOfAnsibleText('nodes:\n  hosts:\n    n1:\n', 'inventory');
    expect(doc.format).toBe('ansible-yaml');
    expect(doc.value).toEqual({
      nodes: [{ id: 'n1', roles: ['nodes'], groups: {}, components: [] }],
    });
  });

  it('follows an explicit format', () => {
    expect(documentOfAnsibleText('web01\n', 'inventory', 'ini').value).toEqual({
      nodes: [{ id: 'web01', roles: [], groups: {}, components: [] }],
    });
    expect(documentOfAnsibleText('all: {hosts: {a: }}\n', 'inventory', 'yaml').format).toBe(
      'ansible-yaml',
    );
  });
});

describe('nameAnsibleHosts', () => {
  it('names the Ansible host of a problem that readInventory found at nodes[i]', () => {
    const value = {
      nodes: [
        { id: 'good', roles: [], groups: {}, components: [] },
        { id: 'bad_host', roles: [], groups: {}, components: [] },
      ],
    };
    const read = readInventory(value, 'hosts');
    expect(read.ok).toBe(false);
    const problems = nameAnsibleHosts(read.ok ? [] : read.problems, value, 'hosts');
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'nodes[1].id',
        message: expect.stringMatching(/^Ansible host "bad_host": /),
      }),
    ]);
  });
});
