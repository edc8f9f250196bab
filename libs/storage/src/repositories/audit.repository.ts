import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEntryEntity } from '../entities/audit-entry.entity';

export interface AuditEntry {
  readonly actor: string;
  readonly role?: string | null;
  readonly action: string;
  readonly subject?: string | null;
  readonly details?: Record<string, unknown>;
}

/** The audit log: who did what, when. Written in the same transaction as the change when there is one. */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const m = manager ?? this.dataSource.manager;
    await m.query(
      `INSERT INTO audit_log (actor, role, action, subject, details) VALUES ($1, $2, $3, $4, $5)`,
      [
        entry.actor,
        entry.role ?? null,
        entry.action,
        entry.subject ?? null,
        JSON.stringify(entry.details ?? {}),
      ],
    );
  }

  async recent(limit = 100): Promise<AuditEntryEntity[]> {
    return this.dataSource
      .getRepository(AuditEntryEntity)
      .find({ order: { id: 'DESC' }, take: limit });
  }
}
