/** runtime.md: the default database of every service. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ferry';

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL && env.DATABASE_URL.length > 0 ? env.DATABASE_URL : DEFAULT_DATABASE_URL;
}

/** The database name of a URL, and the same URL pointing at the `postgres` maintenance database. */
export function splitDatabaseUrl(url: string): { name: string; maintenance: string } {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  parsed.pathname = '/postgres';
  return { name, maintenance: parsed.toString() };
}
