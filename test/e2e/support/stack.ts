import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ManagedProcess } from '../../../apps/cli/src/system/managed-process';
import { serviceEntry, type ServiceName } from '../../../apps/cli/src/system/locate';
import { freePort } from '../../../apps/cli/src/system/ports';
import { waitForHealth } from '../../../apps/cli/src/system/health';
import { freshDatabase, testNamespace } from '../../support/database';

const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');

export interface ExecutorOptions {
  /** Script folder (real processes), or simulation flags. */
  readonly scripts?: string;
  readonly args?: readonly string[];
}

export interface StackOptions {
  readonly label: string;
  readonly executor: ExecutorOptions;
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** Tokens of the three roles, for 401/403 checks. */
export const TOKENS = {
  admin: `adm-${randomBytes(4).toString('hex')}`,
  operator: `op-${randomBytes(4).toString('hex')}`,
  viewer: `view-${randomBytes(4).toString('hex')}`,
};

/**
 * The whole system for one test file: every service a real child process from `dist/`, on the
 * machine's NATS and PostgreSQL, with a fresh database and a namespace of its own, so services can
 * be killed and restarted mid-run the way an operator's machine would lose them.
 */
export class Stack {
  readonly processes = new Map<ServiceName, ManagedProcess>();
  private constructor(
    readonly dir: string,
    readonly apiUrl: string,
    readonly namespace: string,
    readonly dataSource: DataSource,
    private readonly env: NodeJS.ProcessEnv,
    private readonly executor: ExecutorOptions,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async start(options: StackOptions): Promise<Stack> {
    if (!existsSync(serviceEntry(DIST, 'orchestrator'))) {
      throw new Error(
        'the end-to-end tests run the compiled services: run `npm run build` first (npm test does)',
      );
    }
    const dir = mkdtempSync(join(tmpdir(), `ferry-e2e-${options.label}-`));
    const namespace = testNamespace(options.label);
    const database = await freshDatabase(options.label);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NATS_URL: process.env.NATS_URL,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '4',
      FERRY_NAMESPACE: namespace,
      FERRY_PORT: String(port),
      FERRY_TOKENS: `admin:${TOKENS.admin},operator:${TOKENS.operator},viewer:${TOKENS.viewer}`,
      FERRY_STATE_DIR: join(dir, 'state'),
      LOG_LEVEL: 'info',
    };
    const stack = new Stack(
      dir,
      `http://127.0.0.1:${port}`,
      namespace,
      database.dataSource,
      env,
      options.executor,
      database.drop,
    );
    for (const service of [
      'collector',
      'slicer',
      'status-receiver',
      'dispatcher',
      'node-executor',
      'orchestrator',
    ] as const)
      stack.start(service);
    const health = await waitForHealth(stack.apiUrl, 60_000);
    if (!health.ok)
      throw new Error(
        `the stack did not become healthy (${health.detail}); logs in ${join(dir, 'logs')}`,
      );
    return stack;
  }

  start(service: ServiceName): ManagedProcess {
    const args =
      service === 'node-executor'
        ? [
            '--pool',
            '--state-dir',
            join(this.dir, 'state', 'executor'),
            '--heartbeat-s',
            '1',
            ...(this.executor.args ?? []),
          ]
        : [];
    const env =
      service === 'node-executor' && this.executor.scripts
        ? { ...this.env, FERRY_SCRIPTS: this.executor.scripts }
        : this.env;
    const process = ManagedProcess.start(service, 'node', [serviceEntry(DIST, service), ...args], {
      env,
      logFile: join(this.dir, 'logs', `${service}.log`),
      cwd: ROOT,
    });
    this.processes.set(service, process);
    return process;
  }

  /** `kill -9` (or another signal) of one service; resolves when it is gone. */
  async kill(service: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.processes.get(service);
    if (!p) return;
    p.killGroup(signal);
    await p.exit;
  }

  log(service: ServiceName): string {
    const file = join(this.dir, 'logs', `${service}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = TOKENS.admin,
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // plain text (plan review, mermaid)
    }
    return { status: response.status, body: parsed as T };
  }

  /** Like `request`, but fails the test with the API's own error when the status is not the expected one. */
  async ok<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    expected = [200, 201],
  ): Promise<T> {
    const response = await this.request<T>(method, path, body);
    if (!expected.includes(response.status))
      throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop(5000)));
    await this.dropDatabase();
    if (!process.env.FERRY_KEEP_E2E) rmSync(this.dir, { recursive: true, force: true });
  }
}
