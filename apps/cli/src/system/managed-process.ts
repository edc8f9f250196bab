import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface StartOptions {
  readonly env: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  readonly cwd?: string;
}

/** Children still running, killed outright if this process exits without stopping them. */
const live = new Set<ManagedProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.killGroup('SIGKILL');
  });
}

/**
 * A child process `ferry up` owns: output to a log file, its own process group (so a Ctrl-C in the
 * terminal reaches the supervisor only, which then stops everything in order), and a stop that
 * asks first (SIGTERM) and insists after a grace period (SIGKILL to the whole group, so no task
 * script is left behind).
 */
export class ManagedProcess {
  readonly exit: Promise<ProcessExit>;
  private exited: ProcessExit | null = null;
  stopping = false;

  private constructor(
    readonly name: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    this.exit = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exited) return;
        this.exited = { code, signal };
        live.delete(this);
        resolve(this.exited);
      };
      child.once('exit', done);
      // A spawn failure (ENOENT) emits 'error' and never 'exit'.
      child.once('error', () => done(null, null));
    });
  }

  static start(
    name: string,
    command: string,
    args: readonly string[],
    options: StartOptions,
  ): ManagedProcess {
    installExitHook();
    mkdirSync(dirname(options.logFile), { recursive: true });
    const fd = openSync(options.logFile, 'a');
    writeSync(
      fd,
      `--- ${new Date().toISOString()} ferry: starting ${name}: ${command} ${args.join(' ')}\n`,
    );
    try {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', fd, fd],
        detached: true,
      });
      const managed = new ManagedProcess(name, options.logFile, child);
      live.add(managed);
      return managed;
    } finally {
      closeSync(fd); // the child holds its own copy
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exited === null;
  }

  get exitStatus(): ProcessExit | null {
    return this.exited;
  }

  /** Signals the child's whole process group (the child and whatever it started). */
  killGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || this.exited) return;
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
  async stop(graceMs: number): Promise<ProcessExit> {
    this.stopping = true;
    if (this.exited) return this.exited;
    try {
      this.child.kill('SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.killGroup('SIGKILL'), graceMs);
    try {
      const exit = await this.exit;
      // Anything the child left in its group (a task script) goes with it.
      this.killGroupAfterExit();
      return exit;
    } finally {
      clearTimeout(timer);
    }
  }

  private killGroupAfterExit(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // no group left: the usual case
    }
  }
}

/** `exit code 1`, `signal SIGKILL`: how a child ended, for people. */
export function describeExit(exit: ProcessExit | null): string {
  if (!exit) return 'still running';
  if (exit.signal) return `killed by ${exit.signal}`;
  if (exit.code === null) return 'could not be started';
  return `exit code ${exit.code}`;
}
