import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what, when (runtime.md: an audit log of every operator action). */
@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('timestamptz', { default: () => 'now()' }) at!: Date;
  @Column('text') actor!: string;
  @Column('text', { nullable: true }) role!: string | null;
  @Column('text') action!: string;
  @Column('text', { nullable: true }) subject!: string | null;
  @Column('jsonb') details!: Record<string, unknown>;
}
