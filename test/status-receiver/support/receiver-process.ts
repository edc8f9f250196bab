import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const LOADER = path.join(__dirname, '..', '..', 'support', 'register-ts.js');

/**
 * The status receiver as the operator runs it: its own process, started from apps/status-receiver/src/main.ts,
 * so tests can kill it, SIGTERM it and start it again against the same stream and database.
 */
export class ReceiverProcess {
  readonly logs: string[] = [];
  /** How the process ended: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const collect = (chunk: Buffer) =>
      this.logs.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  static async start(env: { databaseUrl: string; namespace: string }): Promise<ReceiverProcess> {
    const child = spawn(process.execPath, [LOADER, 'apps/status-receiver/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.databaseUrl,
        FERRY_NAMESPACE: env.namespace,
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const receiver = new ReceiverProcess(child);
    await receiver.waitForLog(/receiving task reports/);
    return receiver;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves when a log line matches (the receiver logs pino JSON lines). */
  async waitForLog(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let exit: string | undefined;
    void this.exited.then(({ code, signal }) => (exit = `${code ?? signal}`));
    for (;;) {
      const line = this.logs.find((l) => pattern.test(l));
      if (line) return line;
      if (exit !== undefined || Date.now() > deadline) {
        throw new Error(
          `receiver ${exit !== undefined ? `exited (${exit})` : 'timed out'} before logging ${pattern}:\n${this.logs.slice(-40).join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends a signal (unless the process has ended) and resolves when it has ended. */
  async signal(
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
