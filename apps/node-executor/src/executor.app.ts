import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { createLogger, PinoNestLogger } from '@ferry/platform';
import type { ExecutorOptions } from './cli/options';
import { NodeExecutorModule } from './node-executor.module';

/**
 * Builds and starts the executor (subscribed and ready when this resolves). No Nest shutdown hooks:
 * Nest re-raises the signal after closing, and a SIGTERM'd executor must exit 0 (main handles it).
 */
export async function startExecutor(options: ExecutorOptions): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(NodeExecutorModule.forOptions(options), {
    logger: new PinoNestLogger(createLogger('node-executor')),
    abortOnError: false,
  });
  await app.init();
  return app;
}
