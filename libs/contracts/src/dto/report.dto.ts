import { IsIn, IsOptional, MaxLength, ValidateIf } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { REPORTED_STATES, TaskState } from '../enums/task-state';
import { Count, Nested, OptionalFlag, Text, Time } from './decorators';

/** The output tail a report carries (runtime.md: the last 64 KiB). */
export const OUTPUT_TAIL_BYTES = 64 * 1024;

/** What a node says about one task attempt. */
export class TaskReportDto {
  @Text('run id') run!: string;
  @Text('task id') task!: string;
  @Count('attempt', 1) attempt!: number;
  @Text('host') host!: string;
  @ApiProperty({ enum: REPORTED_STATES }) @IsIn(REPORTED_STATES) state!: TaskState;
  @ApiProperty({ nullable: true, type: Number })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @Count('exit code', -255)
  exitCode!: number | null;
  @Time('when the script started') startedAt!: string | null;
  @Time('when it ended') endedAt!: string | null;
  @ApiProperty({ description: 'last 64 KiB of output' })
  @IsOptional()
  @MaxLength(OUTPUT_TAIL_BYTES)
  output!: string;
  @Count('per-node sequence number') seq!: number;
  @OptionalFlag('report of an undo execution') undo?: boolean;
}

/** One JetStream message on ferry.status.<run>: reports of one node (several may share a message). */
export class ReportBatchDto {
  @Text('executor id') executor!: string;
  @Nested(() => TaskReportDto, 'reports', true) reports!: TaskReportDto[];
}

export class RunningTaskDto {
  @Text('run id') run!: string;
  @Text('task id') task!: string;
  @Count('attempt', 1) attempt!: number;
}

/** ferry.node.<host>.heartbeat */
export class HeartbeatDto {
  @Text('host') host!: string;
  @Text('executor id') executor!: string;
  @Nested(() => RunningTaskDto, 'tasks running now', true) running!: RunningTaskDto[];
  @Time('sent at') at!: string;
}
