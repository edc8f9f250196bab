import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { CliError, EXIT } from '../io/exit-codes';

/** Every service `ferry up` runs, in the order they are started (and stopped in reverse). */
export const SERVICES = [
  'collector',
  'slicer',
  'status-receiver',
  'dispatcher',
  'node-executor',
  'orchestrator',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** `<dist>/apps/<app>/src/main.js`: where `npm run build` puts each app's entry. */
export function serviceEntry(dist: string, service: ServiceName): string {
  return join(dist, 'apps', service, 'src', 'main.js');
}

function ancestors(from: string): string[] {
  const out: string[] = [];
  let dir = resolve(from);
  for (;;) {
    out.push(dir);
    const parent = dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

/**
 * The compiled tree, found from this file rather than the working directory: the CLI runs from
 * `dist/apps/cli/src/…` (then dist is an ancestor) or, in tests, from the sources (then it is the
 * `dist` folder beside an ancestor).
 */
export function locateDist(override?: string, from: string = __dirname): string {
  const probe = (dir: string) =>
    existsSync(serviceEntry(dir, 'orchestrator')) ||
    existsSync(join(dir, 'apps', 'cli', 'src', 'main.js'));
  if (override !== undefined) return resolve(override);
  for (const dir of ancestors(from)) {
    if (probe(dir) && existsSync(join(dir, 'apps'))) return dir;
    if (probe(join(dir, 'dist'))) return join(dir, 'dist');
  }
  for (const dir of ancestors(from)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'apps')))
      return join(dir, 'dist');
  }
  return resolve(from, '..', '..', '..', '..');
}

/** Fails with one clear line when an app has not been built. */
export function checkBuilt(dist: string, services: readonly ServiceName[] = SERVICES): void {
  const missing = services.filter((s) => !existsSync(serviceEntry(dist, s)));
  if (missing.length) {
    throw new CliError(
      [
        `ferry: the services are not built: ${missing.map((s) => serviceEntry(dist, s)).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
        '(run `npm run build` in the Ferry repository first)',
      ],
      EXIT.RUN_FAILED,
    );
  }
}

/** The repository (or installed package) root: the folder that holds `dist/`. */
export function packageRoot(dist: string): string {
  return dirname(dist);
}

/** The bundled folder of harmless demo scripts (`scripts/demo` of the package). */
export function bundledScripts(dist: string): string {
  return join(packageRoot(dist), 'scripts', 'demo');
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** An executable on PATH, or null (what a shell's `command -v` would find). */
export function whichExecutable(
  name: string,
  path: string | undefined = process.env.PATH,
): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
