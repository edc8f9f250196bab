import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { readLogicBook } from '@ferry/plan';
import { LogicBookEntity, ProjectEntity, type InventorySource } from '@ferry/storage';

export const SEED = join(__dirname, '..', '..', '..', 'examples', 'seed');
export const readSeed = (file: string) => readFileSync(join(SEED, file), 'utf8');

/** A logic book for generic clusters (the seed's names components X and Y in its phases). */
export const GENERIC_LOGIC = `name: generic
modes:
  restart: [stop, uprpm, start]
commands:
  upgrade: [stop, uprpm, start]
phases:
  - action: stop
  - action: uprpm
  - action: start
`;

let counter = 0;

/** Inserts a logic book and a project the way the orchestrator stores them; returns the project id. */
export async function createProject(
  dataSource: DataSource,
  inventorySource: InventorySource,
  descriptor: string,
  logicText = readSeed('logic.yaml'),
): Promise<string> {
  const book = readLogicBook(logicText, 'logic book');
  if (!book.ok) throw new Error('test logic book does not read');
  const logicBook = await dataSource
    .getRepository(LogicBookEntity)
    .save({ name: book.value.name, source: logicText, book: book.value });
  const project = await dataSource.getRepository(ProjectEntity).save({
    name: `project-${process.pid}-${++counter}`,
    inventorySource,
    descriptorSource: descriptor,
    logicBookId: logicBook.id,
    snapshotId: null,
    planId: null,
    createdBy: 'test',
  });
  return project.id;
}
