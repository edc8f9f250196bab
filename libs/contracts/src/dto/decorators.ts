import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** Composite decorators: one line per field in the DTOs, with the OpenAPI description beside the rule. */

export const Text = (description: string) =>
  applyDecorators(ApiProperty({ description }), IsString(), MinLength(1));

export const OptionalText = (description: string) =>
  applyDecorators(ApiPropertyOptional({ description }), IsOptional(), IsString());

/** A string or null (versions of install/uninstall ends, releases of non-release tasks). */
export const NullableText = (description: string) =>
  applyDecorators(
    ApiProperty({ description, nullable: true, type: String }),
    ValidateIf((_, v) => v !== null),
    IsString(),
  );

export const Count = (description: string, min = 0) =>
  applyDecorators(ApiProperty({ description, minimum: min }), IsInt(), Min(min));

export const OptionalCount = (description: string, min = 0) =>
  applyDecorators(
    ApiPropertyOptional({ description, minimum: min }),
    IsOptional(),
    IsInt(),
    Min(min),
  );

export const Flag = (description: string) =>
  applyDecorators(ApiProperty({ description }), IsBoolean());

export const OptionalFlag = (description: string) =>
  applyDecorators(ApiPropertyOptional({ description }), IsOptional(), IsBoolean());

export const TextList = (description: string) =>
  applyDecorators(
    ApiProperty({ description, type: [String] }),
    IsArray(),
    IsString({ each: true }),
  );

export const OptionalTextList = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ description, type: [String] }),
    IsOptional(),
    IsArray(),
    IsString({ each: true }),
  );

export const Nested = (type: () => new () => object, description: string, each = false) =>
  applyDecorators(
    ApiProperty({ description, type: each ? [type()] : type() }),
    ValidateNested({ each }),
    Type(type),
    ...(each ? [IsArray()] : []),
  );

/** An ISO-8601 time stamp, or null. */
export const Time = (description: string) =>
  applyDecorators(
    ApiProperty({ description, nullable: true, type: String, format: 'date-time' }),
    ValidateIf((_, v) => v !== null && v !== undefined),
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, {
      message: '$property must be an ISO-8601 time',
    }),
  );
