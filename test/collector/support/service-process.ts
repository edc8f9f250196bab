import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const LOADER = path.join(__dirname, '..', '..', 'support', 'register-ts.js');

/**
 * A Ferry service as the operator runs it: its own process started from `apps/<app>/src/main.ts`,
 * with its own database and subject namespace. Resolves once the service logs that it is ready.
 */
export class ServiceProcess {
  readonly logs: string[] = [];
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    readonly app: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      }),
    );
    const collect = (chunk: Buffer) =>
      this.logs.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  static async start(
    app: string,
    env: { databaseUrl: string; namespace: string },
  ): Promise<ServiceProcess> {
    const child = spawn(process.execPath, [LOADER, `apps/${app}/src/main.ts`], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.databaseUrl,
        FERRY_NAMESPACE: env.namespace,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(app, child);
    await service.waitForLog(/"msg":"ready"/);
    return service;
  }

  async waitForLog(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.logs.find((l) => pattern.test(l));
      if (line) return line;
      if (this.exit || Date.now() > deadline) {
        const why = this.exit ? `exited (${this.exit.code ?? this.exit.signal})` : 'timed out';
        throw new Error(
          `${this.app} ${why} before logging ${pattern}:\n${this.logs.slice(-40).join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGTERM, then the exit (what a rolling restart does). */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exit) this.child.kill('SIGTERM');
    await this.exited;
    return this.exit as { code: number | null; signal: NodeJS.Signals | null };
  }
}
