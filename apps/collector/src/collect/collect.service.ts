import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ErrorCodes, type CollectRequestDto, type SnapshotSummaryDto } from '@ferry/contracts';
import { DEFAULT_FILES } from '@ferry/plan';
import { inputProblemsBody, LOGGER, RequestError } from '@ferry/platform';
import { ProjectRepository, SnapshotRepository } from '@ferry/storage';
import { InventorySources, type ResolvedInventory } from '../sources/inventory-sources';
import { SourceError } from '../sources/source-error';
import { checkInputs } from './check-inputs';
import { summarize } from './summary';

function notFound(project: string): RequestError {
  return new RequestError({
    error: ErrorCodes.NOT_FOUND,
    message: `project ${JSON.stringify(project)} does not exist`,
    problems: [{ path: 'project', message: 'no such project' }],
  });
}

/**
 * One collect: read the project's inventory source and descriptor, validate them against its logic
 * book, and freeze them as an immutable snapshot that becomes the project's current one. Nothing
 * is written unless every input is valid.
 */
@Injectable()
export class CollectService {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly snapshots: SnapshotRepository,
    private readonly sources: InventorySources,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async collect(request: CollectRequestDto): Promise<SnapshotSummaryDto> {
    const found = await this.projects.findWithLogicBook(request.project);
    if (!found) throw notFound(request.project);
    const { project, logicBook } = found;

    let resolved: ResolvedInventory;
    try {
      resolved = await this.sources.resolve(project.inventorySource);
    } catch (e) {
      if (e instanceof SourceError) throw new RequestError(e.toBody());
      throw e;
    }
    const files = { ...DEFAULT_FILES, inventory: resolved.file };
    const checked = checkInputs(resolved, project.descriptorSource, logicBook.book, files);
    if (!checked.ok) throw new RequestError(inputProblemsBody(checked.problems, 'the inputs'));

    const summary = summarize(checked.value.inventory, checked.value.descriptor);
    const snapshot = await this.snapshots.commit({
      projectId: project.id,
      source: resolved.source,
      inventory: checked.value.inventory,
      descriptor: checked.value.descriptor,
      summary,
      actor: request.actor ?? 'system',
    });
    if (!snapshot) throw notFound(request.project);
    this.logger.info(
      { project: project.id, snapshot, source: resolved.source, ...summary },
      'collected',
    );
    return { snapshot, source: resolved.source, ...summary };
  }
}
