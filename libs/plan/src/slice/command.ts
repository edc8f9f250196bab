import { parseDocument } from '../input/parse';
import { checkStructure } from '../input/structure';
import type { SliceCommand } from '../model/plan';
import { failed, ok, type Result } from '../problems/problem';

const NAMES = { type: 'array', items: { type: 'string', minLength: 1 } } as const;

export const SLICE_COMMAND_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    command: { type: 'string', minLength: 1 },
    phases: NAMES,
    instances: NAMES,
    hosts: NAMES,
    components: NAMES,
    actions: NAMES,
    roles: NAMES,
    exclude_done: { type: 'boolean' },
    regroup: {
      type: 'object',
      additionalProperties: false,
      required: ['phase', 'hosts'],
      properties: {
        phase: { type: 'string', minLength: 1 },
        hosts: { type: 'array', items: NAMES },
      },
    },
  },
} as const;

/** Reads a slicing command (logic-book.md, "Slicing") from JSON/YAML text or a parsed value. */
export function readSliceCommand(source: unknown, file: string): Result<SliceCommand> {
  const parsed = typeof source === 'string' ? parseDocument(source, file) : ok(source);
  if (!parsed.ok) return parsed;
  const problems = checkStructure(parsed.value, SLICE_COMMAND_SCHEMA, file);
  return problems.length ? failed(problems) : ok(parsed.value as SliceCommand);
}

/**
 * `PHASE=h1,h3;h2,h4` (the CLI's `--regroup`) as a regroup: groups separated by `;`, hosts by `,`.
 * Empty groups are kept so the slicer can report them.
 */
export function parseRegroup(text: string): { phase: string; hosts: string[][] } | null {
  const eq = text.indexOf('=');
  if (eq <= 0) return null;
  const phase = text.slice(0, eq).trim();
  const hosts = text
    .slice(eq + 1)
    .split(';')
    .map((group) =>
      group
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h.length > 0),
    );
  return { phase, hosts };
}
