import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCodes, SnapshotSummaryDto, Subjects, type CreateProjectDto } from '@ferry/contracts';
import { readDescriptor, readLogicBook, type Problem } from '@ferry/plan';
import { Messaging } from '@ferry/platform';
import { AuditRepository, ProjectRepository, type ProjectEntity } from '@ferry/storage';
import type { TokenHolder } from '../auth/tokens';
import { ApiError, askService } from '../http/api-error';
import { describeSource, inventorySourceOf } from './inventory-source';

export interface ProjectView {
  id: string;
  name: string;
  inventory: string;
  snapshot: string | null;
  plan: string | null;
  createdAt: Date;
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** Projects: their inputs, collection through the collector, and lookup by id or name. */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
    private readonly audit: AuditRepository,
    private readonly messaging: Messaging,
  ) {}

  view(p: ProjectEntity): ProjectView {
    return {
      id: p.id,
      name: p.name,
      inventory: describeSource(p.inventorySource),
      snapshot: p.snapshotId,
      plan: p.planId,
      createdAt: p.createdAt,
    };
  }

  async get(key: string): Promise<ProjectEntity> {
    const project = await this.projects.findByIdOrName(key);
    if (!project) throw ApiError.notFound(`project ${JSON.stringify(key)}`);
    return project;
  }

  async list(): Promise<ProjectView[]> {
    return (await this.projects.list()).map((p) => this.view(p));
  }

  /**
   * Stores a project. The logic book and descriptor are checked now (every problem at once); the
   * inventory may be a remote or generated source, so it is checked when collected.
   */
  async create(dto: CreateProjectDto, caller: TokenHolder): Promise<{ id: string; name: string }> {
    const problems: Problem[] = [];
    const book = readLogicBook(dto.logicBook, 'logicBook');
    if (!book.ok) problems.push(...book.problems);
    const descriptor = readDescriptor(dto.descriptor, 'descriptor');
    if (!descriptor.ok) problems.push(...descriptor.problems);
    const inventorySource = inventorySourceOf(dto.inventory);
    if (problems.length || !book.ok)
      throw ApiError.invalid('the project has invalid inputs', problems);
    const project = await this.dataSource.transaction(async (m) => {
      const created = await this.projects.create(
        {
          name: dto.name,
          inventorySource,
          descriptorSource: textOf(dto.descriptor),
          logicBook: { name: book.value.name, source: textOf(dto.logicBook), book: book.value },
          createdBy: caller.actor,
        },
        m,
      );
      if (created)
        await this.audit.record(
          {
            actor: caller.actor,
            role: caller.role,
            action: 'project.create',
            subject: created.id,
            details: { name: dto.name, inventory: describeSource(inventorySource) },
          },
          m,
        );
      return created;
    });
    if (!project)
      throw new ApiError(
        HttpStatus.CONFLICT,
        ErrorCodes.PROJECT_EXISTS,
        `a project named ${JSON.stringify(dto.name)} already exists`,
      );
    return { id: project.id, name: project.name };
  }

  /** Asks the collector to freeze inventory + descriptor into a snapshot (answers when stored). */
  async collect(key: string, caller: TokenHolder): Promise<SnapshotSummaryDto> {
    const project = await this.get(key);
    return askService(
      this.messaging,
      Subjects.collect(),
      { project: project.id, actor: caller.actor },
      SnapshotSummaryDto,
      300_000,
    );
  }
}
