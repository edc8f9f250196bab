import { Client } from 'pg';
import { splitDatabaseUrl } from './database-url';

/**
 * Creates the database if it is missing (runtime.md). Several services may start at once: a
 * concurrent creation (duplicate_database) is success.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const { name, maintenance } = splitDatabaseUrl(url);
  const probe = new Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (e) {
    if ((e as { code?: string }).code !== '3D000') throw e; // 3D000: invalid_catalog_name
  } finally {
    await probe.end().catch(() => undefined);
  }
  const admin = new Client({ connectionString: maintenance });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (e) {
    // Services start together: another one may have created it first. PostgreSQL says so with
    // duplicate_database, or, when the two CREATEs race inside the catalog, a unique violation.
    const code = (e as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw e;
  } finally {
    await admin.end();
  }
}
