import { Count, Flag, Nested, NullableText, OptionalFlag, Text, TextList } from './decorators';

/** One task as a node runs it (runtime.md: "A task spec in a job carries …"). */
export class TaskSpecDto {
  @Text('task id, host_target_action[@release]') task!: string;
  @Text('run id') run!: string;
  @Count('attempt number, 1 for the first execution', 1) attempt!: number;
  @Text('host the task runs on (upg-server for global tasks)') host!: string;
  @Text('component, or the target of a global task') target!: string;
  @Text('action to run; for an undo this is the undo action') action!: string;
  @NullableText('mode of the instance') mode!: string | null;
  @NullableText('version before') from!: string | null;
  @NullableText('version after') to!: string | null;
  @NullableText('release of a fast-forward step') release!: string | null;
  @TextList('packages of the instance') rpms!: string[];
  @Count('seconds before SIGTERM', 1) timeout_s!: number;
  @OptionalFlag(
    'this execution undoes the task: FERRY_TASK is <task>~undo; action, from and to are those of the undo (the dispatcher swapped from/to)',
  )
  undo?: boolean;
}

/** Tasks that run in parallel. */
export class StageDto {
  @Nested(() => TaskSpecDto, 'tasks run in parallel', true) tasks!: TaskSpecDto[];
}

/** A job: what one node runs now, its stages one after another (ferry.node.<host>.jobs). */
export class JobDto {
  @Text('run id') run!: string;
  @Count('batch index in the current plan') batch!: number;
  @Text('host') host!: string;
  @Text('unique per dispatch of this job; a redelivery carries the same key') key!: string;
  @Nested(() => StageDto, 'stages, in order', true) stages!: StageDto[];
  @Flag('ask the dispatcher (ferry.run.<run>.gate) before each stage after the first')
  gate!: boolean;
}

/** The node's answer to a job. */
export class JobAckDto {
  @Flag('the node took the job') accepted!: boolean;
  @Flag('the node already had this job: nothing was started again') duplicate!: boolean;
  @Text('host') host!: string;
}

export class GateRequestDto {
  @Text('run id') run!: string;
  @Count('batch') batch!: number;
  @Text('host') host!: string;
  @Text('job key') key!: string;
  @Count('index of the stage about to start') stage!: number;
  @TextList('tasks of this job that failed so far') failed!: string[];
}

export class GateReplyDto {
  @Flag('the stage may start') go!: boolean;
}

/** Sent when a job ends (all stages done, or stopped): frees its slot and carries its failures at once. */
export class JobEndDto {
  @Text('run id') run!: string;
  @Count('batch') batch!: number;
  @Text('host') host!: string;
  @Text('job key') key!: string;
  @TextList('tasks that failed, timed out or were lost') failed!: string[];
  @TextList('tasks not started because the job stopped') skipped!: string[];
}

export class JobEndReplyDto {
  @Flag('recorded') ok!: boolean;
}

/** Broadcast by the dispatcher: start nothing more for this run. */
export class HaltDto {
  @Text('run id') run!: string;
  @Text('why') reason!: string;
}
