import {
  Inject,
  Injectable,
  SetMetadata,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
  HttpStatus,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ErrorCodes, Role, roleAllows } from '@ferry/contracts';
import { FERRY_ENV, type FerryEnv } from '@ferry/platform';
import { ApiError } from '../http/api-error';
import { parseTokens, type TokenHolder } from './tokens';

const REQUIRES = 'ferry:requires';

/** The least role a route needs; routes without it need `viewer`. `null` marks a public route. */
export const Requires = (role: Role | null) => SetMetadata(REQUIRES, role);
export const Public = () => Requires(null);

/** The caller, for the audit log. */
export const Caller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): TokenHolder =>
    ctx.switchToHttp().getRequest<Request & { caller: TokenHolder }>().caller,
);

/**
 * Bearer tokens from FERRY_TOKENS carry a role: 401 without a valid token, 403 for a role too low.
 * Server-sent events may pass the token as `access_token` (browsers cannot set headers there).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly tokens: Map<string, TokenHolder>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(FERRY_ENV) env: FerryEnv,
  ) {
    this.tokens = parseTokens(env.FERRY_TOKENS);
  }

  canActivate(context: ExecutionContext): boolean {
    const needed = this.reflector.getAllAndOverride<Role | null | undefined>(REQUIRES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (needed === null) return true;
    const request = context.switchToHttp().getRequest<Request & { caller?: TokenHolder }>();
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const token =
      bearer ??
      (typeof request.query.access_token === 'string' ? request.query.access_token : undefined);
    if (!token)
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        ErrorCodes.AUTH_MISSING,
        'missing bearer token (Authorization: Bearer <token>)',
      );
    const holder = this.tokens.get(token);
    if (!holder)
      throw new ApiError(HttpStatus.UNAUTHORIZED, ErrorCodes.AUTH_INVALID, 'unknown token');
    const role = needed ?? Role.Viewer;
    if (!roleAllows(holder.role, role)) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        ErrorCodes.AUTH_FORBIDDEN,
        `this needs the ${role} role; the token has ${holder.role}`,
      );
    }
    request.caller = holder;
    return true;
  }
}
