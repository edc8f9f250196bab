import {
  GLOBAL_HOST,
  type Batch,
  type Job,
  type Mission,
  type Plan,
  type PhaseRecord,
  type SliceCommand,
  type TaskId,
  type TaskRecord,
} from '../model/plan';
import { own } from '../order/own';
import type { ProblemCode } from '../problems/codes';
import { failed, ok, type Problem, type Result } from '../problems/problem';
import { regroupPlan } from './regroup';

export interface SliceOptions {
  /** Name of the command's source in problems (a file name, or "command"). */
  readonly file?: string;
  /** Tasks already succeeded in earlier runs; left out unless `exclude_done: false`. */
  readonly done?: ReadonlySet<TaskId>;
  /** What `slice.of` records: the global plan's name or id. Defaults to the plan's name. */
  readonly of?: string;
}

function baseName(phase: string): string {
  const at = phase.indexOf('@');
  return at < 0 ? phase : phase.slice(0, at);
}

interface Vocabulary {
  readonly components: Set<string>;
  readonly actions: Set<string>;
  readonly instances: Map<string, Set<string>>;
}

function vocabulary(plan: Plan): Vocabulary {
  const components = new Set<string>();
  const actions = new Set<string>();
  const instances = new Map<string, Set<string>>();
  for (const record of plan.tasks.values()) {
    components.add(record.target);
    actions.add(record.action);
    if (record.host === GLOBAL_HOST) continue;
    let targets = instances.get(record.host);
    if (!targets) {
      targets = new Set();
      instances.set(record.host, targets);
    }
    targets.add(record.target);
  }
  return { components, actions, instances };
}

/** Every name the command uses must exist in the plan (a typo must not select nothing). */
function unknownNames(plan: Plan, command: SliceCommand, file: string): Problem[] {
  const problems: Problem[] = [];
  const report = (code: ProblemCode, path: string, message: string) =>
    problems.push({ code, file, path, message });
  if (command.command !== undefined && command.phases !== undefined) {
    report('SLICE.COMMAND_AND_PHASES', 'phases', 'give `command` or `phases`, not both');
  }
  if (command.command !== undefined && own(plan.commands, command.command) === undefined) {
    report(
      'SLICE.UNKNOWN_COMMAND',
      'command',
      `command ${JSON.stringify(command.command)} is not in the plan (commands: ${Object.keys(plan.commands).join(', ') || 'none'})`,
    );
  }
  const phaseNames = new Set(plan.phases.map((p) => p.name));
  const baseNames = new Set(plan.phases.map((p) => baseName(p.name)));
  command.phases?.forEach((name, i) => {
    if (!(name.includes('@') ? phaseNames.has(name) : baseNames.has(name))) {
      report(
        'SLICE.UNKNOWN_PHASE',
        `phases[${i}]`,
        `phase ${JSON.stringify(name)} is not in the plan`,
      );
    }
  });
  command.hosts?.forEach((host, i) => {
    if (!plan.hosts.has(host))
      report(
        'SLICE.UNKNOWN_HOST',
        `hosts[${i}]`,
        `host ${JSON.stringify(host)} is not in the plan`,
      );
  });
  if (command.roles) {
    const roles = new Set([...plan.hosts.values()].flatMap((h) => h.roles));
    command.roles.forEach((role, i) => {
      if (!roles.has(role))
        report(
          'SLICE.UNKNOWN_ROLE',
          `roles[${i}]`,
          `no host of the plan has role ${JSON.stringify(role)}`,
        );
    });
  }
  if (command.components || command.actions || command.instances) {
    const words = vocabulary(plan);
    command.components?.forEach((c, i) => {
      if (!words.components.has(c))
        report(
          'SLICE.UNKNOWN_COMPONENT',
          `components[${i}]`,
          `no task of the plan has component (or global target) ${JSON.stringify(c)}`,
        );
    });
    command.actions?.forEach((a, i) => {
      if (!words.actions.has(a))
        report(
          'SLICE.UNKNOWN_ACTION',
          `actions[${i}]`,
          `no task of the plan has action ${JSON.stringify(a)}`,
        );
    });
    command.instances?.forEach((instance, i) => {
      const slash = instance.indexOf('/');
      const host = instance.slice(0, slash);
      const component = instance.slice(slash + 1);
      if (slash <= 0 || !words.instances.get(host)?.has(component)) {
        report(
          'SLICE.UNKNOWN_INSTANCE',
          `instances[${i}]`,
          slash <= 0
            ? `${JSON.stringify(instance)} is not of the form host/component`
            : `instance ${JSON.stringify(instance)} has no task in the plan`,
        );
      }
    });
  }
  return problems;
}

