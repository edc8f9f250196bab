import { parseDocument } from '../input/parse';
import { checkStructure } from '../input/structure';
import type { SliceCommand } from '../model/plan';
import { failed, ok, type Result } from '../problems/problem';

/** A list of names, or one name without brackets. */
const NAMES = {
  type: ['array', 'string'],
  minLength: 1,
  items: { type: 'string', minLength: 1 },
} as const;
const LIST_KEYS = ['phases', 'instances', 'hosts', 'components', 'actions', 'roles'] as const;

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
        hosts: { type: 'array', items: { type: 'array', items: { type: 'string', minLength: 1 } } },
      },
    },
  },
} as const;

/** Reads a slicing command (logic-book.md, "Slicing") from JSON/YAML text or a parsed value. */
export function readSliceCommand(source: unknown, file: string): Result<SliceCommand> {
  const parsed = typeof source === 'string' ? parseDocument(source, file) : ok(source);
  if (!parsed.ok) return parsed;
  const problems = checkStructure(parsed.value, SLICE_COMMAND_SCHEMA, file);
  if (problems.length) return failed(problems);
  const command: Record<string, unknown> = { ...(parsed.value as Record<string, unknown>) };
  for (const key of LIST_KEYS) if (typeof command[key] === 'string') command[key] = [command[key]];
  return ok(command as SliceCommand);
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
