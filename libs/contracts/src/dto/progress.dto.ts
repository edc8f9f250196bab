import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsIn, IsInt, IsObject, IsOptional } from 'class-validator';
import { RUN_STATES, RunState } from '../enums/run-state';
import { TASK_STATES, TaskState } from '../enums/task-state';
import { Count, Nested, Text, Time } from './decorators';

export class TaskUpdateDto {
  @Text('task id') task!: string;
  @ApiProperty({ enum: TASK_STATES }) @IsIn(TASK_STATES) state!: TaskState;
  @Count('attempt', 1) attempt!: number;
  @Count('batch') batch!: number;
}

/** ferry.progress.<run>: what was just persisted (published after commit). */
export class ProgressDto {
  @Text('run id') run!: string;
  @Time('published at') at!: string;
  @Nested(() => TaskUpdateDto, 'tasks whose state moved', true) updates!: TaskUpdateDto[];
  @ApiProperty({ description: 'per state, how many tasks entered it in this update' })
  @IsObject()
  counts!: Partial<Record<TaskState, number>>;
  @ApiProperty({ type: [Number], description: 'batches whose every task is now terminal' })
  @IsArray()
  @IsInt({ each: true })
  batchesEnded!: number[];

  @ApiProperty({
    enum: RUN_STATES,
    required: false,
    description: 'the run entered this state (published by the dispatcher)',
  })
  @IsOptional()
  @IsIn(RUN_STATES)
  state?: RunState;

  @ApiProperty({
    required: false,
    description: 'the batch the run is on now (published by the dispatcher)',
  })
  @IsOptional()
  @IsInt()
  batch?: number;
}
