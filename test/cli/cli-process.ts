import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import { Streams, setSubjectNamespace, subjectNamespace } from '@ferry/contracts/subjects/subjects';

/** The compiled CLI: the tests drive `ferry` exactly as an operator would. */
export const CLI = resolve(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

export function requireBuilt(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npm run build\` before the CLI tests`);
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `ferry ARGS` as a child process and collects its output and exit code. */
export function ferry(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 120_000,
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `ferry ${args.join(' ')} did not end within ${timeoutMs} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** A long-running `ferry` (up): output so far, and a way to wait for a line. */
export class FerryProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly closed: Promise<number | null>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (c) => (this.stdout += c));
    this.child.stderr?.on('data', (c) => (this.stderr += c));
    this.closed = new Promise((r) => this.child.on('close', (code) => r(code)));
  }

  /** Resolves once stdout matches, rejects if the process ends first or the wait is too long. */
  async waitFor(pattern: RegExp, timeoutMs = 150_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.closed.then(() => (ended = true));
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (ended || Date.now() > deadline) {
        throw new Error(
          `no ${pattern} in the output of ferry (${ended ? 'it ended' : 'timed out'}):\n${this.stdout}\n${this.stderr}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const made: string[] = [];

/** A fresh folder for one test (state dirs, scripts), removed by `removeTempDirs`. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ferry-cli-${label}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Deletes a namespace's status stream from the shared NATS (tests leave nothing behind). */
export async function deleteStatusStream(natsUrl: string, namespace: string): Promise<void> {
  const previous = subjectNamespace();
  setSubjectNamespace(namespace);
  const name = Streams.status().name;
  setSubjectNamespace(previous);
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}

/** A port nothing listens on (bound, then let go). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((r) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => r(port));
    });
  });
}

/** The parts of the CLI's `RunningSystem` the tests use. */
export interface StartedSystem {
  readonly apiUrl: string;
  readonly token: string;
  stop(): Promise<void>;
}

/**
 * `startSystem` of the CLI, as built: the supervisor `ferry up`, `ferry demo` and these tests share
 * (loaded from dist/ like the services it starts, since tests reach apps only through the build).
 */
export async function startSystem(options: Record<string, unknown>): Promise<StartedSystem> {
  const modulePath = resolve(
    __dirname,
    '..',
    '..',
    'dist',
    'apps',
    'cli',
    'src',
    'system',
    'start-system.js',
  );
  const loaded = (await import(modulePath)) as {
    startSystem: (o: Record<string, unknown>) => Promise<StartedSystem>;
  };
  return loaded.startSystem(options);
}
