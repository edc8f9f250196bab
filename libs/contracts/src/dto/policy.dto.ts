import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min, registerDecorator, type ValidationOptions } from 'class-validator';

/** A count, or a percentage written "10%". */
const PERCENT = /^\d+(\.\d+)?%$/;

/** A whole number ≥ `min`, or a percentage string like "25%" (0–100). */
function IsCountOrPercent(min: number, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCountOrPercent',
      target: object.constructor,
      propertyName,
      options: {
        message: `$property must be a whole number ≥ ${min} or a percentage like "25%"`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (typeof value === 'number') return Number.isInteger(value) && value >= min;
          return (
            typeof value === 'string' &&
            PERCENT.test(value) &&
            Number(value.slice(0, -1)) <= 100 &&
            (min === 0 || Number(value.slice(0, -1)) > 0)
          );
        },
      },
    });
}

/** Failure policy and rate control of a run (runtime.md), with the documented defaults. */
export class RunPolicyDto {
  @ApiPropertyOptional({
    description:
      'nodes running jobs at once within a batch: a number or "N%" of the batch (default unlimited)',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  })
  @IsOptional()
  @IsCountOrPercent(1)
  max_in_flight?: number | string;

  @ApiPropertyOptional({
    description:
      'failed tasks tolerated before the run stops: a number or "N%" of the batch (default 0)',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  })
  @IsOptional()
  @IsCountOrPercent(0)
  error_threshold?: number | string;

  @ApiPropertyOptional({ description: 'seconds a node has to acknowledge its job (default 30)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  job_ack_timeout_s?: number;
  @ApiPropertyOptional({
    description: 'seconds without heartbeat before a running task is lost (default 60)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  heartbeat_timeout_s?: number;
  @ApiPropertyOptional({ description: 'default task timeout in seconds (default 1800)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  task_timeout_s?: number;
}

/** A policy with every default applied; limits in their parsed form. */
export interface RunPolicy {
  readonly max_in_flight: number | string | null;
  readonly error_threshold: number | string;
  readonly job_ack_timeout_s: number;
  readonly heartbeat_timeout_s: number;
  readonly task_timeout_s: number;
}

export const DEFAULT_POLICY: RunPolicy = {
  max_in_flight: null,
  error_threshold: 0,
  job_ack_timeout_s: 30,
  heartbeat_timeout_s: 60,
  task_timeout_s: 1800,
};

export function withDefaults(policy: RunPolicyDto | undefined): RunPolicy {
  return {
    ...DEFAULT_POLICY,
    ...Object.fromEntries(Object.entries(policy ?? {}).filter(([, v]) => v !== undefined)),
  };
}

/**
 * A count-or-percentage limit applied to a size: "25%" of 10 → 3 (rounded up for max_in_flight so
 * it is never 0), a plain number as is. `floor` rounds percentages down (error budgets).
 */
export function resolveLimit(limit: number | string, size: number, round: 'up' | 'down'): number {
  if (typeof limit === 'number') return limit;
  if (limit.endsWith('%')) {
    const exact = (Number(limit.slice(0, -1)) / 100) * size;
    return round === 'up' ? Math.max(1, Math.ceil(exact)) : Math.floor(exact);
  }
  return Number(limit);
}
