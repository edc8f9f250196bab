/**
 * The simulator's decisions, pure functions of (seed, task, attempt): the same seed gives the same
 * failures and durations on every machine and in every pool member, whichever process runs a task.
 */

/** murmur3's finaliser: spreads every input bit over 32 bits. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A number in [0, 1) from a seed, a purpose and a task attempt (FNV-1a over the text, then mixed). */
export function unitHash(seed: number, purpose: string, task: string, attempt: number): number {
  let h = 0x811c9dc5 ^ mix32(seed >>> 0) ^ mix32(Math.floor(seed / 0x100000000) + 0x9e3779b9);
  const text = `${purpose}\u0000${task}\u0000${attempt}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h) / 0x100000000;
}

export interface SimulationParams {
  readonly taskMs: number;
  readonly taskMsJitter: number;
  readonly failRate: number;
  readonly failTasks: ReadonlySet<string>;
  readonly seed: number;
}

/** `name` is what FERRY_TASK would be: the task id, or `<id>~undo`. */
export function simulatedFailure(params: SimulationParams, name: string, attempt: number): boolean {
  if (params.failTasks.has(name)) return true;
  return params.failRate > 0 && unitHash(params.seed, 'fail', name, attempt) < params.failRate;
}

/** taskMs ± a seeded jitter, never below 0. */
export function simulatedDurationMs(
  params: SimulationParams,
  name: string,
  attempt: number,
): number {
  if (params.taskMsJitter === 0) return params.taskMs;
  const offset = Math.round(
    (unitHash(params.seed, 'time', name, attempt) * 2 - 1) * params.taskMsJitter,
  );
  return Math.max(0, params.taskMs + offset);
}
