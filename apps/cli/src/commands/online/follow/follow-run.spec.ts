import { ApiClient, type RunDetails } from '../api';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { followRun } from './follow-run';

/**
 * A stand-in gateway on a real local HTTP server: `GET /runs/r1` answers the current `details`,
 * `/runs/r1/events` runs the given script of SSE writes per connection.
 */
function gateway(script: (res: ServerResponse, connection: number, req: IncomingMessage) => void) {
  const state = {
    details: {
      id: 'r1',
      project: 'p',
      state: 'running',
      counts: { pending: 2 },
      batch: { index: 0, total: 2 },
      result: null,
      tasks: 2,
    } as RunDetails,
    connections: 0,
    lastEventIds: [] as (string | undefined)[],
    tasks: [
      { task: 'a', batch: 0, state: 'pending', attempt: 1 },
      { task: 'b', batch: 1, state: 'pending', attempt: 1 },
    ],
  };
  const server: Server = createServer((req, res) => {
    if (req.url === '/runs/r1') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(state.details));
    } else if (req.url?.startsWith('/runs/r1/events')) {
      state.lastEventIds.push(req.headers['last-event-id'] as string | undefined);
      script(res, state.connections++, req);
    } else if (req.url?.startsWith('/runs/r1/tasks')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(state.tasks));
    } else {
      res.statusCode = 404;
      res.end('{"error":"NOT_FOUND","message":"no","problems":[]}');
    }
  });
  return {
    state,
    start: () =>
      new Promise<ApiClient>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(
            new ApiClient({
              baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            }),
          ),
        ),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const sse = (res: ServerResponse, id: number, event: string, data: unknown) =>
  res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

const finished: RunDetails = {
  id: 'r1',
  project: 'p',
  state: 'succeeded',
  counts: { succeeded: 2 },
  batch: { index: 2, total: 2 },
  result: { done: ['a', 'b'], fail: [], undo: [] },
  tasks: 2,
};

describe('followRun', () => {
  const output = () => {
    const lines: string[] = [];
    return {
      out: { isTTY: false, write: (t: string) => lines.push(t) },
      text: () => lines.join(''),
    };
  };

  it('follows the events to the end, a line per batch, and returns the run as stored', async () => {
    const g = gateway((res, _connection) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, 1, 'state', {
        state: 'running',
        batch: { index: 0, total: 2 },
        counts: { pending: 2 },
      });
      sse(res, 2, 'progress', {
        updates: [{ task: 'a', state: 'succeeded', attempt: 1, batch: 0 }],
        batchesEnded: [0],
      });
      sse(res, 3, 'progress', {
        updates: [{ task: 'b', state: 'succeeded', attempt: 1, batch: 1 }],
        batchesEnded: [1],
      });
      g.state.details = finished;
      sse(res, 4, 'state', { state: 'succeeded', batch: null });
    });
    const client = await g.start();
    try {
      const { out, text } = output();
      // A clock that stands still, so the printed durations are known.
      const details = await followRun(client, 'r1', {
        out,
        pollMs: 60_000,
        handleInterrupt: false,
        now: () => 0,
      });
      expect(details.state).toBe('succeeded');
      expect(details.result).toEqual(finished.result);
      expect(text()).toBe(
        'batch 1/2 ended, 1 succeeded (0.0 s)\nbatch 2/2 ended, 1 succeeded (0.0 s)\n',
      );
    } finally {
      await g.stop();
    }
  });

  it('reconnects when the stream drops, sending the last event id', async () => {
    const g = gateway((res, connection) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (connection === 0) {
        sse(res, 1, 'progress', {
          updates: [{ task: 'a', state: 'succeeded', attempt: 1, batch: 0 }],
          batchesEnded: [0],
        });
        res.end(); // the connection drops mid-run
        return;
      }
      g.state.details = finished;
      sse(res, 2, 'state', { state: 'succeeded', batch: null });
    });
    const client = await g.start();
    try {
      const { out, text } = output();
      const details = await followRun(client, 'r1', {
        out,
        pollMs: 60_000,
        handleInterrupt: false,
      });
      expect(details.state).toBe('succeeded');
      expect(g.state.connections).toBe(2);
      expect(g.state.lastEventIds).toEqual([undefined, '1']);
      expect(text()).toContain('batch 1/2 ended, 1 succeeded');
      expect(text()).toContain('batch 2/2 ended');
    } finally {
      await g.stop();
    }
  });

  it('falls back to reading the run when the gateway has no event stream', async () => {
    const g = gateway((res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"NOT_FOUND","message":"no events here","problems":[]}');
      g.state.details = finished;
    });
    const client = await g.start();
    try {
      const { out } = output();
      const details = await followRun(client, 'r1', { out, pollMs: 50, handleInterrupt: false });
      expect(details.state).toBe('succeeded');
      expect(g.state.connections).toBe(1);
    } finally {
      await g.stop();
    }
  });

  it('returns at once for a run that has already ended', async () => {
    const g = gateway(() => {
      throw new Error('no stream expected');
    });
    g.state.details = finished;
    const client = await g.start();
    try {
      const { out, text } = output();
      expect((await followRun(client, 'r1', { out, handleInterrupt: false })).state).toBe(
        'succeeded',
      );
      expect(text()).toBe('');
      expect(g.state.connections).toBe(0);
    } finally {
      await g.stop();
    }
  });
});

describe('followRun through a pause', () => {
  it('says when the run is paused and when it goes on', async () => {
    const g = gateway((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, 1, 'state', { state: 'paused', batch: null });
      sse(res, 2, 'state', { state: 'running', batch: 1 });
      g.state.details = finished;
      g.state.tasks = g.state.tasks.map((t) => ({ ...t, state: 'succeeded' }));
      sse(res, 3, 'state', { state: 'succeeded', batch: null });
    });
    const client = await g.start();
    try {
      const lines: string[] = [];
      const out = { isTTY: false, write: (t: string) => lines.push(t) };
      await followRun(client, 'r1', { out, pollMs: 60_000, handleInterrupt: false, now: () => 0 });
      expect(lines.join('')).toBe(
        // No progress events at all: the batch lines wait for the stored tasks at the end.
        'run paused (ferry resume r1 continues it)\nrun running again\nbatch 1/2 ended, 1 succeeded (0.0 s)\nbatch 2/2 ended, 1 succeeded (0.0 s)\n',
      );
    } finally {
      await g.stop();
    }
  });
});

describe('followRun with events out of order', () => {
  it("announces a batch the dispatcher ended only once the receiver's updates of it are in", async () => {
    const g = gateway((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, 1, 'state', { state: 'running', batch: 1 }); // the dispatcher is quicker…
      setTimeout(() => {
        sse(res, 2, 'progress', {
          updates: [{ task: 'a', state: 'failed', attempt: 1, batch: 0 }],
        });
        sse(res, 3, 'progress', {
          updates: [{ task: 'b', state: 'succeeded', attempt: 1, batch: 1 }],
          batchesEnded: [1],
        });
        g.state.details = finished;
        sse(res, 4, 'state', { state: 'succeeded', batch: null });
      }, 50);
    });
    const client = await g.start();
    try {
      const lines: string[] = [];
      const out = { isTTY: false, write: (t: string) => lines.push(t) };
      await followRun(client, 'r1', { out, pollMs: 60_000, handleInterrupt: false, now: () => 0 });
      expect(lines).toEqual([
        'batch 1/2 ended, 0 succeeded, 1 failed (0.0 s)\n',
        'batch 2/2 ended, 1 succeeded (0.0 s)\n',
      ]);
    } finally {
      await g.stop();
    }
  });
});
