import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freshDatabase, testNamespace } from '../support/database';
import {
  closedPort,
  deleteStatusStream,
  ferry,
  FerryProcess,
  removeTempDirs,
  requireBuilt,
  tempDir,
} from './cli-process';

/** The pids of a process's children running `dist/apps/<app>/…` (Linux /proc). */
function serviceChildren(parent: number): Map<string, number> {
  const found = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent) continue;
      const app = /dist\/apps\/([a-z-]+)\/src\/main\.js/.exec(
        readFileSync(`/proc/${entry}/cmdline`, 'utf8'),
      );
      if (app) found.set(app[1], Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('ferry up', () => {
  beforeAll(requireBuilt);
  afterAll(removeTempDirs);

  it('says clearly that nats-server is missing when no NATS answers (exit 1)', async () => {
    const r = await ferry(['up', '--port', '0', '--state-dir', tempDir('nonats')], {
      PATH: '/nonexistent',
      NATS_URL: `nats://127.0.0.1:${await closedPort()}`,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /no NATS with JetStream at nats:\/\/127\.0\.0\.1:\d+ .*no `nats-server` on PATH/,
    );
    expect(r.stderr).toMatch(/NATS_URL/);
  });

  it('refuses a port that is taken (exit 1) before starting anything', async () => {
    const server = createServer();
    const port = await new Promise<number>((r) =>
      server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)),
    );
    try {
      const r = await ferry(['up', '--port', String(port), '--state-dir', tempDir('busy')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${port} is already in use`);
    } finally {
      server.close();
    }
  });

  describe('running', () => {
    let up: FerryProcess;
    let drop: () => Promise<void>;
    const namespace = testNamespace('up');
    let api = '';
    let token = '';

    beforeAll(async () => {
      const db = await freshDatabase('up');
      await db.dataSource.destroy();
      drop = db.drop;
      up = new FerryProcess(['up', '--port', '0', '--state-dir', tempDir('up')], {
        FERRY_NAMESPACE: namespace,
        DATABASE_URL: db.url,
        FERRY_TOKENS: '',
      });
      await up.waitFor(/Ctrl-C stops everything/);
      api = (up.stdout.match(/API\s+(http:\/\/127\.0\.0\.1:\d+)/) ?? [])[1];
      token = (up.stdout.match(/token\s+(\S+)\s+\(admin/) ?? [])[1];
    });

    afterAll(async () => {
      if (up.child.exitCode === null) up.child.kill('SIGKILL');
      await up.closed;
      await drop?.();
      await deleteStatusStream(process.env.NATS_URL as string, namespace);
    });

    it('prints the API, a made-up token, the logs folder and what NATS and PostgreSQL it uses', async () => {
      expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(up.stdout).toMatch(/logs\s+\/.*\/logs/);
      expect(up.stdout).toMatch(/NATS\s+nats:\/\/.* \(external\)/);
      expect(up.stdout).toMatch(/PostgreSQL\s+postgres:\/\/.* \(external\)/);
      expect((await fetch(`${api}/health`)).status).toBe(200);
    });

    it('serves the CLI with that token', async () => {
      const r = await ferry(['project', 'list'], { FERRY_API: api, FERRY_TOKEN: token });
      expect(r).toMatchObject({ code: 0 });
      expect(r.stdout).toContain('no projects yet');
    });

    it('stops every service and exits 0 on SIGTERM', async () => {
      const services = serviceChildren(up.child.pid as number);
      expect([...services.keys()].sort()).toEqual([
        'collector',
        'dispatcher',
        'node-executor',
        'orchestrator',
        'slicer',
        'status-receiver',
      ]);
      up.child.kill('SIGTERM');
      expect(await up.closed).toBe(0);
      expect(up.stdout).toContain('stopped.');
      for (const pid of services.values()) expect(alive(pid)).toBe(false);
    });
  });

  it('reports a service that dies while up, with its log tail, and stops everything (exit 1)', async () => {
    const db = await freshDatabase('updies');
    await db.dataSource.destroy();
    const namespace = testNamespace('updies');
    const up = new FerryProcess(
      ['up', '--port', '0', '--state-dir', tempDir('updies'), '--simulate'],
      {
        FERRY_NAMESPACE: namespace,
        DATABASE_URL: db.url,
      },
    );
    try {
      await up.waitFor(/Ctrl-C stops everything/);
      const services = serviceChildren(up.child.pid as number);
      process.kill(services.get('slicer') as number, 'SIGKILL');
      expect(await up.closed).toBe(1);
      expect(up.stderr).toMatch(/slicer stopped \(killed by SIGKILL\); the end of .*slicer\.log:/);
      for (const [name, pid] of services) if (name !== 'slicer') expect(alive(pid)).toBe(false);
    } finally {
      if (up.child.exitCode === null) up.child.kill('SIGKILL');
      await up.closed;
      await db.drop();
      await deleteStatusStream(process.env.NATS_URL as string, namespace);
    }
  });
});
