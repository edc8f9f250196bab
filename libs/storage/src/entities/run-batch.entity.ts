import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('run_batches')
export class RunBatchEntity {
  @PrimaryColumn('uuid', { name: 'run_id' }) runId!: string;
  @PrimaryColumn('integer') batch!: number;
  @Column('integer') tasks!: number;
  @Column('integer') jobs!: number;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
}
