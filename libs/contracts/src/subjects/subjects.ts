/**
 * Every NATS subject Ferry uses (runtime.md, "Subjects"), built by functions so no service spells
 * one by hand. Ids that go into a subject are checked: a `.`, `*`, `>` or white space in a token
 * would silently address another subject.
 */

let namespace = (typeof process !== 'undefined' && process.env.FERRY_NAMESPACE) || '';

/**
 * An optional namespace (`FERRY_NAMESPACE`) gives one Ferry installation its own subjects, stream
 * and consumer on a shared NATS: `ferry-<ns>.…`, `FERRY_STATUS_<NS>`. Integration tests use it to
 * stay out of each other's way.
 */
export function setSubjectNamespace(value: string): void {
  if (value !== '' && !/^[a-z0-9-]+$/.test(value))
    throw new Error(
      `invalid FERRY_NAMESPACE ${JSON.stringify(value)}: use lowercase letters, digits and "-"`,
    );
  namespace = value;
}

export function subjectNamespace(): string {
  return namespace;
}

const prefix = () => (namespace ? `ferry-${namespace}` : 'ferry');

/** One subject token: no dots, wildcards or white space. */
export function subjectToken(value: string, what = 'token'): string {
  if (value.length === 0 || /[.*>\s]/.test(value)) {
    throw new Error(`invalid ${what} for a NATS subject: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Node ids may contain `.` (logic-book.md allows letters, digits, `.`, `-`, `:`), which NATS reads as
 * a token separator, so host tokens are escaped reversibly: `.` → `~d`, `~` → `~t`.
 */
export function hostToken(host: string): string {
  return subjectToken(host.replace(/~/g, '~t').replace(/\./g, '~d'), 'host');
}

export function hostFromToken(token: string): string {
  return token.replace(/~d/g, '.').replace(/~t/g, '~');
}

export const Subjects = {
  /** orchestrator → collector, request/reply. */
  collect: () => `${prefix()}.collect`,
  /** orchestrator → slicer, request/reply. */
  slice: () => `${prefix()}.slice`,
  /** orchestrator → dispatcher, request/reply. */
  runStart: () => `${prefix()}.run.start`,
  runPause: () => `${prefix()}.run.pause`,
  runResume: () => `${prefix()}.run.resume`,
  runCancel: () => `${prefix()}.run.cancel`,
  /** orchestrator → dispatcher: a new attempt of one task (retry) or its undo action. */
  runRetry: () => `${prefix()}.run.retry`,
  runUndo: () => `${prefix()}.run.undo`,
  /** node-executor → the dispatcher that owns the run: may the next stage start? */
  runGate: (run: string) => `${prefix()}.run.${subjectToken(run, 'run id')}.gate`,
  /** node-executor → the dispatcher that owns the run: a job has ended (with its failures). */
  runJobEnd: (run: string) => `${prefix()}.run.${subjectToken(run, 'run id')}.job-end`,
  /** dispatcher → node-executors: start nothing more for this run. */
  runHalt: (run: string) => `${prefix()}.run.${subjectToken(run, 'run id')}.halt`,
  runHaltAll: () => `${prefix()}.run.*.halt`,
  /** dispatcher → node-executor, request/reply (the node acknowledges). */
  nodeJobs: (host: string) => `${prefix()}.node.${hostToken(host)}.jobs`,
  nodeJobsAll: () => `${prefix()}.node.*.jobs`,
  /** node-executor → status-receiver. */
  nodeHeartbeat: (host: string) => `${prefix()}.node.${hostToken(host)}.heartbeat`,
  nodeHeartbeatAll: () => `${prefix()}.node.*.heartbeat`,
  /** node-executor → status-receiver through the JetStream stream FERRY_STATUS. */
  status: (run: string) => `${prefix()}.status.${subjectToken(run, 'run id')}`,
  statusAll: () => `${prefix()}.status.>`,
  /** status-receiver → dispatcher and gateway: what was persisted. */
  progress: (run: string) => `${prefix()}.progress.${subjectToken(run, 'run id')}`,
  progressAll: () => `${prefix()}.progress.*`,
} as const;

/** The host of a `ferry.node.<host>.jobs` or `.heartbeat` subject. */
export function hostOfNodeSubject(subject: string): string {
  const parts = subject.split('.');
  return hostFromToken(parts[2] ?? '');
}

/** The JetStream stream of task reports, and the durable consumer the status receivers share. */
export const Streams = {
  status: () => ({
    name: namespace ? `FERRY_STATUS_${namespace.toUpperCase().replace(/-/g, '_')}` : 'FERRY_STATUS',
    subjects: [Subjects.statusAll()],
    consumer: namespace ? `ferry-status-receiver-${namespace}` : 'ferry-status-receiver',
  }),
};

/** Queue groups: members of one group share the load of a subject. */
export const QueueGroups = {
  collector: 'ferry-collector',
  slicer: 'ferry-slicer',
  dispatcher: 'ferry-dispatcher',
  executors: 'ferry-executors',
  receivers: 'ferry-receivers',
} as const;
