import type { NatsConnection } from 'nats';
import {
  encodeMessage,
  Subjects,
  type GateRequestDto,
  type JobAckDto,
  type JobDto,
  type JobEndDto,
  type Reply,
  type TaskSpecDto,
} from '@ferry/contracts';
import { eventually } from './eventually';

export function task(
  run: string,
  host: string,
  id: string,
  action: string,
  overrides: Partial<TaskSpecDto> = {},
): TaskSpecDto {
  return {
    task: id,
    run,
    attempt: 1,
    host,
    target: 'nova-api',
    action,
    mode: 'restart',
    from: '21.0',
    to: '22.0',
    release: null,
    rpms: ['nova-api'],
    timeout_s: 60,
    ...overrides,
  };
}

export function job(
  run: string,
  host: string,
  key: string,
  stages: TaskSpecDto[][],
  gate = false,
  batch = 0,
): JobDto {
  return { run, batch, host, key, gate, stages: stages.map((tasks) => ({ tasks })) };
}

/** Sends a job as the dispatcher does; returns the ack, or the error reply's message. */
export async function sendJob(
  nc: NatsConnection,
  value: JobDto,
  subjectHost = value.host,
): Promise<JobAckDto | { error: string }> {
  const msg = await nc.request(Subjects.nodeJobs(subjectHost), encodeMessage(value), {
    timeout: 10_000,
  });
  const reply = JSON.parse(new TextDecoder().decode(msg.data)) as Reply<JobAckDto>;
  return reply.ok ? (reply.value as JobAckDto) : { error: reply.error?.message ?? 'error' };
}

/** The dispatcher's side of gates and job ends for one run, over real NATS. */
export class FakeDispatcher {
  readonly gates: GateRequestDto[] = [];
  readonly ends: JobEndDto[] = [];
  /** Decides each gate; default: go. */
  decide: (gate: GateRequestDto) => boolean = () => true;
  private readonly subs: { unsubscribe(): void }[] = [];

  constructor(
    private readonly nc: NatsConnection,
    readonly run: string,
  ) {}

  listen(): this {
    this.subs.push(
      this.nc.subscribe(Subjects.runGate(this.run), {
        callback: (_e, m) => {
          const gate = JSON.parse(new TextDecoder().decode(m.data)) as GateRequestDto;
          this.gates.push(gate);
          m.respond(encodeMessage({ ok: true, value: { go: this.decide(gate) } }));
        },
      }),
      this.nc.subscribe(Subjects.runJobEnd(this.run), {
        callback: (_e, m) => {
          this.ends.push(JSON.parse(new TextDecoder().decode(m.data)) as JobEndDto);
          m.respond(encodeMessage({ ok: true, value: { ok: true } }));
        },
      }),
    );
    return this;
  }

  endOf(key: string, timeoutMs = 30_000): Promise<JobEndDto> {
    return eventually(
      () => this.ends.find((e) => e.key === key),
      `the job end of ${key}`,
      timeoutMs,
    );
  }

  stop(): void {
    this.subs.forEach((s) => s.unsubscribe());
  }
}
