import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ErrorCodes, type ErrorBody, type ProblemDto } from '../errors/error-codes';

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

function flatten(errors: readonly ValidationError[], base = ''): ProblemDto[] {
  const problems: ProblemDto[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property)
      ? `${base}[${error.property}]`
      : base
        ? `${base}.${error.property}`
        : error.property;
    for (const message of Object.values(error.constraints ?? {})) problems.push({ path, message });
    if (error.children?.length) problems.push(...flatten(error.children, path));
  }
  return problems;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeMessage(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/**
 * Parses and validates a message or request body against its DTO class. Unknown fields are
 * rejected (a typo must not be ignored) and every problem is listed; nothing is half-applied
 * because the caller only ever sees a fully valid value.
 */
export function decodeMessage<T extends object>(
  cls: ClassConstructor<T>,
  data: Uint8Array | string | unknown,
  what = cls.name,
): Decoded<T> {
  let plain: unknown = data;
  if (data instanceof Uint8Array || typeof data === 'string') {
    try {
      plain = JSON.parse(typeof data === 'string' ? data : decoder.decode(data));
    } catch (e) {
      return {
        ok: false,
        error: {
          error: ErrorCodes.BAD_REQUEST,
          message: `${what}: not valid JSON (${(e as Error).message})`,
          problems: [{ path: '', message: 'not valid JSON' }],
        },
      };
    }
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return {
      ok: false,
      error: {
        error: ErrorCodes.BAD_REQUEST,
        message: `${what}: expected a JSON object`,
        problems: [{ path: '', message: 'expected a JSON object' }],
      },
    };
  }
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  if (errors.length) {
    const problems = flatten(errors);
    return {
      ok: false,
      error: {
        error: ErrorCodes.BAD_REQUEST,
        message: `${what}: ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        problems,
      },
    };
  }
  return { ok: true, value: instance };
}
