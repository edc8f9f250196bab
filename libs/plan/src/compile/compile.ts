import type {
  Descriptor,
  GlobalPhase,
  InputFiles,
  Inventory,
  LogicBook,
  Phase,
} from '../model/inputs';
import { GLOBAL_HOST, PLAN_FORMAT, taskId, type Plan } from '../model/plan';
import { own } from '../order/own';
import { failed, ok, type Problem, type Result } from '../problems/problem';
import { walkInstances, type InstanceWalk } from '../check/instance-walk';
import { modeOrderProblems } from '../check/mode-order';
import { validateInputs } from '../validate/validate';
import { resolveCluster, type Cluster } from './cluster';
import { compileHostPhase, type PhaseCopy } from './host-phase';
import { PlanBuilder } from './plan-builder';
import { StageOrder } from './stage-order';
import { whenHolds } from './when';

export interface CompileInputs {
  readonly inventory: Inventory;
  readonly descriptor: Descriptor;
  readonly logicBook: LogicBook;
}

export interface CompileOptions {
  readonly files: InputFiles;
  /** The snapshot the plan is compiled from, if stored. */
  readonly snapshot?: string | null;
}

/** Numbers for the review of a plan that the plan file alone cannot give. */
export interface CompileStats {
  readonly hosts: number;
  readonly instancesTouched: number;
  readonly alreadyAtTarget: number;
}

export interface Compiled {
  readonly plan: Plan;
  readonly stats: CompileStats;
  readonly walk: InstanceWalk;
}

/**
 * Step 0: the phases in compile order. Consecutive `per_release` phases form a block compiled once
 * per release (`p@r1, q@r1, p@r2, …`); without releases, once and without a suffix.
 */
export function phaseCopies(book: LogicBook, releases: readonly string[]): PhaseCopy<Phase>[] {
  const copies: PhaseCopy<Phase>[] = [];
  for (let i = 0; i < book.phases.length;) {
    const phase = book.phases[i];
    if (!phase.perRelease) {
      copies.push({ phase, name: phase.name, release: null });
      i++;
      continue;
    }
    let end = i;
    while (end < book.phases.length && book.phases[end].perRelease) end++;
    const block = book.phases.slice(i, end);
    if (releases.length === 0)
      for (const p of block) copies.push({ phase: p, name: p.name, release: null });
    for (const release of releases) {
      for (const p of block) copies.push({ phase: p, name: `${p.name}@${release}`, release });
    }
    i = end;
  }
  return copies;
}

function compileGlobalPhase(
  { phase, name, release }: PhaseCopy<GlobalPhase>,
  book: LogicBook,
  plan: PlanBuilder,
): void {
  const id = taskId(GLOBAL_HOST, phase.target, phase.action, release);
  const added = plan.addTask(id, {
    host: GLOBAL_HOST,
    target: phase.target,
    action: phase.action,
    phase: name,
    mode: null,
    from: null,
    to: null,
    release,
    undo: own(book.undo, phase.action) ?? null,
    layer: 0,
  });
  if (added) plan.addBatch([[[id]]]);
}

function compilePhases(
  inputs: CompileInputs,
  cluster: Cluster,
  snapshot: string | null,
): { plan: Plan; copies: PhaseCopy<Phase>[]; builder: PlanBuilder } {
  const { logicBook: book, descriptor } = inputs;
  const builder = new PlanBuilder();
  const order = new StageOrder(cluster.components);
  const copies = phaseCopies(book, descriptor.releases);
  for (const copy of copies) {
    const { phase } = copy;
    const close = builder.startPhase(
      copy.name,
      phase.scope === 'global' ? [phase.action] : phase.actions,
      phase.scope === 'global' ? null : phase.verify,
    );
    if (whenHolds(phase.when, copy.release, cluster)) {
      if (phase.scope === 'global')
        compileGlobalPhase(copy as PhaseCopy<GlobalPhase>, book, builder);
      else compileHostPhase({ ...copy, phase }, book, cluster, order, builder);
    }
    close();
  }
  const plan: Plan = {
    format: PLAN_FORMAT,
    name: descriptor.name,
    snapshot,
    hosts: cluster.hostRecords,
    modes: book.modes,
    commands: book.commands,
    phases: builder.phases,
    tasks: builder.tasks,
    mission: builder.mission,
  };
  return { plan, copies, builder };
}

/**
 * Compiles inventory + descriptor + logic book into the global plan (logic-book.md). Every input
 * problem is reported at once; the plan exists only when there is none.
 */
export function compilePlan(inputs: CompileInputs, options: CompileOptions): Result<Compiled> {
  const { files } = options;
  const problems = validateInputs(inputs, files);
  if (problems.length) return failed(problems);

  const cluster = resolveCluster(inputs.inventory, inputs.descriptor);
  const { plan, builder, copies } = compilePhases(inputs, cluster, options.snapshot ?? null);
  const phaseIndex = new Map(copies.map((c) => [c.name, c.phase.index]));
  const duplicates: Problem[] = builder.duplicateTasks().map((d) => ({
    code: 'PLAN.DUPLICATE_TASK',
    file: files.logicBook,
    path: `phases[${phaseIndex.get(d.secondPhase) ?? 0}]`,
    message:
      `phases ${JSON.stringify(d.firstPhase)} and ${JSON.stringify(d.secondPhase)} would both create task ${JSON.stringify(d.id)}` +
      (d.count > 1 ? ` (and ${d.count - 1} more ids)` : ''),
  }));
  if (duplicates.length) return failed(duplicates);

  const walk = walkInstances(plan.mission, plan.tasks, plan.modes);
  const orderProblems = modeOrderProblems(
    walk.violations,
    files.logicBook,
    (place) => `phases[${phaseIndex.get(place.phase) ?? 0}]`,
  );
  if (orderProblems.length) return failed(orderProblems);

  return ok({
    plan,
    walk,
    stats: {
      hosts: cluster.hosts.length,
      instancesTouched: cluster.instancesTouched,
      alreadyAtTarget: cluster.alreadyAtTarget,
    },
  });
}
