import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** Where a project's inventory comes from (kept as given; the collector resolves it at each collect). */
export type InventorySource =
  | { kind: 'inline'; text: string }
  | { kind: 'object'; value: unknown }
  | { kind: 'url'; url: string }
  | { kind: 'sim'; url: string }
  | { kind: 'ansible'; path?: string; text?: string; format?: 'ini' | 'yaml' };

@Entity('projects')
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('jsonb', { name: 'inventory_source' }) inventorySource!: InventorySource;
  @Column('text', { name: 'descriptor_source' }) descriptorSource!: string;
  @Column('uuid', { name: 'logic_book_id' }) logicBookId!: string;
  @Column('uuid', { name: 'snapshot_id', nullable: true }) snapshotId!: string | null;
  @Column('uuid', { name: 'plan_id', nullable: true }) planId!: string | null;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
