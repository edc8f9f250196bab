import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ErrorCodes, type SliceRequestDto, type SliceSummaryDto } from '@ferry/contracts';
import { readSliceCommand, type Problem, type TaskId } from '@ferry/plan';
import { inputProblemsBody, LOGGER, RequestError } from '@ferry/platform';
import { HistoryRepository, PlanRepository, PlanCache } from '@ferry/storage';
import { cutCurrentPlan, hostsWithTasks } from './cut';

/** The `created_by` of current plans (the request names no actor; the run that uses the plan does). */
export const SLICER_ACTOR = 'slicer';

function invalid(problems: readonly Problem[]): RequestError {
  return new RequestError(inputProblemsBody(problems, 'the slicing request'));
}

function notFound(message: string): RequestError {
  return new RequestError({
    error: ErrorCodes.NOT_FOUND,
    message,
    problems: [{ path: 'plan', message }],
  });
}

/**
 * One slice: the global plan (cached), the command, the tasks earlier runs of the plan got done;
 * the current plan is stored — even when empty, the orchestrator decides what that means — and
 * summarised.
 */
@Injectable()
export class SliceService {
  constructor(
    private readonly cache: PlanCache,
    private readonly plans: PlanRepository,
    private readonly history: HistoryRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async slice(request: SliceRequestDto): Promise<SliceSummaryDto> {
    const loaded = await this.cache.get(request.plan);
    if (!loaded) throw notFound(`plan ${JSON.stringify(request.plan)} does not exist`);
    const { header, plan } = loaded;
    if (request.project !== undefined && header.projectId !== request.project) {
      throw notFound(
        `plan ${request.plan} is not a plan of project ${JSON.stringify(request.project)}`,
      );
    }
    if (header.kind !== 'global') {
      const message = `plan ${request.plan} is a current plan: slice its global plan${header.parentId ? ` ${header.parentId}` : ''}`;
      throw invalid([{ code: 'INPUT.INVALID', file: 'request', path: 'plan', message }]);
    }
    const command = readSliceCommand(request.command, 'command');
    if (!command.ok) throw invalid(command.problems);
    const done: ReadonlySet<TaskId> =
      command.value.exclude_done === false ? new Set() : await this.history.doneTasks(request.plan);
    const cut = cutCurrentPlan(plan, command.value, done, request.plan);
    if (!cut.ok) throw invalid(cut.problems);

    const current = cut.value.plan;
    const summary = {
      tasks: current.tasks.size,
      batches: current.mission.length,
      hosts: hostsWithTasks(current),
      excludedDone: cut.value.excludedDone,
    };
    const id = await this.plans.insert({
      projectId: header.projectId,
      kind: 'current',
      parentId: header.id,
      snapshotId: header.snapshotId,
      logicBookId: header.logicBookId,
      plan: current,
      stats: summary,
      createdBy: SLICER_ACTOR,
    });
    this.logger.info({ plan: id, of: request.plan, ...summary }, 'sliced');
    return { plan: id, ...summary };
  }
}
