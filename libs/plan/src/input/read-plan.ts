import {
  PLAN_FORMAT,
  type HostRecord,
  type Plan,
  type PhaseRecord,
  type TaskRecord,
} from '../model/plan';
import { failed, ok, type Result } from '../problems/problem';
import { parseDocument } from './parse';
import { checkStructure } from './structure';

const STRING_LIST = { type: 'array', items: { type: 'string' } } as const;
const NULLABLE_STRING = { type: ['string', 'null'] } as const;

const PLAN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'name', 'tasks', 'mission'],
  properties: {
    format: { type: 'string' },
    name: { type: 'string' },
    snapshot: NULLABLE_STRING,
    hosts: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          roles: STRING_LIST,
          groups: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
    modes: { type: 'object', additionalProperties: STRING_LIST },
    commands: { type: 'object', additionalProperties: STRING_LIST },
    phases: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'batches'],
        properties: {
          name: { type: 'string' },
          batches: {
            type: 'array',
            minItems: 2,
            maxItems: 2,
            items: { type: 'integer', minimum: 0 },
          },
          actions: STRING_LIST,
          verify: NULLABLE_STRING,
        },
      },
    },
    tasks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['host', 'target', 'action', 'phase'],
        properties: {
          host: { type: 'string' },
          target: { type: 'string' },
          action: { type: 'string' },
          phase: { type: 'string' },
          mode: NULLABLE_STRING,
          from: NULLABLE_STRING,
          to: NULLABLE_STRING,
          release: NULLABLE_STRING,
          undo: NULLABLE_STRING,
          layer: { type: ['integer', 'null'] },
        },
      },
    },
    mission: {
      type: 'array',
      items: {
        type: 'array',
        items: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
      },
    },
    slice: {
      type: 'object',
      additionalProperties: false,
      required: ['of', 'command'],
      properties: { of: { type: 'string' }, command: { type: 'object' } },
    },
  },
} as const;

/** Plans larger than this (machine-written, 100k+ tasks) are read with JSON.parse. */
const PLAN_JSON_FAST_PATH = 16 * 1024 * 1024;

type RawTask = Partial<TaskRecord> & Pick<TaskRecord, 'host' | 'target' | 'action' | 'phase'>;
interface RawPlan {
  format: string;
  name: string;
  snapshot?: string | null;
  hosts?: Record<string, Partial<HostRecord>>;
  modes?: Record<string, string[]>;
  commands?: Record<string, string[]>;
  phases?: (Omit<PhaseRecord, 'actions' | 'verify'> & Partial<PhaseRecord>)[];
  tasks: Record<string, RawTask>;
  mission: string[][][][];
  slice?: Plan['slice'];
}

/**
 * Reads a plan file (plan-format.md). Optional parts of a hand-written plan get their empty
 * defaults; whether the plan obeys the plan rules is `checkPlan`'s question, not this one's.
 */
export function readPlan(source: unknown, file: string): Result<Plan> {
  const parsed =
    typeof source === 'string'
      ? parseDocument(source, file, { jsonFastPathAbove: PLAN_JSON_FAST_PATH })
      : ok(source);
  if (!parsed.ok) return parsed;
  const problems = checkStructure(parsed.value, PLAN_SCHEMA, file);
  if (problems.length) return failed(problems);
  const raw = parsed.value as RawPlan;
  if (raw.format !== PLAN_FORMAT) {
    return failed([
      {
        code: 'PLAN.FORMAT',
        file,
        path: 'format',
        message: `not a Ferry plan: format is ${JSON.stringify(raw.format)}, expected ${JSON.stringify(PLAN_FORMAT)}`,
      },
    ]);
  }
  const tasks = new Map<string, TaskRecord>();
  for (const id in raw.tasks) {
    const t = raw.tasks[id];
    tasks.set(id, {
      host: t.host,
      target: t.target,
      action: t.action,
      phase: t.phase,
      mode: t.mode ?? null,
      from: t.from ?? null,
      to: t.to ?? null,
      release: t.release ?? null,
      undo: t.undo ?? null,
      layer: t.layer ?? null,
    });
  }
  const hosts = new Map<string, HostRecord>();
  for (const id in raw.hosts ?? {}) {
    const h = (raw.hosts ?? {})[id];
    hosts.set(id, { roles: h.roles ?? [], groups: h.groups ?? {} });
  }
  return ok({
    format: PLAN_FORMAT,
    name: raw.name,
    snapshot: raw.snapshot ?? null,
    hosts,
    modes: raw.modes ?? {},
    commands: raw.commands ?? {},
    phases: (raw.phases ?? []).map((p) => ({
      name: p.name,
      batches: [p.batches[0], p.batches[1]] as const,
      actions: p.actions ?? [],
      verify: p.verify ?? null,
    })),
    tasks,
    mission: raw.mission,
    ...(raw.slice !== undefined ? { slice: raw.slice } : {}),
  });
}
