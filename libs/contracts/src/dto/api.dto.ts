import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  ValidateNested,
  registerDecorator,
} from 'class-validator';
import { RunPolicyDto } from './policy.dto';
import { OptionalTextList, Text } from './decorators';

/** YAML/JSON text, or the already parsed object. */
function IsTextOrObject() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isTextOrObject',
      target: object.constructor,
      propertyName,
      options: { message: '$property must be YAML/JSON text or an object' },
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'string' && value.trim().length > 0) ||
          (typeof value === 'object' && value !== null && !Array.isArray(value)),
      },
    });
}

/** POST /projects */
export class CreateProjectDto {
  @ApiProperty({ description: 'project name (letters, digits, ".", "_", "-")' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'name may hold only letters, digits, ".", "_" and "-"' })
  name!: string;

  @ApiProperty({
    description:
      'inventory as YAML/JSON text or object, or {"source": "sim://…" | "http(s)://…" | "ansible:<path>"}',
  })
  @IsDefined()
  @IsTextOrObject()
  inventory!: unknown;

  @ApiProperty({ description: 'upgrade descriptor as YAML/JSON text or object' })
  @IsDefined()
  @IsTextOrObject()
  descriptor!: unknown;
  @ApiProperty({ description: 'logic book as YAML/JSON text or object' })
  @IsDefined()
  @IsTextOrObject()
  logicBook!: unknown;
}

export class RegroupDto {
  @Text('phase name (name@release for a per-release copy)') phase!: string;
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'string' } } })
  @IsArray()
  @IsArray({ each: true })
  hosts!: string[][];
}

/** POST /projects/:id/runs: a slicing command (logic-book.md) and the run's policy. */
export class CreateRunDto {
  @ApiPropertyOptional({ description: 'operator command of the logic book' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  command?: string;
  @OptionalTextList('phase names instead of command') phases?: string[];
  @OptionalTextList('host/component pairs') instances?: string[];
  @OptionalTextList('hosts') hosts?: string[];
  @OptionalTextList('components (and global targets)') components?: string[];
  @OptionalTextList('actions') actions?: string[];
  @OptionalTextList('roles') roles?: string[];
  @ApiPropertyOptional({
    description: 'leave out tasks already succeeded in earlier runs (default true)',
  })
  @IsOptional()
  @IsBoolean()
  exclude_done?: boolean;
  @ApiPropertyOptional({ type: RegroupDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RegroupDto)
  regroup?: RegroupDto;
  @ApiPropertyOptional({ type: RunPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RunPolicyDto)
  policy?: RunPolicyDto;
}
