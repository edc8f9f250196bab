import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional } from 'class-validator';
import type { ErrorBody } from '../errors/error-codes';
import { RUN_STATES, RunState } from '../enums/run-state';
import { Count, Flag, OptionalText, Text, TextList } from './decorators';

/** Replies of every request/reply service: `ok` with a value, or an error body. */
export interface Reply<T> {
  ok: boolean;
  value?: T;
  error?: ErrorBody;
}

/** ferry.collect */
export class CollectRequestDto {
  @Text('project id') project!: string;
  @OptionalText('who asked (for the audit log)') actor?: string;
}

export class SnapshotSummaryDto {
  @Text('snapshot id') snapshot!: string;
  @Text('inventory source') source!: string;
  @Count('nodes') nodes!: number;
  @Count('instances (host, component)') instances!: number;
  @Count('components') components!: number;
  @Count('nodes added by the descriptor') added!: number;
  @Count('nodes removed by the descriptor') removed!: number;
}

/** ferry.slice */
export class SliceRequestDto {
  @Text('plan id of the global plan') plan!: string;
  @ApiProperty({ description: 'slicing command (logic-book.md, "Slicing")' })
  @IsObject()
  command!: Record<string, unknown>;
  @OptionalText('project id: the plan must belong to it')
  project?: string;
}

export class SliceSummaryDto {
  @Text('current plan id') plan!: string;
  @Count('tasks') tasks!: number;
  @Count('batches') batches!: number;
  @Count('hosts with tasks') hosts!: number;
  @Count('tasks left out because an earlier run already succeeded them') excludedDone!: number;
}

/** ferry.run.start | pause | resume | cancel */
export class RunControlDto {
  @Text('run id') run!: string;
  @OptionalText('who asked') actor?: string;
}

export class RunControlReplyDto {
  @ApiProperty({ enum: RUN_STATES }) @IsIn(RUN_STATES) state!: RunState;
}

/** ferry.run.retry | undo: one task of a run. */
export class TaskControlDto {
  @Text('run id') run!: string;
  @Text('task id') task!: string;
  @OptionalText('who asked') actor?: string;
}

/** ferry.run.undo: one succeeded task, or (without `task`) every succeeded task of the run. */
export class UndoRequestDto {
  @Text('run id') run!: string;
  @OptionalText('task id; absent: undo the whole run') task?: string;
  @OptionalText('who asked') actor?: string;
}

export class UndoReplyDto {
  @Count('tasks whose undo action runs now') undoing!: number;
  @TextList('those tasks, in the order they are undone') tasks!: string[];
  @TextList('succeeded tasks without an undo action: reported, not silently passed')
  withoutUndo!: string[];
}

export class TaskControlReplyDto {
  @Text('task id') task!: string;
  @Count('the new attempt number', 1) attempt!: number;
  @Flag('the task runs now (false when queued behind the run)') started!: boolean;
  @ApiPropertyOptional() @IsOptional() @IsIn(RUN_STATES) runState?: RunState;
}
