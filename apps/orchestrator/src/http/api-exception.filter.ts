import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { ErrorCodes, type ErrorBody } from '@ferry/contracts';

/**
 * Every error leaves the API as `{ error, message, problems }`: our ApiErrors as they are, Nest's
 * own HTTP errors (404 routes, body too large) mapped, anything else a logged 500 without internals.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      response.end();
      return;
    }
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let body: ErrorBody = { error: ErrorCodes.INTERNAL, message: 'internal error', problems: [] };
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const raw = exception.getResponse();
      if (typeof raw === 'object' && raw !== null && 'error' in raw && 'problems' in raw) {
        body = raw as ErrorBody;
      } else {
        const message =
          typeof raw === 'string'
            ? raw
            : String((raw as { message?: unknown }).message ?? exception.message);
        const code =
          status === HttpStatus.NOT_FOUND
            ? ErrorCodes.NOT_FOUND
            : status === HttpStatus.UNAUTHORIZED
              ? ErrorCodes.AUTH_MISSING
              : status === HttpStatus.FORBIDDEN
                ? ErrorCodes.AUTH_FORBIDDEN
                : ErrorCodes.BAD_REQUEST;
        body = { error: code, message, problems: [] };
      }
    } else {
      this.logger.error({ err: exception }, 'unhandled error in a request');
    }
    response.status(status).json(body);
  }
}
