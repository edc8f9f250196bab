import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Descriptor, Inventory } from '@ferry/plan';

export interface SnapshotSummary {
  nodes: number;
  instances: number;
  components: number;
  added: number;
  removed: number;
}

/** Inventory + descriptor frozen at collection time; immutable (a trigger refuses changes). */
@Entity('snapshots')
export class SnapshotEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text') source!: string;
  @Column('jsonb') inventory!: Inventory;
  @Column('jsonb') descriptor!: Descriptor;
  @Column('jsonb') summary!: SnapshotSummary;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
