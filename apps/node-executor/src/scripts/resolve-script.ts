import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type ScriptLookup =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string };

/** A target or action is one path segment: it must not climb out of the scripts folder. */
const SEGMENT = /^[A-Za-z0-9_@:+-][A-Za-z0-9._@:+-]*$/;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The script of a task: `<dir>/<target>/<action>` if present, else `<dir>/_default/<action>`.
 * A missing or non-executable script is an expected failure with a message for the operator.
 */
export async function resolveScript(
  dir: string,
  target: string,
  action: string,
): Promise<ScriptLookup> {
  for (const [what, value] of [
    ['target', target],
    ['action', action],
  ] as const) {
    if (!SEGMENT.test(value))
      return {
        ok: false,
        message: `invalid ${what} ${JSON.stringify(value)}: not usable as a script path`,
      };
  }
  let path: string | null = null;
  for (const candidate of [join(dir, target, action), join(dir, '_default', action)]) {
    if (await isFile(candidate)) {
      path = candidate;
      break;
    }
  }
  if (path === null) return { ok: false, message: `no script for ${target}/${action}` };
  try {
    await access(path, constants.X_OK);
  } catch {
    return { ok: false, message: `script ${path} is not executable (chmod +x it)` };
  }
  return { ok: true, path };
}
