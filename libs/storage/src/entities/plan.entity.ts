import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { HostRecord, PhaseRecord, SliceInfo } from '@ferry/plan';

/** The plan file without its tasks and mission (those are rows of plan_tasks). */
export interface PlanHeader {
  format: string;
  name: string;
  snapshot: string | null;
  hosts: Record<string, HostRecord>;
  modes: Record<string, readonly string[]>;
  commands: Record<string, readonly string[]>;
  phases: PhaseRecord[];
  slice?: SliceInfo;
}

export type PlanKind = 'global' | 'current';

@Entity('plans')
export class PlanEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text') kind!: PlanKind;
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId!: string | null;
  @Column('uuid', { name: 'snapshot_id', nullable: true }) snapshotId!: string | null;
  @Column('uuid', { name: 'logic_book_id', nullable: true }) logicBookId!: string | null;
  @Column('jsonb') header!: PlanHeader;
  @Column('jsonb') stats!: Record<string, unknown>;
  @Column('integer', { name: 'task_count' }) taskCount!: number;
  @Column('integer', { name: 'batch_count' }) batchCount!: number;
  @Column('boolean') edited!: boolean;
  @Column('boolean') forced!: boolean;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
