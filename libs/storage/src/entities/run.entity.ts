import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RunKind, RunPolicy, RunState } from '@ferry/contracts';

@Entity('runs')
export class RunEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('uuid', { name: 'plan_id' }) planId!: string;
  @Column('uuid', { name: 'global_plan_id' }) globalPlanId!: string;
  @Column('text') kind!: RunKind;
  @Column('uuid', { name: 'undo_of', nullable: true }) undoOf!: string | null;
  @Column('jsonb') command!: Record<string, unknown>;
  @Column('jsonb') policy!: RunPolicy;
  @Column('text') state!: RunState;
  @Column('integer', { name: 'batch_index' }) batchIndex!: number;
  @Column('integer', { name: 'batch_total' }) batchTotal!: number;
  @Column('integer', { name: 'task_total' }) taskTotal!: number;
  @Column('text', { nullable: true }) reason!: string | null;
  /** A transition asked for by an operator, carried out by whichever dispatcher owns the run. */
  @Column('text', { nullable: true }) control!: 'pause' | 'cancel' | null;
  @Column('text', { nullable: true }) owner!: string | null;
  @Column('timestamptz', { name: 'owner_seen_at', nullable: true }) ownerSeenAt!: Date | null;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
}
