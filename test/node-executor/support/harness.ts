/** What the node executor's integration tests build on: real NATS, real scripts, the executor itself. */
export { eventually } from './eventually';
export { ScriptFolder } from './script-folder';
export { FakeDispatcher, job, sendJob, task } from './dispatcher';
export { ReportReader } from './report-reader';
export { ExecutorProcess, InProcessExecutor, natsConnection } from './executors';
