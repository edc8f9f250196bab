import { CliError, EXIT } from '../io/exit-codes';
import { ApiError, ApiUnreachable } from './client';
import type { ProblemBody } from './types';

/**
 * How to name the files behind a request's fields in error lines: the API knows the field
 * (`descriptor`), the operator knows the file (`descriptor.yaml`).
 */
export type FieldFiles = Readonly<Record<string, string>>;

/** `file: path: message [CODE]`, the CLI's line for one problem (same as the offline commands). */
export function formatApiProblem(problem: ProblemBody, files: FieldFiles = {}): string {
  let file = problem.file;
  let path = problem.path ?? '';
  if (file !== undefined) {
    // The gateway writes the file into the path too (`descriptor: packages[0].mode`).
    if (path === file) path = '';
    else if (path.startsWith(`${file}: `)) path = path.slice(file.length + 2);
  } else {
    // `descriptor.packages[0].mode` or `descriptor`: the first segment is the request field.
    const match = /^([A-Za-z]+)(?:(?:\.|: |(?=\[))(.*))?$/.exec(path);
    if (match && files[match[1]] !== undefined) {
      file = match[1];
      path = match[2] ?? '';
    }
  }
  if (file !== undefined) file = files[file] ?? file;
  const where = [file, path].filter((s) => s !== undefined && s !== '').join(': ');
  const code = problem.code ? ` [${problem.code}]` : '';
  return `${where ? `${where}: ` : ''}${problem.message}${code}`;
}

const HINTS: Readonly<Record<number, string>> = {
  401: 'set FERRY_TOKEN to a token of the API (`ferry up` prints one when it creates it)',
  403: "this token's role is too low for that (viewer < operator < admin)",
};

/** The lines and exit code for an API failure: 4xx are the caller's input (2), the rest 1. */
export function cliErrorFrom(e: ApiError | ApiUnreachable, files: FieldFiles = {}): CliError {
  if (e instanceof ApiUnreachable) {
    return new CliError(
      [
        `ferry: ${e.message}: is \`ferry up\` running? (FERRY_API names the API, default http://127.0.0.1:3000)`,
      ],
      EXIT.RUN_FAILED,
    );
  }
  const { status, body } = e;
  const problems = body.problems ?? [];
  const lines: string[] = [];
  if (status >= 500) lines.push(`ferry: the API failed (${status} ${body.error}): ${body.message}`);
  else if (!problems.length || status === 401 || status === 403)
    lines.push(`${body.error}: ${body.message}`);
  for (const problem of problems) lines.push(formatApiProblem(problem, files));
  if (body.conflicts?.length) {
    lines.push(`overlapping instances (host/component): ${body.conflicts.join(', ')}`);
  }
  const hint = HINTS[status];
  if (hint) lines.push(`(${hint})`);
  return new CliError(lines, status >= 400 && status < 500 ? EXIT.INPUT : EXIT.RUN_FAILED);
}

/** Runs an API call and turns its failures into the CLI's error lines and exit codes. */
export async function withApi<T>(action: () => Promise<T>, files: FieldFiles = {}): Promise<T> {
  try {
    return await action();
  } catch (e) {
    if (e instanceof ApiError || e instanceof ApiUnreachable) throw cliErrorFrom(e, files);
    throw e;
  }
}
