import { readFileSync } from 'node:fs';
import { connect, type NatsConnection } from 'nats';
import { Subjects, setSubjectNamespace, subjectNamespace } from '@ferry/contracts';

/** What a namespace's subjects carried, by kind. Replies go to inboxes, so requests count twice. */
export interface Traffic {
  jobs: number;
  gates: number;
  job_ends: number;
  report_messages: number;
  progress: number;
  heartbeats: number;
  other: number;
  /** Requests plus their replies, and publishes: every message the broker carried for the run. */
  total: number;
}

/**
 * Counts every message on the installation's subjects (the prefix of `Subjects`, FERRY_NAMESPACE
 * included) from outside the services, so the count does not depend on their own bookkeeping.
 */
export class TrafficCounter {
  private readonly counts: Traffic = {
    jobs: 0,
    gates: 0,
    job_ends: 0,
    report_messages: 0,
    progress: 0,
    heartbeats: 0,
    other: 0,
    total: 0,
  };

  private constructor(private readonly nc: NatsConnection) {}

  static async start(url: string, namespace: string): Promise<TrafficCounter> {
    const nc = await connect({ servers: url, name: 'ferry-loadtest-counter' });
    const counter = new TrafficCounter(nc);
    const previous = subjectNamespace();
    setSubjectNamespace(namespace);
    const prefix = Subjects.collect().slice(0, -'.collect'.length);
    setSubjectNamespace(previous);
    nc.subscribe(`${prefix}.>`, {
      callback: (_, msg) => counter.count(msg.subject, msg.reply !== undefined && msg.reply !== ''),
    });
    await nc.flush();
    return counter;
  }

  private count(subject: string, request: boolean): void {
    const kind = subject.endsWith('.jobs')
      ? 'jobs'
      : subject.endsWith('.gate')
        ? 'gates'
        : subject.endsWith('.job-end')
          ? 'job_ends'
          : subject.includes('.status.')
            ? 'report_messages'
            : subject.includes('.progress.')
              ? 'progress'
              : subject.endsWith('.heartbeat')
                ? 'heartbeats'
                : 'other';
    this.counts[kind]++;
    // JetStream publishes are acknowledged by the server; other requests by their service.
    this.counts.total += request ? 2 : 1;
  }

  async stop(): Promise<Traffic> {
    await this.nc.drain();
    return { ...this.counts };
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 when unknown. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
