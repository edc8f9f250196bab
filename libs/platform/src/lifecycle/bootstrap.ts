import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { createLogger, PinoNestLogger } from '../logging/logger';
import { EnvError } from '../env/env';
import { Messaging } from '../nats/messaging';

/**
 * Starts a message-driven service (no HTTP): builds the Nest context, enables shutdown hooks so
 * SIGTERM drains NATS and closes the database, and exits non-zero with a clear line if startup fails.
 */
export async function bootstrapService(
  service: string,
  module: unknown,
): Promise<INestApplicationContext> {
  const logger = createLogger(service);
  try {
    const app = await NestFactory.createApplicationContext(module as never, {
      logger: new PinoNestLogger(logger),
      abortOnError: false,
    });
    app.enableShutdownHooks();
    // "ready" means reachable: the server knows every subscription the service made at start.
    const messaging = app.get(Messaging, { strict: false });
    await messaging.nc.flush();
    logger.info('ready');
    return app;
  } catch (e) {
    const message = e instanceof EnvError ? e.message : ((e as Error).stack ?? String(e));
    logger.fatal(message);
    process.stderr.write(
      `ferry ${service}: cannot start: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exit(1);
  }
}
