import type { Batch, Mission, PhaseRecord, TaskId, TaskRecord } from '../model/plan';

/** Two phases that would create one task id. */
export interface DuplicateTask {
  readonly id: TaskId;
  readonly firstPhase: string;
  readonly secondPhase: string;
  readonly count: number;
}

/** Accumulates batches, task records and phase ranges as phases compile in order. */
export class PlanBuilder {
  readonly mission: Mission = [];
  readonly tasks = new Map<TaskId, TaskRecord>();
  readonly phases: PhaseRecord[] = [];
  private readonly duplicates = new Map<string, DuplicateTask>();

  /** Records a task; returns false (and remembers the clash) when the id already exists. */
  addTask(id: TaskId, record: TaskRecord): boolean {
    const existing = this.tasks.get(id);
    if (existing === undefined) {
      this.tasks.set(id, record);
      return true;
    }
    const key = `${existing.phase}\u0000${record.phase}`;
    const seen = this.duplicates.get(key);
    this.duplicates.set(
      key,
      seen
        ? { ...seen, count: seen.count + 1 }
        : { id, firstPhase: existing.phase, secondPhase: record.phase, count: 1 },
    );
    return false;
  }

  addBatch(batch: Batch): void {
    if (batch.length) this.mission.push(batch);
  }

  /** Opens a phase; batches added until the next call belong to it. */
  startPhase(name: string, actions: readonly string[], verify: string | null): () => void {
    const first = this.mission.length;
    return () => this.phases.push({ name, batches: [first, this.mission.length], actions, verify });
  }

  duplicateTasks(): DuplicateTask[] {
    return [...this.duplicates.values()];
  }
}
