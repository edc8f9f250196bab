import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { ErrorCodes, SliceSummaryDto, Subjects, setSubjectNamespace } from '@ferry/contracts';
import { compileSources, DEFAULT_FILES, readLogicBook, type Mission, type Plan } from '@ferry/plan';
import { Messaging, RequestError } from '@ferry/platform';
import { LogicBookEntity, PlanEntity, PlanRepository, ProjectEntity } from '@ferry/storage';
import { freshDatabase, testNamespace } from '../support/database';
import { ServiceProcess } from '../collector/support/service-process';

const SEED = join(__dirname, '..', '..', 'examples', 'seed');
const read = (file: string) => readFileSync(join(SEED, file), 'utf8');
const COMMAND = JSON.parse(read('slice-upgrade-AY-BX.json')) as Record<string, unknown>;
const EXPECTED = JSON.parse(read('expected-slice-upgrade-AY-BX-mission.json')) as Mission;

let db: Awaited<ReturnType<typeof freshDatabase>>;
let service: ServiceProcess;
let nc: NatsConnection;
let messaging: Messaging;
let dataSource: DataSource;
let plans: PlanRepository;
let projectId: string;
let globalId: string;
let globalPlan: Plan;

beforeAll(async () => {
  const namespace = testNamespace('slicer');
  setSubjectNamespace(namespace);
  db = await freshDatabase('slicer');
  dataSource = db.dataSource;
  service = await ServiceProcess.start('slicer', { databaseUrl: db.url, namespace });
  nc = await connect({ servers: process.env.NATS_URL });
  messaging = new Messaging(nc, pino({ level: 'silent' }));
  plans = new PlanRepository(dataSource);

  const book = readLogicBook(read('logic.yaml'), 'logic book');
  if (!book.ok) throw new Error('seed logic book');
  const logicBook = await dataSource
    .getRepository(LogicBookEntity)
    .save({ name: book.value.name, source: read('logic.yaml'), book: book.value });
  const project = await dataSource.getRepository(ProjectEntity).save({
    name: 'seed',
    inventorySource: { kind: 'inline', text: read('inventory.yaml') },
    descriptorSource: read('descriptor.yaml'),
    logicBookId: logicBook.id,
    snapshotId: null,
    planId: null,
    createdBy: 'test',
  });
  projectId = project.id;
  const compiled = compileSources(
    {
      inventory: read('inventory.yaml'),
      descriptor: read('descriptor.yaml'),
      logicBook: read('logic.yaml'),
    },
    DEFAULT_FILES,
  );
  if (!compiled.ok) throw new Error('seed does not compile');
  globalPlan = compiled.value.plan;
  globalId = await plans.insert({
    projectId,
    kind: 'global',
    logicBookId: logicBook.id,
    plan: globalPlan,
    createdBy: 'test',
  });
});

afterAll(async () => {
  await service?.stop();
  await nc?.close();
  await db?.drop();
});

function slice(
  command: Record<string, unknown>,
  plan = globalId,
  project?: string,
): Promise<SliceSummaryDto> {
  return messaging.request(
    Subjects.slice(),
    { plan, command, ...(project ? { project } : {}) },
    SliceSummaryDto,
  );
}

async function sliceError(
  command: Record<string, unknown>,
  plan = globalId,
  project?: string,
): Promise<RequestError['body']> {
  try {
    await slice(command, plan, project);
  } catch (e) {
    if (e instanceof RequestError) return e.body;
    throw e;
  }
  throw new Error('the slice succeeded');
}

/** A run of the global plan whose tasks ended in the given states (rows written directly, as the receiver would). */
async function recordRun(
  states: Record<string, string>,
  kind: 'upgrade' | 'undo' = 'upgrade',
): Promise<string> {
  const [run] = (await dataSource.query(
    `INSERT INTO runs (project_id, plan_id, global_plan_id, kind, command, policy, state, batch_total, task_total, created_by, created_at)
     VALUES ($1, $2, $2, $3, '{}', '{}', 'succeeded', 1, $4, 'test', clock_timestamp()) RETURNING id`,
    [projectId, globalId, kind, Object.keys(states).length],
  )) as { id: string }[];
  let position = 0;
  for (const [task, state] of Object.entries(states)) {
    const record = globalPlan.tasks.get(task);
    if (!record) throw new Error(`no task ${task}`);
    await dataSource.query(
      `INSERT INTO run_tasks (run_id, task_id, batch, stage, position, host, target, action, state) VALUES ($1, $2, 0, 0, $3, $4, $5, $6, $7)`,
      [run.id, task, position++, record.host, record.target, record.action, state],
    );
  }
  return run.id;
}

async function clearRuns(): Promise<void> {
  await dataSource.query('DELETE FROM runs');
}

