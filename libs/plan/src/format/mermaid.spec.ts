import { readFileSync } from 'fs';
import { join } from 'path';
import type { Plan, TaskRecord } from '../model/plan';
import { unwrap } from '../problems/problem';
import { parseSimUrl } from '../sim/url';
import { simulateCluster } from '../sim/simulate';
import { compileSources } from '../sources';
import { MERMAID_MAX_BATCH_NODES, mermaidText, renderPlanMermaid } from './mermaid';

const FILES = {
  inventory: 'inventory.yaml',
  descriptor: 'descriptor.yaml',
  logicBook: 'logic.yaml',
};
const seedDir = join(__dirname, '../../../../examples/seed');
const seedFile = (name: string) => readFileSync(join(seedDir, name), 'utf8');

const seedPlan = unwrap(
  compileSources(
    {
      inventory: seedFile('inventory.yaml'),
      descriptor: seedFile('descriptor.yaml'),
      logicBook: seedFile('logic.yaml'),
    },
    FILES,
  ),
).plan;

/** Just enough of Mermaid's flowchart grammar to check the structure we emit. */
function parse(text: string) {
  const lines = text.trimEnd().split('\n');
  const nodes = new Map<string, { label: string; subgraph: string | null }>();
  const subgraphs: { id: string; title: string; nodes: string[] }[] = [];
  const edges: [string, string][] = [];
  let open: { id: string; title: string; nodes: string[] } | null = null;
  expect(lines[0]).toBe('flowchart TD');
  for (const line of lines.slice(1)) {
    let m: RegExpMatchArray | null;
    if ((m = /^ {2}subgraph (\w+) \["([^"]*)"\]$/.exec(line))) {
      expect(open).toBeNull();
      open = { id: m[1], title: m[2], nodes: [] };
      subgraphs.push(open);
    } else if (line === '  end') {
      expect(open).not.toBeNull();
      open = null;
    } else if ((m = /^ +(\w+)\["([^"]*)"\]$/.exec(line))) {
      expect(nodes.has(m[1])).toBe(false);
      nodes.set(m[1], { label: m[2], subgraph: open?.id ?? null });
      open?.nodes.push(m[1]);
    } else if ((m = /^ {2}(\w+) --> (\w+)$/.exec(line))) {
      edges.push([m[1], m[2]]);
    } else throw new Error(`unexpected line ${JSON.stringify(line)}`);
  }
  expect(open).toBeNull();
  return { nodes, subgraphs, edges };
}

/** What a Mermaid renderer shows for a label: entities decoded, `<br/>` as new lines. */
function shown(label: string): string[] {
  return label
    .split('<br/>')
    .map((line) =>
      line
        .replace(/#quot;/g, '"')
        .replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))),
    );
}

