import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TaskState } from '@ferry/contracts';

/** One execution of a task (attempt 1, 2, …), with its output tail. */
@Entity('task_attempts')
export class TaskAttemptEntity {
  @PrimaryColumn('uuid', { name: 'run_id' }) runId!: string;
  @PrimaryColumn('text', { name: 'task_id' }) taskId!: string;
  @PrimaryColumn('integer') attempt!: number;
  @Column('boolean') undo!: boolean;
  @Column('text') host!: string;
  @Column('text') state!: TaskState;
  @Column('integer', { name: 'exit_code', nullable: true }) exitCode!: number | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
  @Column('text') output!: string;
  @Column('text', { nullable: true }) executor!: string | null;
  @Column('bigint', { nullable: true }) seq!: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
