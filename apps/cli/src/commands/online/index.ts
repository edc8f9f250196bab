import type { Command } from 'commander';
import { registerPlanCommand } from './plan';
import { registerProjectCommands } from './project';
import { registerRunCommand } from './run';
import { registerRunsCommands } from './runs';
import { registerStatsCommand } from './stats';

/**
 * The commands that talk to a running Ferry over its HTTP API (`FERRY_API`, `FERRY_TOKEN`).
 * Registered after the offline ones: `ferry plan PROJECT` joins the offline `ferry plan`.
 */
export function registerOnlineCommands(program: Command): void {
  registerProjectCommands(program);
  registerPlanCommand(program);
  registerRunCommand(program);
  registerRunsCommands(program);
  registerStatsCommand(program);
}
