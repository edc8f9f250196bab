import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { TaskState, type TaskSpecDto } from '@ferry/contracts';
import type { TaskHooks, TaskOutcome, TaskRunner } from '../jobs/task-runner';
import { OutputTail } from './output-tail';
import { resolveScript } from './resolve-script';
import { scriptEnv } from './script-env';

/** After the script exits, how long its pipes may stay open (a daemon it started may hold them). */
const CLOSE_WAIT_MS = 500;
/** At shutdown, how long a script has between SIGTERM and SIGKILL (the grace is already spent). */
const SHUTDOWN_KILL_MS = 1000;

export interface ScriptRunnerOptions {
  readonly scriptsDir: string;
  readonly killGraceMs: number;
  /** The environment scripts inherit from (filtered by scriptEnv). */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

interface Running {
  readonly child: ChildProcess;
  readonly tail: OutputTail;
  stopReason: string | null;
}

/** Signals the whole process group: a script's own children must stop with it. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number | null {
  if (code !== null) return code;
  // Like a shell: death by signal N is 128 + N.
  return signal ? 128 + (constants.signals[signal] ?? 0) : null;
}

function spawnProblem(path: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EACCES':
      return `script ${path} is not executable (chmod +x it)`;
    case 'ENOEXEC':
      return `script ${path} cannot be executed: does it start with a #! line?`;
    case 'ENOENT':
      return `script ${path} cannot be executed: its interpreter (#! line) was not found`;
    default:
      return `script ${path} could not start: ${e.message}`;
  }
}

/**
 * Runs a task's script: `spawn(path, [], { shell: false })` with the task's context in environment
 * variables only, stdout+stderr tail kept, a timeout that sends SIGTERM and, after the grace
 * period, SIGKILL to the script's process group. Exit 0 is success; anything else a failure.
 */
export class ScriptRunner implements TaskRunner {
  private readonly running = new Set<Running>();

  constructor(private readonly options: ScriptRunnerOptions) {}

  get count(): number {
    return this.running.size;
  }

  async run(spec: TaskSpecDto, hooks: TaskHooks): Promise<TaskOutcome> {
    const startedAt = new Date().toISOString();
    const lookup = await resolveScript(this.options.scriptsDir, spec.target, spec.action);
    if (!lookup.ok)
      return {
        state: TaskState.Failed,
        exitCode: null,
        output: lookup.message,
        startedAt,
        endedAt: new Date().toISOString(),
      };
    return this.spawnScript(lookup.path, spec, hooks, startedAt);
  }

  stopAll(reason: string): void {
    for (const entry of this.running) {
      if (entry.stopReason) continue;
      entry.stopReason = reason;
      signalGroup(entry.child, 'SIGTERM');
      setTimeout(() => signalGroup(entry.child, 'SIGKILL'), SHUTDOWN_KILL_MS).unref();
    }
  }

  private spawnScript(
    path: string,
    spec: TaskSpecDto,
    hooks: TaskHooks,
    startedAt: string,
  ): Promise<TaskOutcome> {
    return new Promise((resolve) => {
      const tail = new OutputTail();
      let child: ChildProcess;
      try {
        // detached: the script leads its own process group, so a timeout can stop all of it.
        child = spawn(path, [], {
          shell: false,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: scriptEnv(spec, this.options.baseEnv),
        });
      } catch (e) {
        resolve({
          state: TaskState.Failed,
          exitCode: null,
          output: spawnProblem(path, e as NodeJS.ErrnoException),
          startedAt,
          endedAt: new Date().toISOString(),
        });
        return;
      }
      const entry: Running = { child, tail, stopReason: null };
      this.running.add(entry);
      let timedOut = false;
      let settled = false;
      let killTimer: NodeJS.Timeout | null = null;
      const timeoutTimer = setTimeout(() => {
        timedOut = true;
        tail.push(
          `\n[ferry] timed out after ${spec.timeout_s} s: SIGTERM, SIGKILL after ${this.options.killGraceMs / 1000} s\n`,
        );
        signalGroup(child, 'SIGTERM');
        killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), this.options.killGraceMs);
      }, spec.timeout_s * 1000);

      const finish = (
        outcome: Omit<TaskOutcome, 'startedAt' | 'endedAt' | 'output'>,
        note?: string,
      ) => {
        if (settled) return;
        settled = true;
        clearTimeout(timeoutTimer);
        if (killTimer) clearTimeout(killTimer);
        this.running.delete(entry);
        if (note) tail.push(note);
        resolve({ ...outcome, output: tail.text(), startedAt, endedAt: new Date().toISOString() });
      };

      child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
      child.once('spawn', () => hooks.onStarted(startedAt));
      child.once('error', (e: NodeJS.ErrnoException) => {
        // Spawn failures (EACCES, ENOEXEC…) arrive here without an exit.
        if (child.pid === undefined)
          finish({ state: TaskState.Failed, exitCode: null }, spawnProblem(path, e));
      });
      child.once('exit', (code, signal) => {
        const exitCode = exitCodeOf(code, signal);
        // A script interrupted by shutdown did not finish its work, whatever it exited with.
        const state = timedOut
          ? TaskState.TimedOut
          : entry.stopReason
            ? TaskState.Failed
            : code === 0
              ? TaskState.Succeeded
              : TaskState.Failed;
        const note = entry.stopReason
          ? `\n[ferry] ${entry.stopReason}: script stopped\n`
          : undefined;
        const done = () => finish({ state, exitCode }, note);
        // Wait for the pipes to drain, but not for a daemon the script left holding them.
        const fallback = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          done();
        }, CLOSE_WAIT_MS);
        child.once('close', () => {
          clearTimeout(fallback);
          done();
        });
      });
    });
  }
}
