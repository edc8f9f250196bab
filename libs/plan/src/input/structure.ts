import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { ProblemCode } from '../problems/codes';
import { joinPath, type Problem } from '../problems/problem';

const NAME_RULES: Record<string, string> = {
  name: 'letters, digits, "." and "-"',
  node: 'letters, digits, ".", "-" and ":"',
  label: 'letters, digits, ".", "_" and "-"',
};

const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
ajv.addKeyword({ keyword: 'errorCode', schemaType: 'string' });
ajv.addKeyword({ keyword: 'nameKind', schemaType: 'string' });

const compiled = new WeakMap<object, ValidateFunction>();

/** `/phases/3/order` → `phases[3].order`. */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((path, part) => joinPath(path, /^\d+$/.test(part) ? Number(part) : part), '');
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function expected(type: unknown): string {
  const names: Record<string, string> = {
    string: 'a string',
    array: 'a list',
    object: 'a mapping',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
  };
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => names[String(t)] ?? String(t)).join(' or ');
}

function forbiddenCharacters(value: string, pattern: string): string {
  const allowed = new RegExp(pattern.replace(/^\^\[/, '[').replace(/\]\+\$$/, ']'));
  const bad = [...new Set([...value].filter((c) => !allowed.test(c)))];
  return bad.map((c) => (/\s/.test(c) ? 'white space' : JSON.stringify(c))).join(', ');
}

function toProblem(error: ErrorObject, file: string): Problem | null {
  const path = pointerToPath(error.instancePath);
  const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const problem = (code: ProblemCode, at: string, message: string): Problem => ({
    code,
    file,
    path: at,
    message,
  });
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys((schema.properties as object | undefined) ?? {});
      return problem(
        'INPUT.UNKNOWN_KEY',
        joinPath(path, key),
        `unknown key ${JSON.stringify(key)}` +
          (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''),
      );
    }
    case 'required':
      return problem(
        'INPUT.MISSING_KEY',
        joinPath(path, String(error.params.missingProperty)),
        `missing required key ${JSON.stringify(error.params.missingProperty)}`,
      );
    case 'type': {
      const code = (schema.errorCode as ProblemCode | undefined) ?? 'INPUT.TYPE';
      const what = code === 'INPUT.VERSION_NOT_STRING' ? 'a version must be a string' : 'must be';
      return problem(
        code,
        path,
        code === 'INPUT.VERSION_NOT_STRING'
          ? `${what}, but YAML read ${typeName(error.data)}; quote it exactly as written (a bare 1.10 reads as 1.1), e.g. "${String(error.data)}"`
          : `${what} ${expected(error.params.type)}, got ${typeName(error.data)}`,
      );
    }
    case 'pattern': {
      const value = String(error.data);
      const kind = String(schema.nameKind ?? 'name');
      if (value === '') return problem('INPUT.INVALID', path, 'must not be empty');
      return problem(
        'INPUT.BAD_NAME',
        path,
        `${JSON.stringify(value)} has a forbidden character (${forbiddenCharacters(value, String(error.params.pattern))}); allowed: ${NAME_RULES[kind] ?? kind}`,
      );
    }
    case 'propertyNames':
      // The nested `pattern` error already names the key.
      return null;
    case 'enum':
      return problem(
        'INPUT.INVALID',
        path,
        `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${typeName(error.data)}`,
      );
    case 'minimum':
      return problem(
        'INPUT.INVALID',
        path,
        `must be a positive whole number, got ${String(error.data)}`,
      );
    case 'minItems':
      return problem('INPUT.INVALID', path, 'must not be an empty list');
    case 'minLength':
    case 'minProperties':
      return problem('INPUT.INVALID', path, 'must not be empty');
    default:
      return problem('INPUT.INVALID', path, error.message ?? 'is not valid');
  }
}

/** Checks `value` against `schema`; every violation becomes one problem. */
export function checkStructure(value: unknown, schema: object, file: string): Problem[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const p = toProblem(error, file);
    if (!p) continue;
    const key = `${p.code}|${p.path}|${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}
