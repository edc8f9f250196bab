import {
  GLOBAL_HOST,
  ok,
  slicePlan,
  type Plan,
  type Result,
  type SliceCommand,
  type TaskId,
} from '@ferry/plan';

export interface CurrentPlan {
  readonly plan: Plan;
  /** Tasks the command selected that earlier runs had already done, and so were left out. */
  readonly excludedDone: number;
}

/**
 * Cuts the current plan for `command` out of global plan `of` (logic-book.md, "Slicing"), leaving
 * out the `done` tasks unless `exclude_done: false`. The command is applied first without the done
 * set, so that `excludedDone` counts exactly the selected tasks the done set removed; a second,
 * filter-only pass then drops them. The result's `slice` records the command as given.
 */
export function cutCurrentPlan(
  plan: Plan,
  command: SliceCommand,
  done: ReadonlySet<TaskId>,
  of: string,
): Result<CurrentPlan> {
  const selected = slicePlan(plan, { ...command, exclude_done: false }, { of });
  if (!selected.ok) return selected;
  const slice = { of, command };
  let excludedDone = 0;
  if (command.exclude_done !== false && done.size > 0) {
    for (const id of selected.value.tasks.keys()) if (done.has(id)) excludedDone++;
  }
  if (excludedDone === 0) return ok({ plan: { ...selected.value, slice }, excludedDone });
  // An empty command selects everything: this pass only removes the done tasks, order kept.
  const rest = slicePlan(selected.value, {}, { done, of });
  if (!rest.ok) return rest;
  return ok({ plan: { ...rest.value, slice }, excludedDone });
}

/** Hosts with at least one task; the global pseudo-host `upg-server` is not a host. */
export function hostsWithTasks(plan: Plan): number {
  const hosts = new Set<string>();
  for (const record of plan.tasks.values()) if (record.host !== GLOBAL_HOST) hosts.add(record.host);
  return hosts.size;
}
