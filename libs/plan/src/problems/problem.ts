import type { ProblemCode } from './codes';

/**
 * Expected failures are data: a stable code, the file, the path inside it and a message. They are
 * collected (never thrown) so that every problem of an input is reported at once.
 */
export interface Problem {
  readonly code: ProblemCode;
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** `file: path: message [CODE]`, the line format of the CLI and of logs. */
export function formatProblem(p: Problem): string {
  const where = p.path ? `${p.file}: ${p.path}` : p.file;
  return `${where}: ${p.message} [${p.code}]`;
}

/** Builds `a.b[2].c` style paths. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base ? `${base}.${key}` : key;
}

/** Thrown only at the edge when a caller prefers an exception over a result. */
export class ProblemsError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ProblemsError';
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failed<T>(problems: Problem[]): Result<T> {
  return { ok: false, problems };
}

/** Unwraps a result or throws every problem at once. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new ProblemsError(result.problems);
  return result.value;
}
