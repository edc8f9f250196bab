import type { Plan } from '../model/plan';
import {
  batchPhases,
  digestBatch,
  fit,
  hostList,
  taskSummary,
  type BatchDigest,
} from './text-batches';

/** Ids are listed only for batches this small; bigger ones get a summary line. */
const LIST_IDS = 4;
const LINE = 72;
/**
 * Past this many batches, the middle batches of long phases are merged into one node: Mermaid
 * refuses diagrams over 500 edges or 50,000 characters by default, and a chart of thousands of
 * boxes reviews nothing anyway.
 */
export const MERMAID_MAX_BATCH_NODES = 200;
/** Batches kept as their own node at each end of a long phase when merging. */
const KEEP_HEAD = 2;
const KEEP_TAIL = 1;

/**
 * Text for a quoted Mermaid label. Mermaid decodes `#name;` and `#code;` entities inside labels,
 * so every character that could end the string, open markup or start an entity is written as one;
 * non-ASCII too, because some renderers mangle it.
 */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) out += ' ';
    else if (ch === '"') out += '#quot;';
    else if (
      code > 0x7e ||
      ch === '#' ||
      ch === '&' ||
      ch === '<' ||
      ch === '>' ||
      ch === '`' ||
      ch === '[' ||
      ch === ']' ||
      ch === '{' ||
      ch === '}' ||
      ch === '|' ||
      ch === ';'
    )
      out += `#${code};`;
    else out += ch;
  }
  return out;
}

/** A node: one batch, or a run of batches merged because the plan is too long to draw whole. */
interface Box {
  readonly id: string;
  readonly lines: string[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function batchBox(d: BatchDigest): Box {
  const lines = [
    fit(`batch ${d.index}: ${d.phase}`, LINE),
    `${plural(d.hosts.length, 'host')}, ${plural(d.tasks, 'task')}`,
  ];
  if (d.ids !== null && d.ids.length <= LIST_IDS) lines.push(...d.ids.map((id) => fit(id, LINE)));
  else {
    lines.push(hostList(d.hosts, LINE));
    lines.push(taskSummary(d, LINE));
  }
  return { id: `b${d.index}`, lines };
}

function mergedBox(run: readonly BatchDigest[]): Box {
  const first = run[0];
  const last = run[run.length - 1];
  const hosts = new Set<string>();
  let tasks = 0;
  for (const d of run) {
    for (const host of d.hosts) hosts.add(host);
    tasks += d.tasks;
  }
  return {
    id: `b${first.index}_${last.index}`,
    lines: [
      `batches ${first.index}…${last.index}: ${first.phase}`,
      `${run.length} batches, ${plural(hosts.size, 'host')}, ${plural(tasks, 'task')}`,
    ],
  };
}

/** The boxes of one phase's batches, merging the middle of long phases in a long plan. */
function phaseBoxes(digests: readonly BatchDigest[], merge: boolean): Box[] {
  if (!merge || digests.length <= KEEP_HEAD + KEEP_TAIL + 1) return digests.map(batchBox);
  return [
    ...digests.slice(0, KEEP_HEAD).map(batchBox),
    mergedBox(digests.slice(KEEP_HEAD, digests.length - KEEP_TAIL)),
    ...digests.slice(digests.length - KEEP_TAIL).map(batchBox),
  ];
}

/**
 * The plan as a Mermaid `flowchart TD` (`ferry plan --format mermaid`): a subgraph per phase that
 * has batches, a node per batch (index, phase, host and task counts, and its task ids when there
 * are few, else a host range and tasks per action), and an edge from each batch to the next.
 * Beyond `MERMAID_MAX_BATCH_NODES` batches, the middle of each long phase is merged into one node.
 */
export function renderPlanMermaid(plan: Plan): string {
  const phases = batchPhases(plan);
  const digests = plan.mission.map((batch, b) => digestBatch(plan, batch, b, phases[b], LIST_IDS));
  const merge = digests.length > MERMAID_MAX_BATCH_NODES;

  // Consecutive batches of one phase form a group; a batch no phase claims stands alone.
  const groups: { phase: string | null; digests: BatchDigest[] }[] = [];
  for (const d of digests) {
    const phase = phases[d.index] ?? null;
    const open = groups[groups.length - 1];
    if (open && phase !== null && open.phase === phase) open.digests.push(d);
    else groups.push({ phase, digests: [d] });
  }

  const lines = ['flowchart TD'];
  const order: string[] = [];
  groups.forEach((group, g) => {
    const boxes = phaseBoxes(group.digests, merge && group.phase !== null);
    const indent = group.phase === null ? '  ' : '    ';
    if (group.phase !== null) lines.push(`  subgraph p${g} ["${mermaidText(group.phase)}"]`);
    for (const box of boxes) {
      lines.push(`${indent}${box.id}["${box.lines.map(mermaidText).join('<br/>')}"]`);
      order.push(box.id);
    }
    if (group.phase !== null) lines.push('  end');
  });
  // An empty chart renders as nothing at all, which reads like a failure.
  if (order.length === 0)
    lines.push(`  empty["${mermaidText('no batches: the plan has nothing to do')}"]`);
  for (let i = 1; i < order.length; i++) lines.push(`  ${order[i - 1]} --> ${order[i]}`);
  return `${lines.join('\n')}\n`;
}