describe('slicer over NATS', () => {
  afterEach(clearRuns);

  it('slices the seed example to its expected mission and stores it as a current plan of the global plan', async () => {
    const summary = await slice(COMMAND);
    expect(summary).toEqual({
      plan: expect.any(String),
      tasks: 6,
      batches: 5,
      hosts: 2,
      excludedDone: 0,
    });
    const current = await plans.load(summary.plan);
    expect(current?.mission).toEqual(EXPECTED);
    expect(current?.slice).toEqual({ of: globalId, command: COMMAND });
    const header = await dataSource.getRepository(PlanEntity).findOneByOrFail({ id: summary.plan });
    expect([
      header.kind,
      header.parentId,
      header.projectId,
      header.taskCount,
      header.batchCount,
    ]).toEqual(['current', globalId, projectId, 6, 5]);
  });

  it('leaves out tasks an earlier run of the plan succeeded, and counts them', async () => {
    await recordRun({
      B_X_stop: 'succeeded',
      A_Y_uprpm: 'succeeded',
      B_X_uprpm: 'failed',
      A_X_dispatch: 'succeeded',
    });
    const summary = await slice(COMMAND);
    expect(summary).toMatchObject({ tasks: 4, batches: 4, excludedDone: 2 });
    expect((await plans.load(summary.plan))?.mission).toEqual([
      [[['A_Y_stop']]],
      [[['B_X_uprpm']]],
      [[['A_Y_start']]],
      [[['B_X_start']]],
    ]);
  });

  it('keeps done tasks with exclude_done: false', async () => {
    await recordRun({ B_X_stop: 'succeeded' });
    const summary = await slice({ ...COMMAND, exclude_done: false });
    expect(summary).toMatchObject({ tasks: 6, excludedDone: 0 });
    expect((await plans.load(summary.plan))?.mission).toEqual(EXPECTED);
  });

  it('does not count as done a task that was undone, or that a later run re-ran and failed', async () => {
    await recordRun({ B_X_stop: 'succeeded', A_Y_stop: 'succeeded', A_Y_start: 'succeeded' });
    await recordRun({ B_X_stop: 'failed', A_Y_stop: 'skipped', A_Y_start: 'undone' });
    await recordRun({ A_Y_stop: 'succeeded' }, 'undo');
    const summary = await slice(COMMAND);
    // Only A_Y_stop is done: its later row was skipped (never executed); the undo run does not count.
    expect(summary).toMatchObject({ tasks: 5, excludedDone: 1 });
    expect((await plans.load(summary.plan))?.tasks.has('A_Y_stop')).toBe(false);
  });

  it('stores and returns an empty current plan when every selected task is done', async () => {
    await recordRun(Object.fromEntries(EXPECTED.flat(3).map((id) => [id, 'succeeded'])));
    const summary = await slice(COMMAND);
    expect(summary).toEqual({
      plan: expect.any(String),
      tasks: 0,
      batches: 0,
      hosts: 0,
      excludedDone: 6,
    });
    expect((await plans.load(summary.plan))?.mission).toEqual([]);
  });

  it('reports unknown names as problems with their paths', async () => {
    const error = await sliceError({ command: 'upgrdae', hosts: ['A', 'C'], instances: ['A/W'] });
    expect(error.error).toBe(ErrorCodes.INPUT_INVALID);
    expect(error.problems.map((p) => [p.code, p.path])).toEqual([
      ['SLICE.UNKNOWN_COMMAND', 'command'],
      ['SLICE.UNKNOWN_HOST', 'hosts[1]'],
      ['SLICE.UNKNOWN_INSTANCE', 'instances[0]'],
    ]);
  });

  it('reports a malformed command with its path', async () => {
    const error = await sliceError({ command: 'upgrade', hostz: ['A'], exclude_done: 'no' });
    expect(error.error).toBe(ErrorCodes.INPUT_INVALID);
    expect(error.problems.map((p) => [p.code, p.path])).toEqual(
      expect.arrayContaining([['INPUT.UNKNOWN_KEY', 'hostz']]),
    );
    expect(error.problems.some((p) => p.path === 'exclude_done')).toBe(true);
  });

  it('answers NOT_FOUND for an unknown plan, or a plan of another project', async () => {
    expect(await sliceError(COMMAND, '00000000-0000-4000-8000-000000000000')).toMatchObject({
      error: ErrorCodes.NOT_FOUND,
    });
    expect(await sliceError(COMMAND, 'not-a-uuid')).toMatchObject({ error: ErrorCodes.NOT_FOUND });
    expect(
      await sliceError(COMMAND, globalId, '00000000-0000-4000-8000-000000000000'),
    ).toMatchObject({ error: ErrorCodes.NOT_FOUND });
    expect(await slice(COMMAND, globalId, projectId)).toMatchObject({ tasks: 6 });
  });

  it('refuses to slice a current plan', async () => {
    const { plan } = await slice(COMMAND);
    const error = await sliceError(COMMAND, plan);
    expect(error).toMatchObject({
      error: ErrorCodes.INPUT_INVALID,
      problems: [expect.objectContaining({ path: 'plan' })],
    });
  });
});
