import type { ProgressDto, TaskState, TaskUpdateDto } from '@ferry/contracts';
import type { RunBatch, TaskMove } from '@ferry/storage';

/** JSON around one update (`{"task":"","state":"timed_out","attempt":…,"batch":…},`), generously. */
const UPDATE_OVERHEAD_BYTES = 72;
const MESSAGE_OVERHEAD_BYTES = 512;

/**
 * The progress messages of one commit: per run, its moved tasks in the order they moved, split so
 * no message exceeds `maxBytes`. Each message counts the states entered by its own updates; the
 * run's ended batches ride on its last message, after every update that ended them.
 */
export function progressMessages(
  moved: readonly TaskMove[],
  ended: readonly RunBatch[],
  at: string,
  maxBytes: number,
): ProgressDto[] {
  const byRun = new Map<string, TaskMove[]>();
  for (const move of moved) {
    const list = byRun.get(move.run);
    if (list) list.push(move);
    else byRun.set(move.run, [move]);
  }
  const endedByRun = new Map<string, number[]>();
  for (const { run, batch } of ended) {
    const list = endedByRun.get(run);
    if (list) list.push(batch);
    else endedByRun.set(run, [batch]);
  }
  const messages: ProgressDto[] = [];
  for (const [run, moves] of byRun) {
    let updates: TaskUpdateDto[] = [];
    let counts: Partial<Record<TaskState, number>> = {};
    let bytes = MESSAGE_OVERHEAD_BYTES;
    const flush = () => {
      messages.push({ run, at, updates, counts, batchesEnded: [] });
      updates = [];
      counts = {};
      bytes = MESSAGE_OVERHEAD_BYTES;
    };
    for (const move of moves) {
      const size = Buffer.byteLength(move.task) + UPDATE_OVERHEAD_BYTES;
      if (updates.length && bytes + size > maxBytes) flush();
      updates.push({
        task: move.task,
        state: move.state,
        attempt: move.attempt,
        batch: move.batch,
      });
      counts[move.state] = (counts[move.state] ?? 0) + 1;
      bytes += size;
    }
    flush();
    messages[messages.length - 1].batchesEnded = [...new Set(endedByRun.get(run) ?? [])].sort(
      (a, b) => a - b,
    );
  }
  return messages;
}

/** The (run, batch) pairs in which some task just became terminal: only those can have ended now. */
export function batchesToCheck(
  moved: readonly TaskMove[],
  isTerminal: (state: TaskState) => boolean,
): RunBatch[] {
  const seen = new Set<string>();
  const out: RunBatch[] = [];
  for (const { run, batch, state } of moved) {
    if (!isTerminal(state)) continue;
    const key = `${run}\u0000${batch}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ run, batch });
  }
  return out;
}
