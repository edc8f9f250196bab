import type { HeartbeatDto } from '@ferry/contracts';
import { HeartbeatBuffer } from './heartbeat-buffer';

const beat = (
  host: string,
  executor = 'pool-1',
  running: HeartbeatDto['running'] = [],
): HeartbeatDto => ({ host, executor, running, at: '2025-01-01T00:00:00Z' });

describe('HeartbeatBuffer', () => {
  it('keeps the latest sighting per host', () => {
    const buffer = new HeartbeatBuffer();
    buffer.add(beat('n1', 'e1'), new Date(1000));
    buffer.add(beat('n1', 'e2', [{ run: 'r', task: 't', attempt: 2 }]), new Date(2000));
    buffer.add(beat('n2'), new Date(1500));
    expect(buffer.take()).toEqual([
      {
        host: 'n1',
        executor: 'e2',
        seenAt: new Date(2000).toISOString(),
        running: [{ run: 'r', task: 't', attempt: 2 }],
      },
      { host: 'n2', executor: 'pool-1', seenAt: new Date(1500).toISOString(), running: [] },
    ]);
    expect(buffer.size).toBe(0);
  });

  it('puts back a failed flush without hiding newer heartbeats', () => {
    const buffer = new HeartbeatBuffer();
    buffer.add(beat('n1', 'old'), new Date(1000));
    buffer.add(beat('n2', 'old'), new Date(1000));
    const failed = buffer.take();
    buffer.add(beat('n1', 'new'), new Date(2000));
    buffer.restore(failed);
    const rows = buffer.take();
    expect(rows.find((r) => r.host === 'n1')?.executor).toBe('new');
    expect(rows.find((r) => r.host === 'n2')?.executor).toBe('old');
  });

  it('refuses a heartbeat PostgreSQL could not store', () => {
    const buffer = new HeartbeatBuffer();
    expect(
      buffer.add(beat('n1', 'e', [{ run: 'r', task: 'a\u0000', attempt: 1 }]), new Date()),
    ).toBe(false);
    expect(buffer.size).toBe(0);
  });
});