describe('renderPlanMermaid', () => {
  it('draws the seed plan: a subgraph per phase, a node per batch, a chain of edges', () => {
    const chart = parse(renderPlanMermaid(seedPlan));
    expect(chart.subgraphs.map((s) => [s.title, s.nodes])).toEqual([
      ['dispatch', ['b0']],
      ['check', ['b1']],
      ['stop', ['b2', 'b3']],
      ['uprpm', ['b4']],
      ['start', ['b5', 'b6']],
    ]);
    expect(chart.nodes.size).toBe(seedPlan.mission.length);
    expect(chart.edges).toEqual([
      ['b0', 'b1'],
      ['b1', 'b2'],
      ['b2', 'b3'],
      ['b3', 'b4'],
      ['b4', 'b5'],
      ['b5', 'b6'],
    ]);
  });

  it('labels a small batch with its index, phase, counts and task ids', () => {
    const chart = parse(renderPlanMermaid(seedPlan));
    expect(shown(chart.nodes.get('b0')?.label ?? '')).toEqual([
      'batch 0: dispatch',
      '2 hosts, 3 tasks',
      'A_X_dispatch',
      'A_Y_dispatch',
      'B_X_dispatch',
    ]);
    expect(shown(chart.nodes.get('b3')?.label ?? '')).toEqual([
      'batch 3: stop',
      '1 host, 1 task',
      'A_Y_stop',
    ]);
  });

  it('leaves out subgraphs of phases without batches', () => {
    const plan: Plan = {
      ...seedPlan,
      phases: [...seedPlan.phases, { name: 'idle', batches: [7, 7], actions: ['x'], verify: null }],
    };
    const chart = parse(renderPlanMermaid(plan));
    expect(chart.subgraphs.map((s) => s.title)).not.toContain('idle');
  });

  it('summarises a large batch in one small node', () => {
    const { inventory, descriptor } = simulateCluster(
      unwrap(parseSimUrl('sim://nodes=10000&components=3&roles=compute')),
    );
    const logicBook =
      'modes: { restart: [dispatch, uprpm] }\nphases: [{ action: dispatch }, { action: uprpm }]';
    const plan = unwrap(compileSources({ inventory, descriptor, logicBook }, FILES)).plan;
    const text = renderPlanMermaid(plan);
    const chart = parse(text);
    expect(chart.nodes.size).toBe(2);
    expect(shown(chart.nodes.get('b0')?.label ?? '')).toEqual([
      'batch 0: dispatch',
      '10000 hosts, 30000 tasks',
      'node-00001 … node-10000',
      'dispatch ×30000 (comp-01, comp-02, comp-03)',
    ]);
    expect(text.length).toBeLessThan(1000);
  });

  it(`merges the middle of long phases beyond ${MERMAID_MAX_BATCH_NODES} batches`, () => {
    const { inventory, descriptor } = simulateCluster(
      unwrap(parseSimUrl('sim://nodes=500&components=1&roles=compute')),
    );
    const logicBook = `
modes: { restart: [dispatch, uprpm] }
phases:
  - action: dispatch
  - action: uprpm
    split: { size: 2 }`;
    const plan = unwrap(compileSources({ inventory, descriptor, logicBook }, FILES)).plan;
    expect(plan.mission).toHaveLength(251);
    const chart = parse(renderPlanMermaid(plan));
    expect(chart.subgraphs.map((s) => [s.title, s.nodes])).toEqual([
      ['dispatch', ['b0']],
      ['uprpm', ['b1', 'b2', 'b3_249', 'b250']],
    ]);
    expect(shown(chart.nodes.get('b3_249')?.label ?? '')).toEqual([
      'batches 3…249: uprpm',
      '247 batches, 494 hosts, 494 tasks',
    ]);
    expect(chart.edges).toEqual([
      ['b0', 'b1'],
      ['b1', 'b2'],
      ['b2', 'b3_249'],
      ['b3_249', 'b250'],
    ]);
  });

  it('escapes quotes, brackets, markup and entities in labels', () => {
    const nasty = 'x"]; end\n<b>#quot;&`{|}[';
    expect(mermaidText(nasty)).toBe(
      'x#quot;#93;#59; end #60;b#62;#35;quot#59;#38;#96;#123;#124;#125;#91;',
    );
    expect(mermaidText('a … b ×2')).toBe('a #8230; b #215;2');
    // Nothing is left that could end the label or start markup.
    expect(mermaidText(nasty)).not.toMatch(/["<>[\]\n`]/);
    expect(shown(mermaidText('x"<y>#1;'))).toEqual(['x"<y>#1;']);
  });

  it('keeps node ids safe whatever the phase and task names', () => {
    const record: TaskRecord = {
      host: 'h"1',
      target: 'c',
      action: 'go',
      phase: 'phase "one" [x]',
      mode: null,
      from: null,
      to: null,
      release: null,
      undo: null,
      layer: 0,
    };
    const plan: Plan = {
      ...seedPlan,
      phases: [{ name: 'phase "one" [x]', batches: [0, 1], actions: ['go'], verify: null }],
      tasks: new Map([['h"1_c_go', record]]),
      mission: [[[['h"1_c_go']]]],
    };
    const chart = parse(renderPlanMermaid(plan));
    expect(chart.subgraphs.map((s) => [s.id, shown(s.title)[0]])).toEqual([
      ['p0', 'phase "one" [x]'],
    ]);
    expect(shown(chart.nodes.get('b0')?.label ?? '')).toEqual([
      'batch 0: phase "one" [x]',
      '1 host, 1 task',
      'h"1_c_go',
    ]);
  });

  it('draws a plan with no batches as a single note', () => {
    const chart = parse(renderPlanMermaid({ ...seedPlan, tasks: new Map(), mission: [] }));
    expect([...chart.nodes.keys()]).toEqual(['empty']);
    expect(shown(chart.nodes.get('empty')?.label ?? '')).toEqual([
      'no batches: the plan has nothing to do',
    ]);
  });
});
