import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from './stack';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

export interface RunView {
  id: string;
  state: string;
  counts: Record<string, number>;
  batch: { index: number; total: number };
  result: { done: string[]; fail: string[]; undo: string[] };
  reason: string | null;
}

export interface PlanFile {
  tasks: Record<string, { host: string; target: string; action: string; phase: string }>;
  mission: string[][][][];
}

/** Creates, collects and plans a project from an example folder (or given texts). */
export async function preparedProject(
  stack: Stack,
  name: string,
  inputs: { example?: string; inventory?: unknown; descriptor?: unknown; logicBook?: unknown },
): Promise<{ id: string; plan: PlanFile }> {
  const read = (file: string) =>
    readFileSync(join(EXAMPLES, inputs.example as string, file), 'utf8');
  const { id } = await stack.ok<{ id: string }>('POST', '/projects', {
    name,
    inventory: inputs.inventory ?? read('inventory.yaml'),
    descriptor: inputs.descriptor ?? read('descriptor.yaml'),
    logicBook: inputs.logicBook ?? read('logic.yaml'),
  });
  await stack.ok('POST', `/projects/${id}/collect`);
  await stack.ok('POST', `/projects/${id}/plan`);
  const plan = await stack.ok<PlanFile>('GET', `/projects/${id}/plan?format=json`);
  return { id, plan };
}

export async function startRun(
  stack: Stack,
  project: string,
  command: Record<string, unknown>,
): Promise<string> {
  const run = await stack.ok<{ id: string }>('POST', `/projects/${project}/runs`, command);
  return run.id;
}

/** Polls the run until `until` holds (default: it has ended). */
export async function waitForRun(
  stack: Stack,
  run: string,
  until: (r: RunView) => boolean = (r) => ['succeeded', 'failed', 'cancelled'].includes(r.state),
  timeoutMs = 120_000,
): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await stack.ok<RunView>('GET', `/runs/${run}`);
    if (until(view)) return view;
    if (Date.now() > deadline)
      throw new Error(
        `run ${run} did not get there in time; last seen: ${JSON.stringify({ state: view.state, counts: view.counts, batch: view.batch, reason: view.reason })}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function taskStates(
  stack: Stack,
  run: string,
): Promise<
  Map<string, { state: string; attempt: number; output: string; exitCode: number | null }>
> {
  const rows = await stack.ok<
    { task: string; state: string; attempt: number; output: string; exitCode: number | null }[]
  >('GET', `/runs/${run}/tasks?limit=100000`);
  return new Map(rows.map((r) => [r.task, r]));
}

export function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return (async () => {
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
}
