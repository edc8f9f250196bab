import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { LogicBook } from '@ferry/plan';

@Entity('logic_books')
export class LogicBookEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  /** The text as the operator wrote it, for review and diff. */
  @Column('text') source!: string;
  @Column('jsonb') book!: LogicBook;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