/** The predicate every kept task satisfies: all keys given hold (logic-book.md, slicing table). */
function selector(
  plan: Plan,
  command: SliceCommand,
  done: ReadonlySet<TaskId> | undefined,
): (id: TaskId, record: TaskRecord) => boolean {
  let phases: Set<string> | null = null;
  if (command.command !== undefined) phases = new Set(own(plan.commands, command.command) ?? []);
  if (command.phases !== undefined) phases = new Set(command.phases);
  const hosts = command.hosts ? new Set(command.hosts) : null;
  const components = command.components ? new Set(command.components) : null;
  const actions = command.actions ? new Set(command.actions) : null;
  const roles = command.roles ? new Set(command.roles) : null;
  const roleHosts = roles
    ? new Set(
        [...plan.hosts].filter(([, h]) => h.roles.some((r) => roles.has(r))).map(([id]) => id),
      )
    : null;
  let instances: Map<string, Set<string>> | null = null;
  if (command.instances) {
    instances = new Map();
    for (const instance of command.instances) {
      const slash = instance.indexOf('/');
      const host = instance.slice(0, slash);
      const targets = instances.get(host) ?? new Set<string>();
      targets.add(instance.slice(slash + 1));
      instances.set(host, targets);
    }
  }
  const skipDone = command.exclude_done !== false && done !== undefined && done.size > 0;
  return (id, record) => {
    if (phases && !phases.has(record.phase) && !phases.has(baseName(record.phase))) return false;
    if (components && !components.has(record.target)) return false;
    if (actions && !actions.has(record.action)) return false;
    if (record.host !== GLOBAL_HOST) {
      if (hosts && !hosts.has(record.host)) return false;
      if (roleHosts && !roleHosts.has(record.host)) return false;
      if (instances && !instances.get(record.host)?.has(record.target)) return false;
    }
    if (skipDone && done.has(id)) return false;
    return true;
  };
}

/** The mission without unselected tasks, empty stages, jobs and batches; phase ranges follow. */
function filterMission(
  plan: Plan,
  keep: (id: TaskId, record: TaskRecord) => boolean,
): { mission: Mission; phases: PhaseRecord[]; tasks: Map<TaskId, TaskRecord> } {
  const mission: Mission = [];
  const tasks = new Map<TaskId, TaskRecord>();
  const newStart = new Map<number, number>();
  for (let b = 0; b < plan.mission.length; b++) {
    newStart.set(b, mission.length);
    const batch: Batch = [];
    for (const job of plan.mission[b]) {
      const kept: Job = [];
      for (const stage of job) {
        const ids: TaskId[] = [];
        for (const id of stage) {
          const record = plan.tasks.get(id);
          if (record && keep(id, record)) {
            ids.push(id);
            tasks.set(id, record);
          }
        }
        if (ids.length) kept.push(ids.length === stage.length ? stage : ids);
      }
      if (kept.length) batch.push(kept);
    }
    if (batch.length) mission.push(batch);
  }
  newStart.set(plan.mission.length, mission.length);
  const at = (b: number) => newStart.get(Math.min(b, plan.mission.length)) ?? mission.length;
  const phases = plan.phases.map((p) => ({
    ...p,
    batches: [at(p.batches[0]), at(p.batches[1])] as const,
  }));
  return { mission, phases, tasks };
}

/**
 * Cuts the current plan out of a plan for one operator command (logic-book.md, "Slicing"): a
 * `regroup` first rebuilds one phase of the whole plan, then every unselected task is removed,
 * order kept. The result has the plan format plus `slice: {of, command}`.
 */
export function slicePlan(
  plan: Plan,
  command: SliceCommand,
  options: SliceOptions = {},
): Result<Plan> {
  const file = options.file ?? 'command';
  const problems = unknownNames(plan, command, file);
  let source = plan;
  if (command.regroup) {
    const regrouped = regroupPlan(plan, command.regroup, file);
    if (!regrouped.ok) problems.push(...regrouped.problems);
    else source = regrouped.value;
  }
  if (problems.length) return failed(problems);
  const { mission, phases, tasks } = filterMission(source, selector(source, command, options.done));
  return ok({
    ...source,
    phases,
    tasks,
    mission,
    slice: { of: options.of ?? plan.name, command },
  });
}
