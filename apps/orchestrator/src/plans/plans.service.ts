import { HttpStatus, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { ErrorCodes } from '@ferry/contracts';
import {
  canonicalPlan,
  checkPlan,
  coalesce,
  compilePlan,
  FORCEABLE,
  planJsonChunks,
  readPlan,
  renderPlanMermaid,
  renderPlanText,
  type Plan,
} from '@ferry/plan';
import {
  AuditRepository,
  PlanRepository,
  ProjectRepository,
  SnapshotRepository,
  type ProjectEntity,
  PlanCache,
} from '@ferry/storage';
import type { TokenHolder } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import { ProjectsService } from '../projects/projects.service';

export type PlanFormat = 'json' | 'text' | 'mermaid';

export interface PlanSummary {
  plan: string;
  name: string;
  tasks: number;
  batches: number;
  hosts: number;
  instancesTouched: number | null;
  alreadyAtTarget: number | null;
  phases: { name: string; batches: readonly [number, number]; tasks: number }[];
}

function summarize(
  id: string,
  plan: Plan,
  stats: { instancesTouched?: number; alreadyAtTarget?: number },
): PlanSummary {
  const perPhase = new Map<string, number>();
  const hosts = new Set<string>();
  for (const record of plan.tasks.values()) {
    perPhase.set(record.phase, (perPhase.get(record.phase) ?? 0) + 1);
    hosts.add(record.host);
  }
  return {
    plan: id,
    name: plan.name,
    tasks: plan.tasks.size,
    batches: plan.mission.length,
    hosts: hosts.size,
    instancesTouched: stats.instancesTouched ?? null,
    alreadyAtTarget: stats.alreadyAtTarget ?? null,
    phases: plan.phases.map((p) => ({
      name: p.name,
      batches: p.batches,
      tasks: perPhase.get(p.name) ?? 0,
    })),
  };
}

/** The global plan of a project: compiled from its snapshot, reviewed, edited. */
@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly projectRepository: ProjectRepository,
    private readonly snapshots: SnapshotRepository,
    private readonly plans: PlanRepository,
    private readonly cache: PlanCache,
    private readonly audit: AuditRepository,
  ) {}

  private async inputs(project: ProjectEntity) {
    if (!project.snapshotId)
      throw new ApiError(
        HttpStatus.CONFLICT,
        ErrorCodes.PROJECT_NOT_COLLECTED,
        `project ${project.name} has no snapshot yet: collect it first (POST /projects/${project.id}/collect)`,
      );
    const snapshot = await this.snapshots.findById(project.snapshotId);
    const withBook = await this.projectRepository.findWithLogicBook(project.id);
    if (!snapshot || !withBook) throw ApiError.notFound(`snapshot of project ${project.name}`);
    return { snapshot, logicBook: withBook.logicBook };
  }

  /** Compiles snapshot + logic book into the global plan and stores it (answers when stored). */
  async compile(key: string, caller: TokenHolder): Promise<PlanSummary> {
    const project = await this.projects.get(key);
    const { snapshot, logicBook } = await this.inputs(project);
    const files = { inventory: 'inventory', descriptor: 'descriptor', logicBook: 'logicBook' };
    const compiled = compilePlan(
      { inventory: snapshot.inventory, descriptor: snapshot.descriptor, logicBook: logicBook.book },
      { files, snapshot: snapshot.id },
    );
    if (!compiled.ok) throw ApiError.invalid('the plan does not compile', compiled.problems);
    const { plan, stats } = compiled.value;
    const id = await this.dataSource.transaction(async (m) => {
      const planId = await this.plans.insert(
        {
          projectId: project.id,
          kind: 'global',
          snapshotId: snapshot.id,
          logicBookId: logicBook.id,
          plan,
          stats: { ...stats },
          createdBy: caller.actor,
        },
        m,
      );
      await this.projectRepository.setPlan(m, project.id, planId);
      await this.audit.record(
        {
          actor: caller.actor,
          role: caller.role,
          action: 'plan.compile',
          subject: project.id,
          details: { plan: planId, tasks: plan.tasks.size, batches: plan.mission.length },
        },
        m,
      );
      return planId;
    });
    await this.remember(id, plan);
    return summarize(id, plan, stats);
  }

  private async current(
    project: ProjectEntity,
  ): Promise<{ id: string; plan: Plan; stats: Record<string, unknown> }> {
    if (!project.planId)
      throw new ApiError(
        HttpStatus.CONFLICT,
        ErrorCodes.PROJECT_NOT_PLANNED,
        `project ${project.name} has no plan yet: compile it first (POST /projects/${project.id}/plan)`,
      );
    const loaded = await this.cache.get(project.planId);
    if (!loaded) throw ApiError.notFound(`plan ${project.planId}`);
    return { id: project.planId, plan: loaded.plan, stats: loaded.header.stats };
  }

  /** The plan just stored stays in memory: the operator's next step is reviewing it. */
  private async remember(id: string, plan: Plan): Promise<void> {
    const header = await this.plans.header(id);
    if (header) this.cache.remember(id, { header, plan });
  }

  /** The plan in the asked format, streamed (a million-task plan file is hundreds of megabytes). */
  async render(key: string, format: PlanFormat, response: Response): Promise<void> {
    const { plan, stats } = await this.current(await this.projects.get(key));
    if (format === 'json') {
      response.type('application/json');
      for (const chunk of coalesce(planJsonChunks(plan))) {
        if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
      }
      response.end();
      return;
    }
    response.type('text/plain; charset=utf-8');
    response.send(
      format === 'mermaid'
        ? renderPlanMermaid(plan)
        : renderPlanText(plan, stats as Parameters<typeof renderPlanText>[1]),
    );
  }

  /**
   * Replaces the global plan with an edited one, checked with `ferry check`'s rules against the
   * project's logic book. An admin may force a plan whose only problems are mode order; the force
   * is recorded in the audit log.
   */
  async edit(
    key: string,
    body: unknown,
    force: boolean,
    caller: TokenHolder,
  ): Promise<PlanSummary & { forced: boolean }> {
    const project = await this.projects.get(key);
    const { snapshot, logicBook } = await this.inputs(project);
    const read = readPlan(body, 'plan');
    if (!read.ok) throw ApiError.invalid('the edited plan is not a plan file', read.problems);
    const problems = checkPlan(read.value, logicBook.book.modes, 'plan');
    const forceable = problems.length > 0 && problems.every((p) => FORCEABLE.has(p.code));
    if (problems.length && !(force && forceable)) {
      const hint = forceable
        ? ' (only mode-order problems: an admin may force it with ?force=true)'
        : '';
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        ErrorCodes.PLAN_INVALID,
        `the edited plan breaks the plan rules${hint}`,
        problems.map((p) => ({ path: p.path, message: p.message, code: p.code, file: p.file })),
      );
    }
    const plan = canonicalPlan({ ...read.value, snapshot: snapshot.id });
    const forced = problems.length > 0;
    const id = await this.dataSource.transaction(async (m) => {
      const planId = await this.plans.insert(
        {
          projectId: project.id,
          kind: 'global',
          snapshotId: snapshot.id,
          logicBookId: logicBook.id,
          plan,
          stats: {},
          createdBy: caller.actor,
          edited: true,
          forced,
        },
        m,
      );
      await this.projectRepository.setPlan(m, project.id, planId);
      await this.audit.record(
        {
          actor: caller.actor,
          role: caller.role,
          action: forced ? 'plan.edit.forced' : 'plan.edit',
          subject: project.id,
          details: {
            plan: planId,
            tasks: plan.tasks.size,
            overridden: problems.map((p) => `${p.path}: ${p.message}`),
          },
        },
        m,
      );
      return planId;
    });
    await this.remember(id, plan);
    return { ...summarize(id, plan, {}), forced };
  }
}
