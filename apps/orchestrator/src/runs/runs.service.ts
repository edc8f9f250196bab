import { HttpStatus, Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import {
  ErrorCodes,
  ProgressDto,
  RunControlReplyDto,
  RunKind,
  SliceSummaryDto,
  Subjects,
  TaskControlReplyDto,
  UndoReplyDto,
  TASK_STATES,
  decodeMessage,
  isRunFinished,
  withDefaults,
  type CreateRunDto,
  type RunState,
} from '@ferry/contracts';
import { Messaging } from '@ferry/platform';
import { AuditRepository, RunRepository, isUuid, type RunEntity } from '@ferry/storage';
import type { TokenHolder } from '../auth/tokens';
import { ApiError, askService } from '../http/api-error';
import { ProjectsService } from '../projects/projects.service';

export interface RunView {
  id: string;
  project: string;
  kind: string;
  state: RunState;
  counts: Record<string, number>;
  batch: { index: number; total: number };
  result?: { done: string[]; fail: string[]; undo: string[] };
  reason: string | null;
  policy: unknown;
  command: unknown;
  tasks: number;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

/** A server-sent event: `progress` (what was persisted) or `state` (the run moved). */
export interface RunEvent {
  type: 'progress' | 'state';
  data: unknown;
}

/** Runs: cut (by the slicer), created with their locks, handed to the dispatcher, observed. */
@Injectable()
export class RunsService {
  constructor(
    private readonly projects: ProjectsService,
    private readonly runs: RunRepository,
    private readonly audit: AuditRepository,
    private readonly messaging: Messaging,
  ) {}

  async get(id: string): Promise<RunEntity> {
    const run = isUuid(id) ? await this.runs.get(id) : null;
    if (!run) throw ApiError.notFound(`run ${JSON.stringify(id)}`);
    return run;
  }

  /** The run's state; `withResult: false` leaves out the id lists (megabytes for a big run). */
  async view(id: string, withResult = true): Promise<RunView> {
    const run = await this.get(id);
    const [counts, result] = await Promise.all([
      this.runs.counts(run.id),
      withResult ? this.runs.result(run.id) : undefined,
    ]);
    return {
      id: run.id,
      project: run.projectId,
      kind: run.kind,
      state: run.state,
      counts,
      batch: { index: Math.min(run.batchIndex, run.batchTotal), total: run.batchTotal },
      ...(result ? { result } : {}),
      reason: run.reason,
      policy: run.policy,
      command: run.command,
      tasks: run.taskTotal,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
    };
  }

  /**
   * Slices the project's global plan for the command (the slicer leaves out tasks that already
   * succeeded), creates the run with a lock on every instance it touches, and starts it.
   */
  async create(key: string, dto: CreateRunDto, caller: TokenHolder) {
    const project = await this.projects.get(key);
    if (!project.planId)
      throw new ApiError(
        HttpStatus.CONFLICT,
        ErrorCodes.PROJECT_NOT_PLANNED,
        `project ${project.name} has no plan yet: compile it first (POST /projects/${project.id}/plan)`,
      );
    const { policy, ...command } = dto;
    const slice: SliceSummaryDto = await askService(
      this.messaging,
      Subjects.slice(),
      { plan: project.planId, command, project: project.id },
      SliceSummaryDto,
      300_000,
    );
    if (slice.tasks === 0) {
      const done = slice.excludedDone
        ? ` (${slice.excludedDone} selected task(s) already succeeded in earlier runs)`
        : '';
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        ErrorCodes.RUN_EMPTY,
        `nothing to run: the command selects no task${done}`,
      );
    }
    const created = await this.runs.create({
      projectId: project.id,
      planId: slice.plan,
      globalPlanId: project.planId,
      kind: RunKind.Upgrade,
      command,
      policy: withDefaults(policy),
      createdBy: caller.actor,
    });
    if (!created.ok) {
      const shown =
        created.conflicts.slice(0, 20).join(', ') +
        (created.conflicts.length > 20 ? `, … (${created.conflicts.length} in all)` : '');
      throw new ApiError(
        HttpStatus.CONFLICT,
        ErrorCodes.RUN_CONFLICT,
        `another run is working on these instances: ${shown}`,
        [],
        { conflicts: created.conflicts },
      );
    }
    const run = created.run;
    await this.audit.record({
      actor: caller.actor,
      role: caller.role,
      action: 'run.create',
      subject: run.id,
      details: { project: project.id, command, policy: run.policy, tasks: slice.tasks },
    });
    let state: RunState = run.state;
    try {
      state = (
        await this.messaging.request(
          Subjects.runStart(),
          { run: run.id, actor: caller.actor },
          RunControlReplyDto,
          30_000,
        )
      ).state;
    } catch {
      // No dispatcher right now: the run stays pending and the first dispatcher to start adopts it.
    }
    return {
      id: run.id,
      state,
      project: project.id,
      plan: slice.plan,
      tasks: slice.tasks,
      batches: slice.batches,
      excludedDone: slice.excludedDone,
    };
  }

  async control(
    id: string,
    action: 'pause' | 'resume' | 'cancel',
    caller: TokenHolder,
  ): Promise<{ id: string; state: RunState }> {
    const run = await this.get(id);
    const subject =
      action === 'pause'
        ? Subjects.runPause()
        : action === 'resume'
          ? Subjects.runResume()
          : Subjects.runCancel();
    const reply: RunControlReplyDto = await askService(
      this.messaging,
      subject,
      { run: run.id, actor: caller.actor },
      RunControlReplyDto,
      30_000,
    );
    await this.audit.record({
      actor: caller.actor,
      role: caller.role,
      action: `run.${action}`,
      subject: run.id,
      details: { state: reply.state },
    });
    return { id: run.id, state: reply.state };
  }

  /** A new attempt of one failed task, alone (the dispatcher refuses other states with a clear reason). */
  async retry(id: string, task: string, caller: TokenHolder): Promise<TaskControlReplyDto> {
    const run = await this.get(id);
    const reply: TaskControlReplyDto = await askService(
      this.messaging,
      Subjects.runRetry(),
      { run: run.id, task, actor: caller.actor },
      TaskControlReplyDto,
      30_000,
    );
    await this.audit.record({
      actor: caller.actor,
      role: caller.role,
      action: 'task.retry',
      subject: run.id,
      details: { task, attempt: reply.attempt },
    });
    return reply;
  }

  /** Undoes one succeeded task, or (without a task) every succeeded task of the run in reverse order. */
  async undo(
    id: string,
    task: string | undefined,
    caller: TokenHolder,
  ): Promise<UndoReplyDto & { run: string }> {
    const run = await this.get(id);
    const reply: UndoReplyDto = await askService(
      this.messaging,
      Subjects.runUndo(),
      { run: run.id, ...(task !== undefined ? { task } : {}), actor: caller.actor },
      UndoReplyDto,
      60_000,
    );
    await this.audit.record({
      actor: caller.actor,
      role: caller.role,
      action: task === undefined ? 'run.undo' : 'task.undo',
      subject: run.id,
      details: { task: task ?? null, undoing: reply.undoing, withoutUndo: reply.withoutUndo },
    });
    return { run: run.id, ...reply };
  }

  async list(key: string) {
    const project = await this.projects.get(key);
    return (await this.runs.ofProject(project.id)).map((r) => ({
      id: r.id,
      kind: r.kind,
      state: r.state,
      command: r.command,
      tasks: r.taskTotal,
      reason: r.reason,
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
    }));
  }

  async stats(key: string) {
    const project = await this.projects.get(key);
    return this.runs.durationStats(project.id);
  }

  async tasks(id: string, state: string | undefined, limit: number) {
    const run = await this.get(id);
    if (state !== undefined && !(TASK_STATES as readonly string[]).includes(state)) {
      throw ApiError.invalid('bad query', [
        {
          code: 'INPUT.INVALID',
          file: 'query',
          path: 'state',
          message: `must be one of ${TASK_STATES.join(', ')}`,
        },
      ]);
    }
    return this.runs.taskAttempts(run.id, state ?? null, limit);
  }

  /**
   * Progress as it is persisted: first the run's state and counts, then every progress message of
   * the receiver and every state change of the dispatcher, until the run has ended.
   */
  async events(id: string): Promise<Observable<RunEvent>> {
    const run = await this.get(id);
    const initial = await this.view(run.id, false);
    return new Observable<RunEvent>((subscriber) => {
      subscriber.next({
        type: 'state',
        data: { state: initial.state, batch: initial.batch, counts: initial.counts },
      });
      if (isRunFinished(initial.state)) {
        subscriber.complete();
        return;
      }
      const subscription = this.messaging.nc.subscribe(Subjects.progress(run.id), {
        callback: (err, msg) => {
          if (err) return subscriber.error(err);
          const decoded = decodeMessage(ProgressDto, msg.data);
          if (!decoded.ok) return;
          const progress = decoded.value;
          if (progress.state !== undefined) {
            subscriber.next({
              type: 'state',
              data: { state: progress.state, batch: progress.batch ?? null },
            });
            if (isRunFinished(progress.state)) subscriber.complete();
          } else {
            subscriber.next({ type: 'progress', data: progress });
          }
        },
      });
      // The run may have ended between the first read and the subscription.
      void this.runs.get(run.id).then((latest) => {
        if (latest && isRunFinished(latest.state)) {
          subscriber.next({ type: 'state', data: { state: latest.state, batch: null } });
          subscriber.complete();
        }
      });
      return () => subscription.unsubscribe();
    });
  }
}
