/**
 * JSON Schemas of the three inputs (logic-book.md §1–3). They fix the shape only; meaning is
 * checked by the rules in `validate/`. `errorCode` and `nameKind` are annotations read when a
 * violation is turned into a problem.
 */

const NAME = { type: 'string', pattern: '^[A-Za-z0-9.-]+$', nameKind: 'name' } as const;
const NODE_ID = { type: 'string', pattern: '^[A-Za-z0-9.:-]+$', nameKind: 'node' } as const;
const LABEL = { type: 'string', pattern: '^[A-Za-z0-9._-]+$', nameKind: 'label' } as const;
const TEXT = { type: 'string', minLength: 1 } as const;
const VERSION = { type: 'string', minLength: 1, errorCode: 'INPUT.VERSION_NOT_STRING' } as const;
const POSITIVE = { type: 'integer', minimum: 1 } as const;

/**
 * A list, or a single item written without brackets. The item's string rules (pattern, length)
 * are repeated at the top level so the single-string form is checked as strictly as a list item.
 */
function listOf(item: { pattern?: string; minLength?: number; nameKind?: string }) {
  const { pattern, minLength, nameKind } = item;
  return {
    type: ['array', 'string'],
    items: item,
    ...(pattern !== undefined ? { pattern } : {}),
    ...(minLength !== undefined ? { minLength } : {}),
    ...(nameKind !== undefined ? { nameKind } : {}),
  } as const;
}

const NODE = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: NODE_ID,
    address: TEXT,
    roles: listOf(TEXT),
    groups: { type: 'object', propertyNames: TEXT, additionalProperties: TEXT },
    components: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'version'],
        properties: { name: NAME, version: VERSION },
      },
    },
  },
} as const;

const GROUP_FILTER = {
  type: 'object',
  propertyNames: TEXT,
  additionalProperties: listOf(TEXT),
} as const;

export const INVENTORY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['nodes'],
  properties: { nodes: { type: 'array', items: NODE } },
} as const;

export const DESCRIPTOR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: TEXT,
    releases: listOf(NAME),
    packages: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['component', 'version', 'mode'],
        properties: {
          component: NAME,
          version: VERSION,
          mode: LABEL,
          rpms: listOf(TEXT),
          targets: {
            type: 'object',
            additionalProperties: false,
            properties: { roles: listOf(TEXT), nodes: listOf(NODE_ID), groups: GROUP_FILTER },
          },
        },
      },
    },
    nodes: {
      type: 'object',
      additionalProperties: false,
      properties: {
        add: { type: 'array', items: NODE },
        remove: listOf(NODE_ID),
      },
    },
  },
} as const;

const PHASE = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: LABEL,
    action: NAME,
    actions: { ...listOf(NAME), minItems: 1 },
    where: {
      type: 'object',
      additionalProperties: false,
      properties: {
        roles: listOf(TEXT),
        nodes: listOf(NODE_ID),
        components: listOf(NAME),
        groups: GROUP_FILTER,
      },
    },
    order: { ...listOf(listOf(NAME)), minItems: 1 },
    after: { type: 'object', propertyNames: NAME, additionalProperties: listOf(NAME) },
    split: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { canary: POSITIVE, by: TEXT, size: POSITIVE, count: POSITIVE },
    },
    once_per: { enum: ['role'] },
    once: { type: 'boolean' },
    verify: NAME,
    scope: { enum: ['global', 'host'] },
    target: NAME,
    per_release: { type: 'boolean' },
    when: {
      type: 'object',
      additionalProperties: false,
      properties: {
        release: listOf(NAME),
        upgrading: listOf(NAME),
        membership: { type: 'boolean' },
      },
    },
  },
} as const;

export const LOGIC_BOOK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['modes', 'phases'],
  properties: {
    name: TEXT,
    modes: {
      type: 'object',
      propertyNames: LABEL,
      additionalProperties: { ...listOf(NAME), minItems: 1 },
    },
    undo: { type: 'object', propertyNames: NAME, additionalProperties: NAME },
    commands: {
      type: 'object',
      propertyNames: LABEL,
      additionalProperties: { ...listOf(LABEL), minItems: 1 },
    },
    invariants: {
      type: 'object',
      additionalProperties: false,
      properties: { odd: listOf(TEXT) },
    },
    phases: { type: 'array', items: PHASE },
  },
} as const;
