import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `count` nodes `<prefix>01…` running `components`, for projects that must not share instances. */
export function cluster(
  prefix: string,
  count: number,
  components: readonly string[],
  extra: (i: number) => { roles?: string[]; groups?: Record<string, string> } = () => ({}),
) {
  return {
    nodes: Array.from({ length: count }, (_, i) => ({
      id: `${prefix}${String(i + 1).padStart(2, '0')}`,
      roles: extra(i).roles ?? ['compute'],
      groups: extra(i).groups ?? {},
      components: components.map((name) => ({ name, version: '1.0' })),
    })),
  };
}

export function upgradeTo(components: readonly string[], name = 'upgrade') {
  return {
    name,
    packages: components.map((component) => ({ component, version: '2.0', mode: 'restart' })),
  };
}

export const SEED_LOGIC = readFileSync(
  join(__dirname, '..', '..', '..', 'examples', 'seed', 'logic.yaml'),
  'utf8',
);

/** One phase whose jobs have three stages: stop, uprpm, start (each with an undo). */
export function stagedLogic(phase: Record<string, unknown> = {}) {
  return {
    name: 'staged',
    modes: { restart: ['stop', 'uprpm', 'start'] },
    undo: { stop: 'start', uprpm: 'downrpm', start: 'stop' },
    commands: { upgrade: ['upgrade'] },
    phases: [{ name: 'upgrade', actions: ['stop', 'uprpm', 'start'], ...phase }],
  };
}
