import { Subjects, type HeartbeatDto } from '@ferry/contracts';
import type { Messaging } from '@ferry/platform';
import type { RunningRegistry } from './running-registry';

export interface HeartbeatOptions {
  readonly executorId: string;
  readonly intervalMs: number;
  /** Host mode: this node beats even when idle, so the dispatcher knows it is alive. */
  readonly ownHost: string | null;
}

/**
 * Publishes a HeartbeatDto on ferry.node.<host>.heartbeat every interval for every host with
 * running tasks (guarantee 4: a running task whose node goes silent ends `lost`).
 */
export class HeartbeatService {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly messaging: Pick<Messaging, 'publish'>,
    private readonly registry: RunningRegistry,
    private readonly options: HeartbeatOptions,
  ) {}

  start(): void {
    this.beat();
    this.timer = setInterval(() => this.beat(), this.options.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  beat(): void {
    const at = new Date().toISOString();
    const hosts = new Set(this.registry.hosts());
    if (this.options.ownHost !== null) hosts.add(this.options.ownHost);
    for (const host of hosts) {
      const heartbeat: HeartbeatDto = {
        host,
        executor: this.options.executorId,
        running: this.registry.running(host),
        at,
      };
      try {
        this.messaging.publish(Subjects.nodeHeartbeat(host), heartbeat);
      } catch {
        // Connection closing: the next beat (or the dispatcher's timeout) takes over.
      }
    }
  }
}
