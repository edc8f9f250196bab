import type { Consumer, ConsumerMessages, JsMsg } from 'nats';
import pino from 'pino';
import { ReportPump, type PumpOptions } from './report-pump';

/**
 * A stand-in for a JetStream pull consumer: messages are pushed by the test, and stop() ends the
 * iteration after what was already pushed, as nats.js does. (The real consumer is exercised by
 * the integration tests in test/status-receiver.)
 */
class FakeMessages {
  private queue: JsMsg[] = [];
  private waiting: (() => void) | null = null;
  private stopped = false;
  pulled = 0;

  push(...msgs: number[]): void {
    this.queue.push(...msgs.map((n) => ({ seq: n }) as unknown as JsMsg));
    this.waiting?.();
  }

  stop(): void {
    this.stopped = true;
    this.waiting?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<JsMsg> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        this.pulled++;
        yield next;
        continue;
      }
      if (this.stopped) return;
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = null;
    }
  }
}

const logger = pino({ level: 'silent' });
const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: Partial<PumpOptions> = {}, weight = (n: number) => n % 10 || 1) {
  const messages = new FakeMessages();
  const consumer = {
    consume: async () => messages as unknown as ConsumerMessages,
  } as unknown as Consumer;
  const written: number[][] = [];
  let running = 0;
  let maxRunning = 0;
  let gate: Promise<void> = Promise.resolve();
  const pump = new ReportPump<number>(
    consumer,
    {
      accept: (msg) => (msg.seq < 0 ? null : msg.seq),
      weight,
      write: async (batch) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await gate;
        written.push(batch);
        running--;
      },
    },
    {
      pullBytes: 1024,
      maxInHandMessages: 1000,
      maxInHandReports: 1000,
      maxBatchReports: 1000,
      writers: 2,
      ...options,
    },
    logger,
  );
  return {
    messages,
    pump,
    written,
    maxRunning: () => maxRunning,
    /** Holds every write until the returned function is called. */
    hold: () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => release();
    },
  };
}

describe('ReportPump', () => {
  it('writes every accepted message once, skipping the ones accept settled itself', async () => {
    const { messages, pump, written } = setup();
    pump.start();
    messages.push(1, -1, 2, 3);
    await tick();
    messages.push(4, -2, 5);
    await pump.stop();
    expect(written.flat().sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('runs at most `writers` writes at once and keeps each within the report limit', async () => {
    const { messages, pump, written, maxRunning, hold } = setup(
      { maxBatchReports: 10, writers: 2 },
      () => 3,
    );
    const release = hold();
    pump.start();
    for (let i = 1; i <= 40; i++) messages.push(i);
    await tick();
    await tick();
    release();
    await pump.stop();
    expect(maxRunning()).toBe(2);
    expect(written.flat()).toHaveLength(40);
    for (const batch of written) expect(batch.length * 3).toBeLessThanOrEqual(10);
  });

  it('stops reading while the in-hand limit is reached, and reads on once writes settle', async () => {
    const { messages, pump, written, hold } = setup({
      maxInHandMessages: 5,
      maxInHandReports: 1000,
    });
    const release = hold();
    pump.start();
    for (let i = 1; i <= 20; i++) messages.push(i);
    for (let i = 0; i < 10; i++) await tick();
    expect(messages.pulled).toBe(5);
    release();
    await pump.stop();
    expect(messages.pulled).toBe(20);
    expect(written.flat().sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('on stop, writes what it holds before it resolves', async () => {
    const { messages, pump, written, hold } = setup();
    const release = hold();
    pump.start();
    messages.push(1, 2, 3);
    await tick();
    let stopped = false;
    const stopping = pump.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(written.flat().sort()).toEqual([1, 2, 3]);
  });
});
