import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LogicBookEntity } from '../entities/logic-book.entity';
import { ProjectEntity, type InventorySource } from '../entities/project.entity';
import type { LogicBook } from '@ferry/plan';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed UUID: anything else cannot be a row id (and would be a SQL error). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A project with the logic book it compiles against. */
export interface ProjectWithBook {
  readonly project: ProjectEntity;
  readonly logicBook: LogicBookEntity;
}

/** Projects: the inputs a collect reads and the snapshot it leaves behind. */
@Injectable()
export class ProjectRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<ProjectEntity | null> {
    if (!isUuid(id)) return null;
    return this.dataSource.getRepository(ProjectEntity).findOneBy({ id });
  }

  /** The project and its logic book, or null when either is missing. */
  async findWithLogicBook(id: string): Promise<ProjectWithBook | null> {
    const project = await this.findById(id);
    if (!project) return null;
    const logicBook = await this.dataSource
      .getRepository(LogicBookEntity)
      .findOneBy({ id: project.logicBookId });
    return logicBook ? { project, logicBook } : null;
  }

  /** A project by id, or by name (the API and CLI accept both). */
  async findByIdOrName(key: string): Promise<ProjectEntity | null> {
    const repo = this.dataSource.getRepository(ProjectEntity);
    return (await this.findById(key)) ?? repo.findOneBy({ name: key });
  }

  async list(): Promise<ProjectEntity[]> {
    return this.dataSource.getRepository(ProjectEntity).find({ order: { createdAt: 'ASC' } });
  }

  /** Stores a new project and its logic book; null when the name is taken. */
  async create(
    input: {
      name: string;
      inventorySource: InventorySource;
      descriptorSource: string;
      logicBook: { name: string; source: string; book: LogicBook };
      createdBy: string;
    },
    manager: EntityManager,
  ): Promise<ProjectEntity | null> {
    const existing = await manager.getRepository(ProjectEntity).findOneBy({ name: input.name });
    if (existing) return null;
    const book = await manager.getRepository(LogicBookEntity).save({
      name: input.logicBook.name,
      source: input.logicBook.source,
      book: input.logicBook.book,
    });
    return manager.getRepository(ProjectEntity).save({
      name: input.name,
      inventorySource: input.inventorySource,
      descriptorSource: input.descriptorSource,
      logicBookId: book.id,
      snapshotId: null,
      planId: null,
      createdBy: input.createdBy,
    });
  }

  /** Makes `planId` the project's current global plan. */
  async setPlan(manager: EntityManager, projectId: string, planId: string): Promise<void> {
    await manager.getRepository(ProjectEntity).update({ id: projectId }, { planId });
  }
}
