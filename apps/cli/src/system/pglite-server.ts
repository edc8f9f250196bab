import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';

/** Message types that end what a client sends before it waits for an answer. */
const SYNC = 0x53; // 'S': end of an extended-protocol exchange (Parse/Bind/Describe/Execute…)
const QUERY = 0x51; // 'Q': a simple query, complete in itself
const TERMINATE = 0x58; // 'X'
const FLUSH = 0x48; // 'H': the client waits for output without a Sync (cursors)
const STARTUP = 0x00; // startup and SSL requests carry no type byte; their length starts with 0

function endsExchange(message: Uint8Array): boolean {
  const type = message[0];
  return (
    type === SYNC || type === QUERY || type === TERMINATE || type === FLUSH || type === STARTUP
  );
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

interface Exchange {
  readonly handler: number;
  readonly message: Uint8Array;
  readonly onData: (data: Uint8Array) => void;
  readonly resolve: (bytes: number) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Puts the connections of the embedded PostgreSQL through its one backend, one whole exchange at
 * a time. pglite-socket's own queue takes single protocol messages, so the Parse of one connection
 * can land between the Parse and the Bind of another, which then binds the wrong (unnamed)
 * statement: wrong rows, or "unnamed prepared statement does not exist" (seen with large `unnest`
 * arrays, whose Bind spans several TCP reads). Here a connection's messages are held until its
 * Sync (or a simple Query) and run together; and while a connection is inside a transaction, only
 * it runs (as pglite-socket does).
 */
export class ExchangeQueue {
  private readonly pending = new Map<number, Uint8Array[]>();
  private readonly ready: Exchange[] = [];
  /** The connection inside a transaction block, which alone may run until it leaves it. */
  private owner: number | null = null;
  private running = false;

  constructor(private readonly db: PGlite) {}

  /** Called by PGLiteSocketHandler for every message, in order, awaiting each. */
  enqueue(
    handler: number,
    message: Uint8Array,
    onData: (data: Uint8Array) => void,
  ): Promise<number> {
    const held = this.pending.get(handler) ?? [];
    held.push(message);
    if (!endsExchange(message)) {
      this.pending.set(handler, held);
      return Promise.resolve(0);
    }
    this.pending.delete(handler);
    return new Promise((resolve, reject) => {
      this.ready.push({ handler, message: concat(held), onData, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index =
          this.owner === null ? 0 : this.ready.findIndex((e) => e.handler === this.owner);
        if (index < 0 || !this.ready.length) return;
        const [exchange] = this.ready.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(exchange.message, {
              onRawData: (data) => {
                bytes += data.length;
                exchange.onData(data);
              },
            }),
          );
          exchange.resolve(bytes);
        } catch (e) {
          exchange.reject(e as Error);
        }
        this.owner = this.db.isInTransaction() ? exchange.handler : null;
      }
    } finally {
      this.running = false;
    }
  }

  getQueueLength(): number {
    return this.ready.length;
  }

  /** The connection went away: forget what it sent but did not finish. */
  clearQueueForHandler(handler: number): void {
    this.pending.delete(handler);
    for (let i = this.ready.length - 1; i >= 0; i--) {
      if (this.ready[i].handler !== handler) continue;
      this.ready.splice(i, 1)[0].reject(new Error('connection closed'));
    }
  }

  /** …and roll back the transaction it left open, so the others can run again. */
  async clearTransactionIfNeeded(handler: number): Promise<void> {
    if (this.owner !== handler) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    await this.pump();
  }
}

/**
 * A TCP front for PGlite: pglite-socket's protocol handler per connection, with the exchange
 * queue above in place of its own, and at most `maxConnections` connections (more are refused
 * with a PostgreSQL error, "too many clients").
 */
export class PGliteServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly queue: ExchangeQueue;

  constructor(
    db: PGlite,
    private readonly maxConnections: number,
  ) {
    this.queue = new ExchangeQueue(db);
  }

  async start(host = '127.0.0.1', port = 0): Promise<number> {
    const { PGLiteSocketHandler } = await import('@electric-sql/pglite-socket');
    const queryQueue = this.queue as unknown as PGLiteSocketHandlerOptions['queryQueue'];
    const server = createServer((socket) => {
      if (this.sockets.size >= this.maxConnections) {
        socket.end(tooManyClients());
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
      handler.attach(socket).catch(() => socket.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** An ErrorResponse (SQLSTATE 53300, too_many_connections) a client reports as such. */
function tooManyClients(): Buffer {
  const fields = Buffer.from('SFATAL\0C53300\0Msorry, too many clients already\0\0', 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0, 'ascii');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}
