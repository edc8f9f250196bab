import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  QueueGroups,
  RunControlDto,
  Subjects,
  TaskControlDto,
  UndoRequestDto,
} from '@ferry/contracts';
import { Messaging } from '@ferry/platform';
import { RunRegistry } from '../engine/run-registry';

/** ferry.run.start | pause | resume | cancel | retry | undo: any dispatcher of the pool may answer. */
@Injectable()
export class ControlHandlers implements OnApplicationBootstrap {
  constructor(
    private readonly messaging: Messaging,
    private readonly registry: RunRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const queue = QueueGroups.dispatcher;
    this.messaging.serve(
      Subjects.runStart(),
      RunControlDto,
      (req) => this.registry.start(req.run),
      queue,
    );
    this.messaging.serve(
      Subjects.runPause(),
      RunControlDto,
      (req) => this.registry.pause(req.run),
      queue,
    );
    this.messaging.serve(
      Subjects.runResume(),
      RunControlDto,
      (req) => this.registry.resume(req.run),
      queue,
    );
    this.messaging.serve(
      Subjects.runCancel(),
      RunControlDto,
      (req) => this.registry.cancel(req.run),
      queue,
    );
    this.messaging.serve(
      Subjects.runRetry(),
      TaskControlDto,
      (req) => this.registry.retry(req.run, req.task),
      queue,
    );
    this.messaging.serve(
      Subjects.runUndo(),
      UndoRequestDto,
      (req) => this.registry.undo(req.run, req.task),
      queue,
    );
  }
}
