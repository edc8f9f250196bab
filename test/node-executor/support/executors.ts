import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { ExecutorStats, parseExecutorArgs, startExecutor } from '../../../apps/node-executor/src';
import { eventually } from './eventually';

const ROOT = path.resolve(__dirname, '../../..');
const CHILD = path.join(__dirname, 'executor-child.js');

export async function natsConnection(): Promise<NatsConnection> {
  return connect({ servers: process.env.NATS_URL });
}

/** An executor in this test process: the same Nest application main.ts starts. */
export class InProcessExecutor {
  private constructor(readonly app: INestApplicationContext) {}

  static async start(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<InProcessExecutor> {
    return new InProcessExecutor(
      await startExecutor(parseExecutorArgs(argv, { ...process.env, ...env })),
    );
  }

  get stats(): ExecutorStats {
    return this.app.get(ExecutorStats);
  }

  /** What SIGTERM does: graceful shutdown. */
  stop(): Promise<void> {
    return this.app.close();
  }
}

/** An executor in its own process, started from the TypeScript sources (see executor-child.js). */
export class ExecutorProcess {
  readonly logs: string[] = [];
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

  /** Spawns without waiting (for flag errors). */
  static spawn(argv: string[], env: NodeJS.ProcessEnv): ExecutorProcess {
    const child = spawn(process.execPath, [CHILD, ...argv], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ExecutorProcess(child);
  }

  static async start(argv: string[], env: NodeJS.ProcessEnv): Promise<ExecutorProcess> {
    const executor = ExecutorProcess.spawn(argv, env);
    await executor.waitForLog(/node executor ready/);
    return executor;
  }

  async waitForLog(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    let exit: string | undefined;
    void this.exited.then(({ code, signal }) => (exit = `${code ?? signal}`));
    return eventually(
      () => {
        const line = this.logs.find((l) => pattern.test(l));
        if (line) return line;
        if (exit !== undefined)
          throw new Error(
            `executor exited (${exit}) before logging ${pattern}:\n${this.logs.slice(-30).join('\n')}`,
          );
        return undefined;
      },
      `executor log ${pattern}`,
      timeoutMs,
    );
  }

  async signal(
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
