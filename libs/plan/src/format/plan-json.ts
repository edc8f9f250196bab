import type { Plan, TaskRecord } from '../model/plan';

function taskLine(record: TaskRecord): string {
  // Fixed key order, as plan-format.md lists them.
  return JSON.stringify({
    host: record.host,
    target: record.target,
    action: record.action,
    phase: record.phase,
    mode: record.mode,
    from: record.from,
    to: record.to,
    release: record.release,
    undo: record.undo,
    layer: record.layer,
  });
}

function* section(
  name: string,
  lines: Iterable<string>,
  open: string,
  close: string,
  last = false,
): Generator<string> {
  yield `  ${JSON.stringify(name)}: ${open}\n`;
  let first = true;
  for (const line of lines) {
    yield first ? `    ${line}` : `,\n    ${line}`;
    first = false;
  }
  yield first ? `${close}${last ? '' : ','}\n` : `\n  ${close}${last ? '' : ','}\n`;
}

function* objectLines<T>(
  entries: Iterable<[string, T]>,
  value: (v: T) => string,
): Generator<string> {
  for (const [key, v] of entries) yield `${JSON.stringify(key)}: ${value(v)}`;
}

/** Task ids in mission order, then any the mission does not hold (only in a broken, edited plan). */
function* taskEntries(plan: Plan): Generator<[string, TaskRecord]> {
  const seen = new Set<string>();
  for (const batch of plan.mission) {
    for (const job of batch) {
      for (const stage of job) {
        for (const id of stage) {
          const record = plan.tasks.get(id);
          if (record && !seen.has(id)) {
            seen.add(id);
            yield [id, record];
          }
        }
      }
    }
  }
  if (seen.size !== plan.tasks.size) {
    for (const entry of plan.tasks) if (!seen.has(entry[0])) yield entry;
  }
}

/**
 * The plan file (plan-format.md) as text, in pieces so a million-task plan can be streamed to disk.
 * One host, phase, task and batch per line: plans diff well and compare as text.
 */
export function* planJsonChunks(plan: Plan): Generator<string> {
  yield '{\n';
  yield `  "format": ${JSON.stringify(plan.format)},\n`;
  yield `  "name": ${JSON.stringify(plan.name)},\n`;
  yield `  "snapshot": ${JSON.stringify(plan.snapshot)},\n`;
  yield* section(
    'hosts',
    objectLines(plan.hosts, (h) => JSON.stringify({ roles: h.roles, groups: h.groups })),
    '{',
    '}',
  );
  yield* section(
    'modes',
    objectLines(Object.entries(plan.modes), (v) => JSON.stringify(v)),
    '{',
    '}',
  );
  yield* section(
    'commands',
    objectLines(Object.entries(plan.commands), (v) => JSON.stringify(v)),
    '{',
    '}',
  );
  yield* section(
    'phases',
    plan.phases.map((p) =>
      JSON.stringify({ name: p.name, batches: p.batches, actions: p.actions, verify: p.verify }),
    ),
    '[',
    ']',
  );
  yield* section('tasks', objectLines(taskEntries(plan), taskLine), '{', '}');
  yield* section(
    'mission',
    (function* () {
      for (const batch of plan.mission) yield JSON.stringify(batch);
    })(),
    '[',
    ']',
    plan.slice === undefined,
  );
  if (plan.slice !== undefined) yield `  "slice": ${JSON.stringify(plan.slice)}\n`;
  yield '}\n';
}

/** The whole plan file as one string (small plans, HTTP responses). */
export function planToJson(plan: Plan): string {
  let text = '';
  for (const chunk of planJsonChunks(plan)) text += chunk;
  return text;
}

/** Chunks joined into pieces of about `size` characters, for fewer, larger writes. */
export function* coalesce(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    buffer.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (buffer.length) yield buffer.join('');
}
