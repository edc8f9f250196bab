import { Client } from 'pg';
import { ferry, removeTempDirs, requireBuilt, tempDir } from './cli-process';

/** Databases named like the demo's own (`ferry_demo_<tag>`). */
async function demoDatabases(): Promise<string[]> {
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const rows = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'ferry\\_demo\\_%'`,
    );
    return rows.rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

/**
 * `ferry demo`, smaller than its default (the 200-node demo is a minute's worth; the same code
 * runs here on 20 nodes): the whole system, a sim cluster, prepare and upgrade through the API.
 */
describe('ferry demo', () => {
  beforeAll(requireBuilt);
  afterAll(removeTempDirs);

  it('upgrades a simulated cluster through the API, running the bundled scripts, and exits 0', async () => {
    const before = await demoDatabases();
    const r = await ferry(
      ['demo', '--nodes', '20', '--components', '2', '--state-dir', tempDir('demo')],
      {},
      170_000,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('collected   20 nodes, 40 instances, 2 components');
    expect(r.stdout).toContain('planned     200 tasks in 7 batches on 20 hosts');
    expect(r.stdout).toMatch(/prepare\s+succeeded in .*: done 80, fail 0, undo 0/);
    expect(r.stdout).toMatch(/upgrade\s+succeeded in .*: done 120, fail 0, undo 0/);
    expect(r.stdout).toMatch(/executor\s+ran the scripts of .*scripts\/demo/);
    expect(r.stdout).toMatch(/logs\s+\/.*\/demo\/logs/);
    // Its own database is gone again.
    expect(await demoDatabases()).toEqual(before);
  });

  it('runs on an embedded PostgreSQL when none answers, and reports a failed run with exit 1', async () => {
    const r = await ferry(
      [
        'demo',
        '--nodes',
        '6',
        '--components',
        '2',
        '--simulate',
        '--fail-rate',
        '1',
        '--state-dir',
        tempDir('demo-embedded'),
      ],
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/ferry' },
      170_000,
    );
    expect(r.stdout).toMatch(/PostgreSQL\s+started an embedded PostgreSQL \(PGlite/);
    expect(r.code).toBe(1);
    // Every dispatch fails in the first batch; the check batch never starts (its 12 tasks: undo).
    expect(r.stdout).toMatch(/prepare\s+failed in .*: done 0, fail 12, undo 12/);
    expect(r.stdout).toMatch(/upgrade\s+not run/);
    expect(r.stdout).toContain('failed tasks (12):');
    expect(r.stdout).toContain('  node-1_comp-01_dispatch  (node-1, attempt 1, failed, exit 1)');
    expect(r.stderr).toContain('the upgrade did not succeed');
  });
});
