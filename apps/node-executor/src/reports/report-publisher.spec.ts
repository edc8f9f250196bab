import pino from 'pino';
import { decodeMessage, ReportBatchDto, TaskState } from '@ferry/contracts';
import { ExecutorStats } from '../stats/executor-stats';
import { HostSequence } from './host-sequence';
import { ReportPublisher, type PublisherOptions } from './report-publisher';
import { skippedReport, type UnnumberedReport } from './task-reports';

interface Published {
  subject: string;
  data: Uint8Array;
  msgID: string;
}

/** A JetStream stand-in for the unit tier: records publishes, fails the first `failures` of them. */
function fakeJetStream(failures = 0) {
  const published: Published[] = [];
  let calls = 0;
  return {
    published,
    publish: async (subject: string, data?: Uint8Array, options?: { msgID?: string }) => {
      calls++;
      if (calls <= failures) throw new Error('timeout');
      published.push({ subject, data: data as Uint8Array, msgID: options?.msgID as string });
      return { stream: 'S', seq: published.length, duplicate: false };
    },
  };
}

const report = (i: number, run = 'r1', output = ''): UnnumberedReport => ({
  run,
  task: `t${i}`,
  attempt: 1,
  host: `h${i % 3}`,
  state: TaskState.Succeeded,
  exitCode: 0,
  startedAt: null,
  endedAt: null,
  output,
});
const options: PublisherOptions = {
  flushMs: 10,
  maxMessageBytes: 512 * 1024,
  maxInFlight: 4,
  publishTimeoutMs: 1000,
};
const logger = pino({ level: 'silent' });

describe('ReportPublisher', () => {
  it('puts many reports in one valid ReportBatchDto per run, each numbered', async () => {
    const js = fakeJetStream();
    const stats = new ExecutorStats('ex-1');
    const publisher = new ReportPublisher(js, 'ex-1', new HostSequence(), stats, logger, options);
    for (let i = 0; i < 100; i++) publisher.add(report(i));
    publisher.add(report(0, 'r2'));
    expect(await publisher.drain(1000)).toBe(true);
    expect(js.published.map((p) => p.subject).sort()).toEqual([
      'ferry.status.r1',
      'ferry.status.r2',
    ]);
    const batch = decodeMessage(
      ReportBatchDto,
      js.published.find((p) => p.subject === 'ferry.status.r1')?.data,
    );
    if (!batch.ok) throw new Error(batch.error.message);
    expect(batch.value.executor).toBe('ex-1');
    expect(batch.value.reports.map((r) => r.task)).toEqual(
      Array.from({ length: 100 }, (_, i) => `t${i}`),
    );
    const seqs = batch.value.reports.filter((r) => r.host === 'h0').map((r) => r.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(stats.reportsSent).toBe(101);
    expect(publisher.pending).toBe(0);
  });

  it('starts a new message before one would pass the size limit', async () => {
    const js = fakeJetStream();
    const publisher = new ReportPublisher(
      js,
      'ex',
      new HostSequence(),
      new ExecutorStats('ex'),
      logger,
      { ...options, maxMessageBytes: 200 * 1024 },
    );
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 10; i++) publisher.add(report(i, 'r1', big));
    await publisher.drain(1000);
    expect(js.published.length).toBe(4);
    expect(Math.max(...js.published.map((p) => p.data.length))).toBeLessThanOrEqual(200 * 1024);
    const tasks = js.published.flatMap((p) =>
      (JSON.parse(Buffer.from(p.data).toString()) as ReportBatchDto).reports.map((r) => r.task),
    );
    expect(tasks).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));
  });

  it('keeps a message under 1 MiB even when outputs need escaping', async () => {
    const js = fakeJetStream();
    const publisher = new ReportPublisher(
      js,
      'ex',
      new HostSequence(),
      new ExecutorStats('ex'),
      logger,
    );
    const controlChars = '\u0001'.repeat(64 * 1024); // 6 bytes each once JSON-escaped
    for (let i = 0; i < 8; i++) publisher.add(report(i, 'r1', controlChars));
    await publisher.drain(1000);
    expect(Math.max(...js.published.map((p) => p.data.length))).toBeLessThan(1024 * 1024);
  });

  it('retries a failed publish with the same msgID and never drops the report', async () => {
    const js = fakeJetStream(2);
    const stats = new ExecutorStats('ex');
    const publisher = new ReportPublisher(js, 'ex', new HostSequence(), stats, logger, options);
    publisher.add(
      skippedReport(
        {
          task: 't',
          run: 'r1',
          attempt: 1,
          host: 'h',
          target: 'x',
          action: 'a',
          mode: null,
          from: null,
          to: null,
          release: null,
          rpms: [],
          timeout_s: 1,
        },
        'halted',
      ),
    );
    expect(await publisher.drain(5000)).toBe(true);
    expect(js.published).toHaveLength(1);
    expect(js.published[0].msgID).toMatch(/^ex:\d+$/);
    expect(stats.reportsSent).toBe(1);
  });

  it('gives every message its own msgID', async () => {
    const js = fakeJetStream();
    const publisher = new ReportPublisher(
      js,
      'ex',
      new HostSequence(),
      new ExecutorStats('ex'),
      logger,
      { ...options, maxMessageBytes: 1024 },
    );
    for (let i = 0; i < 50; i++) publisher.add(report(i, `r${i % 5}`, 'y'.repeat(300)));
    await publisher.drain(1000);
    expect(new Set(js.published.map((p) => p.msgID)).size).toBe(js.published.length);
    expect(js.published.length).toBeGreaterThan(5);
  });
});
