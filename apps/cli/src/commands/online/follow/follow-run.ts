import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiError,
  ApiUnreachable,
  seg,
  type ApiClient,
  readEventStream,
  SseParser,
  type SseEvent,
  type ProgressEvent,
  type RunDetails,
  type StateEvent,
  type TaskAttempt,
} from '../api';
import { LiveArea, type Out } from './live-area';
import { RunProgress } from './progress';
import { batchEndLine, batchLine, runLine } from './render';

export interface FollowOptions {
  /** Where the display goes (stdout); a TTY gets live bars, anything else a line per batch. */
  readonly out: Out;
  /** How often the run itself is read again (the database is the record; events may be missed). */
  readonly pollMs?: number;
  /** How long the API may stay unreachable before following gives up. */
  readonly giveUpMs?: number;
  /** Runs larger than this are not listed up front for per-batch totals. */
  readonly listLimit?: number;
  /** Ctrl-C stops following (the run goes on) instead of killing the process mid-redraw. */
  readonly handleInterrupt?: boolean;
  readonly now?: () => number;
}

/** Ctrl-C while following: the run goes on without us. */
export class FollowInterrupted extends Error {
  constructor(readonly runId: string) {
    super(`stopped following run ${runId}; the run goes on (ferry status ${runId})`);
    this.name = 'FollowInterrupted';
  }
}

const RENDER_MS = 100;
/** Runs up to this many tasks are listed for exact per-batch counts. */
const LIST_LIMIT = 20_000;
const RECONNECT_MS = [250, 500, 1000, 2000, 4000];

/** Per-batch task counts from the gateway, when it gives them with the run. */
function sizesFromDetails(details: RunDetails): Map<number, number> {
  const sizes = new Map<number, number>();
  details.batches?.forEach((b, i) => {
    if (typeof b?.tasks === 'number') sizes.set(b.index ?? b.batch ?? i, b.tasks);
  });
  return sizes;
}

function parseJson(event: SseEvent): unknown {
  try {
    return JSON.parse(event.data);
  } catch {
    return undefined;
  }
}

/**
 * Follows a run until it ends, drawing its progress, and returns the run as finally stored.
 * Progress comes from `GET /runs/:id/events` (reconnecting when it drops) and, as the record, from
 * reading `GET /runs/:id` every `pollMs`; a gateway without the event stream is followed by
 * polling alone.
 */
