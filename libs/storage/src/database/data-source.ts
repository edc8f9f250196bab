import { DataSource } from 'typeorm';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from '../migrations';
import { ensureDatabase } from './ensure-database';

export interface StorageOptions {
  readonly url: string;
  /** Connections in this process's pool (the embedded PostgreSQL serves few). */
  readonly poolSize?: number;
  readonly applicationName?: string;
}

/** Any constant works as long as every service uses the same one. */
const MIGRATION_LOCK = 0x46455252; // "FERR"

export function createDataSource(options: StorageOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'ferry_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    applicationName: options.applicationName ?? 'ferry',
    extra: { max: options.poolSize ?? 10 },
  });
}

/**
 * Connects, creating the database if needed, and applies pending migrations. Services start
 * together, so migrations run under a PostgreSQL advisory lock: one applies them, the others wait
 * and then find nothing to do.
 */
export async function openStorage(options: StorageOptions): Promise<DataSource> {
  await ensureDatabase(options.url);
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
  return dataSource;
}
