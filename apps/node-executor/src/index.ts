/** The node executor's public surface: for `ferry up`/loadtest wiring and the integration tests. */
export {
  parseExecutorArgs,
  OptionsError,
  HelpShown,
  type ExecutorOptions,
  type SimulationOptions,
} from './cli/options';
export { startExecutor } from './executor.app';
export { NodeExecutorModule } from './node-executor.module';
export { ExecutorStats, type StatsSnapshot } from './stats/executor-stats';
export { attemptLogName } from './attempts/attempt-store';
