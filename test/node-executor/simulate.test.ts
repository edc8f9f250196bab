import { rm } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import { setSubjectNamespace, TaskState, type TaskReportDto } from '@ferry/contracts';
import { testNamespace } from '../support/database';
import {
  eventually,
  FakeDispatcher,
  InProcessExecutor,
  job,
  natsConnection,
  ReportReader,
  sendJob,
  task,
} from './support/harness';

/** One pool process standing in for many nodes (--simulate), as the load test and the demo use it. */
describe('node executor: simulation', () => {
  const namespace = testNamespace('executor-sim');
  const work = mkdtempSync(path.join(tmpdir(), 'ferry-executor-sim-'));
  let nc: NatsConnection;
  let reader: ReportReader;

  beforeAll(async () => {
    setSubjectNamespace(namespace);
    process.env.LOG_LEVEL = 'error';
    nc = await natsConnection();
    reader = await ReportReader.open(nc);
  });

  afterAll(async () => {
    await reader?.close();
    await nc?.close();
    await rm(work, { recursive: true, force: true });
  });

  /** Runs `hosts` jobs of 3 stages × 3 tasks through a fresh simulating pool; returns the terminal report per task. */
  async function simulate(
    run: string,
    hosts: number,
    flags: string[],
  ): Promise<{
    terminal: Map<string, TaskReportDto>;
    dispatcher: FakeDispatcher;
    executor: InProcessExecutor;
  }> {
    const dispatcher = new FakeDispatcher(nc, run).listen();
    const executor = await InProcessExecutor.start([
      '--pool',
      '--simulate',
      '--state-dir',
      path.join(work, run),
      '--executor-id',
      run,
      ...flags,
    ]);
    const ids: string[] = [];
    const jobs = Array.from({ length: hosts }, (_, h) => {
      const host = `node-${h}`;
      const stages = ['stop', 'uprpm', 'start'].map((action) =>
        ['nova', 'neutron', 'cinder'].map((c) =>
          task(run, host, `${host}_${c}_${action}`, action, { target: c }),
        ),
      );
      ids.push(...stages.flat().map((t) => t.task));
      return job(run, host, `${run}-${host}`, stages, true);
    });
    const acks = await Promise.all(jobs.map((j) => sendJob(nc, j)));
    expect(acks.every((a) => 'accepted' in a && a.accepted && !a.duplicate)).toBe(true);
    await eventually(() => dispatcher.ends.length === hosts, `${hosts} job ends`, 120_000);
    const terminal = await reader.terminal(run, ids, 60_000);
    await executor.stop();
    dispatcher.stop();
    return { terminal, dispatcher, executor };
  }

  it('runs a thousand simulated nodes and reports every task exactly once', async () => {
    const run = 'sim-1000';
    const { terminal, executor, dispatcher } = await simulate(run, 1000, [
      '--task-ms',
      '20',
      '--task-ms-jitter',
      '10',
      '--seed',
      '7',
    ]);
    expect(terminal.size).toBe(9000);
    expect([...terminal.values()].every((r) => r.state === TaskState.Succeeded)).toBe(true);
    // Short simulated tasks send only their terminal report (with startedAt): one report per task.
    expect(reader.of(run)).toHaveLength(9000);
    expect([...terminal.values()].every((r) => r.startedAt !== null && r.endedAt !== null)).toBe(
      true,
    );
    expect(executor.stats.snapshot()).toEqual({
      executor: run,
      jobs: 1000,
      tasksStarted: 9000,
      reportsSent: 9000,
      // Simulated tasks this short send only their end: every report is terminal.
      terminalReportsSent: 9000,
      duplicateExecutions: 0,
      duplicateJobs: 0,
      running: 0,
    });
    expect(dispatcher.gates).toHaveLength(2000);
    // Many reports share a message.
    expect(reader.batches.filter((b) => b.executor === run).length).toBeLessThan(1000);
  });

  it('fails the same tasks for the same seed, and skips what follows them', async () => {
    const flags = [
      '--task-ms',
      '0',
      '--fail-rate',
      '0.05',
      '--fail-tasks',
      'node-3_nova_stop',
      '--seed',
      '42',
    ];
    const first = await simulate('sim-seed-a', 200, flags);
    const second = await simulate('sim-seed-b', 200, flags);
    const failedOf = (t: Map<string, TaskReportDto>) =>
      [...t.values()]
        .filter((r) => r.state === TaskState.Failed)
        .map((r) => r.task)
        .sort();
    expect(failedOf(first.terminal)).toEqual(failedOf(second.terminal));
    expect(failedOf(first.terminal)).toContain('node-3_nova_stop');
    expect(failedOf(first.terminal).length).toBeGreaterThan(20);
    // node-3 failed in stage 0: its later stages never started.
    for (const id of ['node-3_nova_uprpm', 'node-3_cinder_start'])
      expect(first.terminal.get(id)?.state).toBe(TaskState.Skipped);
    const end = first.dispatcher.ends.find((e) => e.host === 'node-3');
    expect(end?.failed).toContain('node-3_nova_stop');
    expect(end?.skipped).toHaveLength(6);
  });
});
