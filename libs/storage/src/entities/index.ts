import { AuditEntryEntity } from './audit-entry.entity';
import { LogicBookEntity } from './logic-book.entity';
import { PlanEntity } from './plan.entity';
import { ProjectEntity } from './project.entity';
import { RunBatchEntity } from './run-batch.entity';
import { RunEntity } from './run.entity';
import { SnapshotEntity } from './snapshot.entity';
import { TaskAttemptEntity } from './task-attempt.entity';

export * from './audit-entry.entity';
export * from './logic-book.entity';
export * from './plan.entity';
export * from './project.entity';
export * from './run-batch.entity';
export * from './run.entity';
export * from './snapshot.entity';
export * from './task-attempt.entity';

/** Tables without an entity (plan_tasks, run_tasks, instance_locks, node_heartbeats) are bulk paths: their SQL is explicit in the repositories. */
export const ENTITIES = [
  AuditEntryEntity,
  LogicBookEntity,
  PlanEntity,
  ProjectEntity,
  RunBatchEntity,
  RunEntity,
  SnapshotEntity,
  TaskAttemptEntity,
];
