import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCodes, type ErrorBody, type ProblemDto } from '@ferry/contracts';
import type { Problem } from '@ferry/plan';
import type { ClassConstructor } from 'class-transformer';
import { RequestError, type Messaging } from '@ferry/platform';

/** An API error with the body every client can rely on: `{ error, message, problems }`. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    error: string,
    message: string,
    problems: ProblemDto[] = [],
    extra: Record<string, unknown> = {},
  ) {
    super({ error, message, problems, ...extra } satisfies ErrorBody, status);
  }

  static notFound(what: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, `${what} does not exist`);
  }

  /** Input problems of the plan core (file, path, message, code) as a 400. */
  static invalid(message: string, problems: readonly Problem[]): ApiError {
    return new ApiError(
      HttpStatus.BAD_REQUEST,
      ErrorCodes.INPUT_INVALID,
      `${message}: ${problems.length} problem(s)`,
      problems.map((p) => ({
        path: p.path ? `${p.file}: ${p.path}` : p.file,
        message: p.message,
        code: p.code,
        file: p.file,
      })),
    );
  }
}

const STATUS_OF: Record<string, HttpStatus> = {
  [ErrorCodes.BAD_REQUEST]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.INPUT_INVALID]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.PLAN_INVALID]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.SOURCE_UNREACHABLE]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCodes.RUN_STATE]: HttpStatus.CONFLICT,
  [ErrorCodes.TASK_STATE]: HttpStatus.CONFLICT,
  [ErrorCodes.TASK_NO_UNDO]: HttpStatus.CONFLICT,
  [ErrorCodes.RUN_CONFLICT]: HttpStatus.CONFLICT,
  [ErrorCodes.SERVICE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
};

/** A failed request to a service, as the API error its code calls for. */
export function fromRequestError(e: unknown): never {
  if (e instanceof RequestError) {
    const { error, message, problems, ...extra } = e.body;
    throw new ApiError(
      STATUS_OF[error] ?? HttpStatus.INTERNAL_SERVER_ERROR,
      error,
      message,
      problems ?? [],
      extra,
    );
  }
  throw e;
}

/** A request to a service: its reply, or the API error its failure calls for. */
export async function askService<T extends object>(
  messaging: Messaging,
  subject: string,
  payload: unknown,
  reply: ClassConstructor<T>,
  timeoutMs: number,
): Promise<T> {
  try {
    return await messaging.request(subject, payload, reply, timeoutMs);
  } catch (e) {
    return fromRequestError(e);
  }
}