export async function followRun(
  client: ApiClient,
  runId: string,
  options: FollowOptions,
): Promise<RunDetails> {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 2000;
  const giveUpMs = options.giveUpMs ?? 120_000;
  const runPath = `/runs/${seg(runId)}`;
  const area = new LiveArea(options.out);
  const startedAt = now();

  const progress = new RunProgress(await client.get<RunDetails>(runPath), new Map());
  if (progress.finished) return progress.details;
  await seedBatchSizes(client, runPath, progress, options.listLimit ?? LIST_LIMIT, now());

  const controller = new AbortController();
  let wake: () => void = () => undefined;
  let failingSince: number | null = null;
  let dirty = true;
  let interrupted = false;

  let shownState = progress.details.state;
  // Ended batches not yet announced, in order. The dispatcher may say a batch is over before the
  // receiver's last updates of it arrive (two publishers): its line waits for them, so it counts
  // right; at the end of the run, whatever still waits is settled from the stored tasks.
  const unannounced = new Set<number>();
  const commitEnded = (indices: readonly number[], force = false) => {
    for (const i of indices) unannounced.add(i);
    const lines: string[] = [];
    for (const i of [...unannounced].sort((a, b) => a - b)) {
      const b = progress.batch(i);
      if (!force && b.total !== null && b.done + b.failed + b.skipped < b.total) break;
      lines.push(batchEndLine(b, progress.batchTotal));
      unannounced.delete(i);
    }
    // A pause (from any operator) holds the run: say so, and why nothing moves.
    const state = progress.details.state;
    if (state !== shownState) {
      if (state === 'paused') lines.push(`run paused (ferry resume ${runId} continues it)`);
      else if (shownState === 'paused') lines.push(`run ${state} again`);
      shownState = state;
    }
    area.commit(lines);
    dirty = true;
  };
  const draw = () => {
    if (!dirty) return;
    dirty = false;
    const t = now();
    const current = progress.batch(
      Math.min(progress.current, Math.max(0, progress.batchTotal - 1)),
    );
    const lines = current.endedAt === null ? [batchLine(current, progress.batchTotal, t)] : [];
    area.render([...lines, runLine(progress, t, startedAt)]);
  };
  const onEvent = (event: SseEvent) => {
    const body = parseJson(event);
    if (!body || typeof body !== 'object') return;
    if (event.event === 'progress')
      commitEnded(progress.applyProgress(body as ProgressEvent, now()));
    else if (event.event === 'state') commitEnded(progress.applyState(body as StateEvent, now()));
    else return;
    dirty = true;
    if (progress.finished) wake();
  };

  // The event stream, in the background: reconnects on drops; a 4xx means "not offered here".
  const events = (async () => {
    const parser = new SseParser();
    let attempt = 0;
    while (!controller.signal.aborted) {
      try {
        for await (const event of readEventStream(client, `${runPath}/events`, {
          signal: controller.signal,
          lastEventId: parser.lastEventId,
          parser,
        })) {
          attempt = 0;
          onEvent(event);
        }
      } catch (e) {
        if (controller.signal.aborted) return;
        if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429) return;
      }
      const delay = parser.retryMs ?? RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)];
      await sleep(delay, undefined, { signal: controller.signal }).catch(() => undefined);
    }
  })();

  const timer = area.tty ? setInterval(draw, RENDER_MS) : null;
  const onInterrupt = () => {
    interrupted = true;
    wake();
  };
  if (options.handleInterrupt ?? true) process.once('SIGINT', onInterrupt);
  try {
    draw();
    while (!progress.finished && !interrupted) {
      await new Promise<void>((resolve) => {
        const timeout = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timeout);
          resolve();
        };
      });
      if (interrupted) break;
      try {
        commitEnded(progress.applyDetails(await client.get<RunDetails>(runPath), now()));
        failingSince = null;
      } catch (e) {
        if (e instanceof ApiError && e.status < 500) throw e;
        if (!(e instanceof ApiError || e instanceof ApiUnreachable)) throw e;
        failingSince ??= now();
        if (now() - failingSince > giveUpMs) throw e;
        area.commit([`(${e.message}; retrying)`]);
      }
    }
    if (interrupted) {
      area.close();
      throw new FollowInterrupted(runId);
    }
    // The stored run is the last word (its result, its end time, its tasks' states).
    commitEnded(progress.applyDetails(await client.get<RunDetails>(runPath), now()));
    if (unannounced.size && progress.taskTotal <= (options.listLimit ?? LIST_LIMIT)) {
      const tasks = await client
        .get<TaskAttempt[]>(`${runPath}/tasks`, { limit: progress.taskTotal })
        .catch(() => []);
      if (Array.isArray(tasks)) progress.seedTasks(tasks, now());
    }
    commitEnded([], true);
    draw();
    area.close();
    return progress.details;
  } finally {
    if (timer) clearInterval(timer);
    process.removeListener('SIGINT', onInterrupt);
    controller.abort();
    await events;
  }
}

/**
 * Per-batch totals for the bars: from the run itself when the gateway gives them, else from one
 * listing of the run's tasks (skipped for very large runs: their bars show counts only).
 */
async function seedBatchSizes(
  client: ApiClient,
  runPath: string,
  progress: RunProgress,
  limit: number,
  now: number,
): Promise<void> {
  const fromDetails = sizesFromDetails(progress.details);
  if (fromDetails.size) {
    for (const [index, total] of fromDetails) progress.batch(index).total = total;
    return;
  }
  if (progress.taskTotal > limit) return;
  try {
    const tasks = await client.get<TaskAttempt[]>(`${runPath}/tasks`, {
      limit: progress.taskTotal,
    });
    if (!Array.isArray(tasks) || tasks.length !== progress.taskTotal) return;
    const sizes = new Map<number, number>();
    for (const t of tasks) {
      if (typeof t?.batch !== 'number') return;
      sizes.set(t.batch, (sizes.get(t.batch) ?? 0) + 1);
    }
    for (const [index, total] of sizes) progress.batch(index).total = total;
    progress.seedTasks(tasks, now);
  } catch {
    // totals are a nicety: the bars then count without them
  }
}
