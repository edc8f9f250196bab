import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Descriptor, Inventory } from '@ferry/plan';
import { AuditEntryEntity } from '../entities/audit-entry.entity';
import { ProjectEntity } from '../entities/project.entity';
import { SnapshotEntity, type SnapshotSummary } from '../entities/snapshot.entity';
import { isUuid } from './project.repository';

/** A validated collection, ready to freeze. */
export interface NewSnapshot {
  readonly projectId: string;
  /** Where the inventory came from (kind, URL or path, format). */
  readonly source: string;
  readonly inventory: Inventory;
  readonly descriptor: Descriptor;
  readonly summary: SnapshotSummary;
  /** Who asked for the collect (the audit log's actor). */
  readonly actor: string;
}

/** Snapshots: written once, never changed (a trigger refuses updates and deletes). */
@Injectable()
export class SnapshotRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the snapshot, makes it the project's current one and writes the `collect` audit entry,
   * all in one transaction. Returns the snapshot id, or null (and writes nothing) when the project
   * no longer exists.
   */
  async commit(input: NewSnapshot): Promise<string | null> {
    return this.dataSource
      .transaction(async (m) => {
        const inserted = await m.getRepository(SnapshotEntity).insert({
          projectId: input.projectId,
          source: input.source,
          inventory: input.inventory,
          descriptor: input.descriptor,
          summary: input.summary,
        });
        const id = (inserted.identifiers[0] as { id: string }).id;
        const updated = await m
          .getRepository(ProjectEntity)
          .update({ id: input.projectId }, { snapshotId: id });
        if (!updated.affected) {
          // Roll back: no snapshot without its project.
          throw new ProjectGone(input.projectId);
        }
        await m.getRepository(AuditEntryEntity).insert({
          actor: input.actor,
          role: null,
          action: 'collect',
          subject: input.projectId,
          details: { snapshot: id, source: input.source, summary: input.summary },
        });
        return id;
      })
      .catch((e: unknown) => {
        if (e instanceof ProjectGone) return null;
        throw e;
      });
  }

  async findById(id: string): Promise<SnapshotEntity | null> {
    if (!isUuid(id)) return null;
    return this.dataSource.getRepository(SnapshotEntity).findOneBy({ id });
  }
}

class ProjectGone extends Error {
  constructor(projectId: string) {
    super(`project ${projectId} no longer exists`);
  }
}
