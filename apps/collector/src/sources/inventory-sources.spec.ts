import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InventorySource } from '@ferry/storage';
import { InventorySources } from './inventory-sources';
import { SourceError } from './source-error';

const sources = new InventorySources();
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ferry-sources-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('InventorySources.resolve', () => {
  it('reads inline text, detecting Ferry and Ansible formats', async () => {
    expect(await sources.resolve({ kind: 'inline', text: 'nodes: [{ id: a }]' })).toEqual({
      format: 'ferry',
      value: { nodes: [{ id: 'a' }] },
      problems: [],
      source: 'inline (ferry)',
      file: 'inventory',
    });
    expect(await sources.resolve({ kind: 'inline', text: '[web]\nw1\n' })).toMatchObject({
      format: 'ansible-ini',
      source: 'inline (ansible-ini)',
      value: { nodes: [{ id: 'w1', roles: ['web'] }] },
    });
  });

  it('reads an object, Ferry or Ansible', async () => {
    expect(await sources.resolve({ kind: 'object', value: { nodes: [] } })).toMatchObject({
      format: 'ferry',
      source: 'object (ferry)',
      value: { nodes: [] },
    });
    expect(
      await sources.resolve({ kind: 'object', value: { all: { hosts: { h: null } } } }),
    ).toMatchObject({ format: 'ansible-yaml', value: { nodes: [{ id: 'h' }] } });
  });

  it('generates a sim:// cluster, and reports a bad URL with the URL as the file', async () => {
    const sim = await sources.resolve({ kind: 'sim', url: 'sim://nodes=5&components=2' });
    expect(sim).toMatchObject({
      format: 'ferry',
      source: 'sim://nodes=5&components=2',
      file: 'sim://nodes=5&components=2',
      problems: [],
    });
    expect((sim.value as { nodes: unknown[] }).nodes).toHaveLength(5);
    const bad = await sources.resolve({ kind: 'sim', url: 'sim://nodes=x' });
    expect(bad.value).toBeUndefined();
    expect(bad.problems).toEqual([
      expect.objectContaining({ code: 'SIM.BAD_URL', path: 'nodes', file: 'sim://nodes=x' }),
    ]);
  });

  it('reads an explicit Ansible inventory from text or from a file, the path naming the file in problems', async () => {
    expect(await sources.resolve({ kind: 'ansible', text: 'w1\n', format: 'ini' })).toMatchObject({
      source: 'ansible inline (ansible-ini)',
      value: { nodes: [{ id: 'w1' }] },
    });
    const path = join(tmp, 'hosts');
    writeFileSync(path, '[web:vars]\nx=1\n');
    const fromFile = await sources.resolve({ kind: 'ansible', path });
    expect(fromFile).toMatchObject({ source: `ansible ${path} (ansible-ini)`, file: path });
    expect(fromFile.problems).toEqual([expect.objectContaining({ file: path, path: 'line 1' })]);
  });

  it.each<[string, InventorySource, string, string]>([
    [
      'a missing file',
      { kind: 'ansible', path: '/nonexistent/ferry/hosts' },
      'SOURCE.UNREACHABLE',
      'cannot read /nonexistent/ferry/hosts: no such file',
    ],
    [
      'a directory',
      { kind: 'ansible', path: tmpdir() },
      'SOURCE.UNREACHABLE',
      `cannot read ${tmpdir()}: it is a directory (give the inventory file)`,
    ],
    [
      'both a path and a text',
      { kind: 'ansible', path: '/x', text: 'y' },
      'INPUT.INVALID',
      'an Ansible inventory source has a path or a text, not both',
    ],
    [
      'empty inline text',
      { kind: 'inline', text: ' ' },
      'INPUT.INVALID',
      "the project's inventory source has no text",
    ],
    [
      'an unknown kind',
      { kind: 'ftp' } as unknown as InventorySource,
      'INPUT.INVALID',
      'unknown inventory source kind "ftp"',
    ],
  ])('refuses %s', async (_, source, code, message) => {
    const error = await sources.resolve(source).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceError);
    expect([(error as SourceError).code, (error as SourceError).message]).toEqual([code, message]);
  });
});
