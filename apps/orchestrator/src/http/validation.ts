import { HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ErrorCodes, type ProblemDto } from '@ferry/contracts';
import { ApiError } from './api-error';

function problemsOf(errors: readonly ValidationError[], base = ''): ProblemDto[] {
  return errors.flatMap((e) => {
    const path = /^\d+$/.test(e.property)
      ? `${base}[${e.property}]`
      : base
        ? `${base}.${e.property}`
        : e.property;
    return [
      ...Object.values(e.constraints ?? {}).map((message) => ({ path, message })),
      ...problemsOf(e.children ?? [], path),
    ];
  });
}

/** Request bodies are validated against their DTOs; unknown fields are errors; every problem is listed. */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problems = problemsOf(errors);
      return new ApiError(
        HttpStatus.BAD_REQUEST,
        ErrorCodes.BAD_REQUEST,
        `invalid request: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        problems,
      );
    },
  });
}
