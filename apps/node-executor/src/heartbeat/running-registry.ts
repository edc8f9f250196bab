import type { RunningTaskDto } from '@ferry/contracts';

/** The attempts running now, per host: what heartbeats list and what the stats call `running`. */
export class RunningRegistry {
  private readonly byHost = new Map<string, Map<string, RunningTaskDto>>();
  private total = 0;

  get count(): number {
    return this.total;
  }

  add(host: string, key: string, task: RunningTaskDto): void {
    let tasks = this.byHost.get(host);
    if (!tasks) this.byHost.set(host, (tasks = new Map()));
    if (!tasks.has(key)) this.total++;
    tasks.set(key, task);
  }

  remove(host: string, key: string): void {
    const tasks = this.byHost.get(host);
    if (!tasks?.delete(key)) return;
    this.total--;
    if (tasks.size === 0) this.byHost.delete(host);
  }

  hosts(): IterableIterator<string> {
    return this.byHost.keys();
  }

  running(host: string): RunningTaskDto[] {
    return [...(this.byHost.get(host)?.values() ?? [])];
  }
}
