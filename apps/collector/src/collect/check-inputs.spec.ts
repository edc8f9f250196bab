import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FILES, readLogicBook, type LogicBook } from '@ferry/plan';
import { documentOfText } from '../sources/ansible-source';
import { checkInputs } from './check-inputs';

const SEED = join(__dirname, '..', '..', '..', '..', 'examples', 'seed');
const read = (file: string) => readFileSync(join(SEED, file), 'utf8');

function logicBook(): LogicBook {
  const book = readLogicBook(read('logic.yaml'), 'logic book');
  if (!book.ok) throw new Error('seed logic book does not read');
  return book.value;
}

describe('checkInputs', () => {
  it('accepts the seed example', () => {
    const result = checkInputs(
      documentOfText(read('inventory.yaml'), 'inventory'),
      read('descriptor.yaml'),
      logicBook(),
      DEFAULT_FILES,
    );
    expect(result.ok && result.value.inventory.nodes.map((n) => n.id)).toEqual(['A', 'B']);
    expect(result.ok && result.value.descriptor.packages.map((p) => p.component)).toEqual([
      'X',
      'Y',
    ]);
  });

  it('reports the problems of the inventory and of the descriptor together', () => {
    const result = checkInputs(
      documentOfText('nodes:\n  - { id: A, colour: red }\n', 'inventory'),
      'name: d\npackages:\n  - { component: X, version: 2.0, mode: restart }\n',
      logicBook(),
      DEFAULT_FILES,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => [p.file, p.path, p.code])).toEqual([
      ['inventory', 'nodes[0].colour', 'INPUT.UNKNOWN_KEY'],
      ['descriptor', 'packages[0].version', 'INPUT.VERSION_NOT_STRING'],
    ]);
  });

  it('runs the cross rules once both read: a mode the logic book does not define', () => {
    const result = checkInputs(
      documentOfText(read('inventory.yaml'), 'inventory'),
      'name: d\npackages:\n  - { component: X, version: "2.0", mode: teleport }\n',
      logicBook(),
      DEFAULT_FILES,
    );
    expect(!result.ok && result.problems.map((p) => [p.path, p.code])).toEqual([
      ['packages[0].mode', 'DESCRIPTOR.UNKNOWN_MODE'],
    ]);
  });

  it('reports Ansible parse problems with the descriptor problems, and names hosts in rule problems', () => {
    const broken = checkInputs(
      documentOfText('[x:vars]\na=1\n', 'hosts'),
      'packages: []\n',
      logicBook(),
      { ...DEFAULT_FILES, inventory: 'hosts' },
    );
    expect(!broken.ok && broken.problems.map((p) => [p.file, p.path])).toEqual([
      ['hosts', 'line 1'],
      ['descriptor', 'name'],
    ]);
    const duplicate = checkInputs(
      documentOfText(
        '[a]\nh1 ferry_components=\'[{"name": "X", "version": "1.0"}, {"name": "X", "version": "1.1"}]\'\n',
        'hosts',
      ),
      read('descriptor.yaml'),
      logicBook(),
      { ...DEFAULT_FILES, inventory: 'hosts' },
    );
    expect(!duplicate.ok && duplicate.problems.map((p) => [p.code, p.message])).toEqual([
      ['INVENTORY.DUPLICATE_COMPONENT', expect.stringMatching(/^Ansible host "h1": /)],
    ]);
  });
});
