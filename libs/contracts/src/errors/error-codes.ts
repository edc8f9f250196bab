/**
 * Stable error codes of the services and the API (`{ error, message, problems }`). Input problems
 * of the plan core keep their own codes (`PLAN.*`, `LOGIC.*`, …) inside `problems`.
 */
export const ErrorCodes = {
  AUTH_MISSING: 'AUTH.MISSING_TOKEN',
  AUTH_INVALID: 'AUTH.INVALID_TOKEN',
  AUTH_FORBIDDEN: 'AUTH.FORBIDDEN',
  BAD_REQUEST: 'REQUEST.INVALID',
  INPUT_INVALID: 'INPUT.INVALID',
  NOT_FOUND: 'NOT_FOUND',
  PROJECT_EXISTS: 'PROJECT.EXISTS',
  PROJECT_NOT_COLLECTED: 'PROJECT.NOT_COLLECTED',
  PROJECT_NOT_PLANNED: 'PROJECT.NOT_PLANNED',
  SOURCE_UNREACHABLE: 'SOURCE.UNREACHABLE',
  PLAN_INVALID: 'PLAN.INVALID',
  RUN_CONFLICT: 'RUN.CONFLICT',
  RUN_STATE: 'RUN.WRONG_STATE',
  RUN_EMPTY: 'RUN.EMPTY',
  TASK_STATE: 'TASK.WRONG_STATE',
  TASK_NO_UNDO: 'TASK.NO_UNDO',
  SERVICE_UNAVAILABLE: 'SERVICE.UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** One problem: where in the input, and what is wrong. */
export interface ProblemDto {
  path: string;
  message: string;
  code?: string;
  file?: string;
}

/** The error body of every API error and failed request/reply. */
export interface ErrorBody {
  error: string;
  message: string;
  problems: ProblemDto[];
  [extra: string]: unknown;
}
