import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { openStorage } from '@ferry/storage';
import { loadEnv, type FerryEnv } from './env/env';
import { createLogger } from './logging/logger';
import { connectNats, Messaging } from './nats/messaging';

export const FERRY_ENV = Symbol('FERRY_ENV');
export const LOGGER = Symbol('LOGGER');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

export interface PlatformOptions {
  /** Service name: logs, NATS connection name, PostgreSQL application_name. */
  readonly service: string;
  readonly nats?: boolean;
  readonly storage?: boolean;
}

/** Closes connections when Nest shuts down (SIGTERM with enableShutdownHooks). */
@Injectable()
class PlatformShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly messaging: Messaging | null,
    private readonly dataSource: DataSource | null,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info({ signal }, 'shutting down');
    // Requests in flight are answered before the connection goes, then the database closes.
    await this.messaging?.shutdown();
    if (this.dataSource?.isInitialized) await this.dataSource.destroy().catch(() => undefined);
  }
}

/**
 * What every service needs, once: the validated environment, a pino logger, the NATS connection
 * (as typed Messaging) and the PostgreSQL DataSource with migrations applied.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: SERVICE_NAME, useValue: options.service },
      { provide: FERRY_ENV, useFactory: (): FerryEnv => loadEnv() },
      {
        provide: LOGGER,
        useFactory: (env: FerryEnv) => createLogger(options.service, env.LOG_LEVEL),
        inject: [FERRY_ENV],
      },
    ];
    const exported: (symbol | typeof Messaging | typeof DataSource)[] = [
      SERVICE_NAME,
      FERRY_ENV,
      LOGGER,
    ];
    if (options.nats) {
      providers.push({
        provide: Messaging,
        useFactory: async (env: FerryEnv, logger: Logger) =>
          new Messaging(await connectNats(env.NATS_URL, `ferry-${options.service}`), logger),
        inject: [FERRY_ENV, LOGGER],
      });
      exported.push(Messaging);
    }
    if (options.storage) {
      providers.push({
        provide: DataSource,
        useFactory: (env: FerryEnv) =>
          openStorage({
            url: env.DATABASE_URL,
            poolSize: env.DATABASE_POOL_SIZE,
            applicationName: `ferry-${options.service}`,
          }),
        inject: [FERRY_ENV],
      });
      exported.push(DataSource);
    }
    providers.push({
      provide: PlatformShutdown,
      useFactory: (logger: Logger, messaging?: Messaging, dataSource?: DataSource) =>
        new PlatformShutdown(logger, messaging ?? null, dataSource ?? null),
      inject: [LOGGER, { token: Messaging, optional: true }, { token: DataSource, optional: true }],
    });
    return { module: PlatformModule, providers, exports: exported };
  }
}
