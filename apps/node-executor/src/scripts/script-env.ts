import type { TaskSpecDto } from '@ferry/contracts';
import { taskName } from '../jobs/task-runner';

/** Variables of the executor's own environment a script must not inherit (secrets, stale context). */
function inherited(key: string): boolean {
  return !key.startsWith('FERRY_') && key !== 'DATABASE_URL' && key !== 'NATS_URL';
}

/**
 * The environment of a task's script: the executor's environment (PATH, HOME, locale…) without
 * Ferry's own settings, plus the task's context. Context travels only here, never on a command
 * line, so no value can be read as shell syntax. An undo's spec arrives already turned round by the
 * dispatcher (undo action, from/to swapped): it is passed on as it is, only FERRY_TASK says `~undo`.
 */
export function scriptEnv(
  spec: TaskSpecDto,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base))
    if (value !== undefined && inherited(key)) env[key] = value;
  return {
    ...env,
    FERRY_TASK: taskName(spec),
    FERRY_HOST: spec.host,
    FERRY_TARGET: spec.target,
    FERRY_ACTION: spec.action,
    FERRY_MODE: spec.mode ?? '',
    FERRY_FROM: spec.from ?? '',
    FERRY_TO: spec.to ?? '',
    FERRY_RELEASE: spec.release ?? '',
    FERRY_RPMS: spec.rpms.join(' '),
    FERRY_ATTEMPT: String(spec.attempt),
    FERRY_RUN: spec.run ?? '',
  };
}
