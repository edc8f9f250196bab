import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

/** runtime.md defaults. */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/**
 * The environment every Ferry process reads, validated once at boot: a typo in a variable stops
 * the process with a clear message instead of surfacing later as a confusing failure.
 */
export class FerryEnv {
  @IsOptional()
  @Matches(/^(nats|tls|ws|wss):\/\/.+/, { message: 'NATS_URL must look like nats://host:4222' })
  NATS_URL: string = DEFAULT_NATS_URL;
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, {
    message: 'DATABASE_URL must look like postgres://user@host:5432/db',
  })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/ferry';
  @IsOptional() @IsInt() @Min(0) @Max(65535) FERRY_PORT: number = 3000;
  @IsOptional() @IsString() FERRY_TOKENS?: string;
  @IsOptional() @IsString() FERRY_SCRIPTS?: string;
  @IsOptional() @IsString() FERRY_STATE_DIR?: string;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';
  @IsOptional() @IsInt() @Min(1) @Max(1000) DATABASE_POOL_SIZE: number = 10;
}

export class EnvError extends Error {}

/** Reads and validates the environment; throws an EnvError naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): FerryEnv {
  const known = Object.keys(new FerryEnv());
  const plain: Record<string, unknown> = {};
  for (const key of [...known, 'FERRY_TOKENS', 'FERRY_SCRIPTS', 'FERRY_STATE_DIR']) {
    const value = source[key];
    if (value === undefined || value === '') continue;
    plain[key] =
      ['FERRY_PORT', 'DATABASE_POOL_SIZE'].includes(key) && /^\d+$/.test(value)
        ? Number(value)
        : value;
  }
  const env = plainToInstance(FerryEnv, plain, { exposeDefaultValues: true });
  const errors = validateSync(env);
  if (errors.length) {
    throw new EnvError(
      `invalid environment: ${errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ')}`,
    );
  }
  return env;
}
