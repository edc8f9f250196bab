import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openStorage } from '@ferry/storage';
import type { DataSource } from 'typeorm';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database (migrated) for one test file, dropped again by `drop()`. */
export async function freshDatabase(
  label: string,
): Promise<{ url: string; dataSource: DataSource; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL as string;
  const name = `ferry_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const url = withDatabase(base, name);
  const dataSource = await openStorage({ url, poolSize: 5, applicationName: `test-${label}` });
  return {
    url,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      const admin = new Client({ connectionString: withDatabase(base, 'postgres') });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** A namespace for subjects and streams, unique to one test file. */
export function testNamespace(label: string): string {
  return `t-${label.replace(/[^a-z0-9]/gi, '-').toLowerCase()}-${randomBytes(3).toString('hex')}`;
}
