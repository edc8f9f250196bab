import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import {
  CollectRequestDto,
  ErrorCodes,
  SnapshotSummaryDto,
  Subjects,
  setSubjectNamespace,
} from '@ferry/contracts';
import { Messaging, RequestError } from '@ferry/platform';
import { AuditEntryEntity, ProjectEntity, SnapshotEntity } from '@ferry/storage';
import { freshDatabase, testNamespace } from '../support/database';
import { createProject, GENERIC_LOGIC, readSeed } from './support/fixtures';
import { ServiceProcess } from './support/service-process';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let service: ServiceProcess;
let nc: NatsConnection;
let messaging: Messaging;
let dataSource: DataSource;
let server: Server;
let baseUrl: string;
let tmp: string;
let lastAuthorization: string | undefined;
let slowRoute: ((res: ServerResponse) => Promise<void>) | undefined;
/** What the local "inventory API" answers, per path. */
const routes = new Map<string, { status: number; body: string; type?: string }>();

const GENERIC_DESCRIPTOR = `name: generic
packages:
  - { component: comp-01, version: "2.0", mode: restart }
  - { component: nginx, version: "1.26", mode: restart }
`;

beforeAll(async () => {
  const namespace = testNamespace('collector');
  setSubjectNamespace(namespace);
  db = await freshDatabase('collector');
  dataSource = db.dataSource;
  service = await ServiceProcess.start('collector', { databaseUrl: db.url, namespace });
  nc = await connect({ servers: process.env.NATS_URL });
  messaging = new Messaging(nc, pino({ level: 'silent' }));
  server = createServer((req, res) => {
    lastAuthorization = req.headers.authorization;
    if (req.url === '/slow' && slowRoute) {
      void slowRoute(res);
      return;
    }
    const route = routes.get(req.url ?? '');
    if (!route) {
      res.writeHead(404, 'Not Found').end('no such inventory');
      return;
    }
    res
      .writeHead(route.status, { 'content-type': route.type ?? 'application/json' })
      .end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tmp = mkdtempSync(join(tmpdir(), 'ferry-collector-'));
});

afterAll(async () => {
  await service?.stop();
  await nc?.close();
  await new Promise((resolve) => server?.close(resolve));
  await db?.drop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function collect(project: string, actor?: string): Promise<SnapshotSummaryDto> {
  const request: CollectRequestDto = actor === undefined ? { project } : { project, actor };
  return messaging.request(Subjects.collect(), request, SnapshotSummaryDto);
}

async function collectError(project: string): Promise<RequestError['body']> {
  try {
    await collect(project);
  } catch (e) {
    if (e instanceof RequestError) return e.body;
    throw e;
  }
  throw new Error('the collect succeeded');
}

async function project(id: string): Promise<ProjectEntity> {
  return dataSource.getRepository(ProjectEntity).findOneByOrFail({ id });
}

async function snapshotsOf(projectId: string): Promise<SnapshotEntity[]> {
  return dataSource.getRepository(SnapshotEntity).findBy({ projectId });
}

async function auditOf(projectId: string): Promise<AuditEntryEntity[]> {
  return dataSource.getRepository(AuditEntryEntity).findBy({ subject: projectId });
}

describe('collector over NATS', () => {
  it('freezes an inline YAML inventory and the descriptor into a snapshot, the project now pointing at it, with an audit entry', async () => {
    const id = await createProject(
      dataSource,
      { kind: 'inline', text: readSeed('inventory.yaml') },
      readSeed('descriptor.yaml'),
    );
    const summary = await collect(id, 'alice');
    expect(summary).toEqual({
      snapshot: expect.any(String),
      source: 'inline (ferry)',
      nodes: 2,
      instances: 4,
      components: 3,
      added: 0,
      removed: 0,
    });

    const stored = await dataSource
      .getRepository(SnapshotEntity)
      .findOneByOrFail({ id: summary.snapshot });
    expect(stored.projectId).toBe(id);
    expect(stored.source).toBe('inline (ferry)');
    expect(
      stored.inventory.nodes.map((n) => [n.id, n.roles, n.components.map((c) => c.name)]),
    ).toEqual([
      ['A', ['management'], ['X', 'Y', 'Z']],
      ['B', ['compute'], ['X']],
    ]);
    expect(stored.descriptor).toEqual({
      name: 'seed-example',
      releases: [],
      packages: [
        { component: 'X', version: '2.0', mode: 'restart', rpms: ['x-2.0-1.noarch.rpm'] },
        { component: 'Y', version: '2.0', mode: 'restart', rpms: ['y-2.0-1.noarch.rpm'] },
      ],
      nodes: { add: [], remove: [] },
    });
    expect(stored.summary).toEqual({ nodes: 2, instances: 4, components: 3, added: 0, removed: 0 });
    expect((await project(id)).snapshotId).toBe(summary.snapshot);
    expect((await auditOf(id)).map((a) => [a.action, a.actor, a.details.snapshot])).toEqual([
      ['collect', 'alice', summary.snapshot],
    ]);
  });

  it('makes each collect a new snapshot and leaves the earlier one as it was', async () => {
    const id = await createProject(
      dataSource,
      { kind: 'inline', text: readSeed('inventory.yaml') },
      readSeed('descriptor.yaml'),
    );
    const first = await collect(id);
    const second = await collect(id);
    expect(second.snapshot).not.toBe(first.snapshot);
    expect((await snapshotsOf(id)).map((s) => s.id).sort()).toEqual(
      [first.snapshot, second.snapshot].sort(),
    );
    expect((await project(id)).snapshotId).toBe(second.snapshot);
    expect((await auditOf(id)).map((a) => a.actor)).toEqual(['system', 'system']);
  });

  it('reads an Ansible INI inventory given inline: groups become roles, ferry_* vars components and groups', async () => {
    const ini = `[management]
A ansible_host=10.0.0.1

[compute]
B ansible_host=10.0.0.2 ferry_groups='{"az": "az1"}'

[cluster:children]
management
compute

[management:vars]
ferry_components={"X": "1.0", "Y": "1.0", "Z": "1.0"}

[compute:vars]
ferry_components=[{"name": "X", "version": "1.0"}]
`;
    const id = await createProject(
      dataSource,
      { kind: 'inline', text: ini },
      readSeed('descriptor.yaml'),
    );
    const summary = await collect(id);
    expect(summary).toMatchObject({
      source: 'inline (ansible-ini)',
      nodes: 2,
      instances: 4,
      components: 3,
    });
    const stored = await dataSource
      .getRepository(SnapshotEntity)
      .findOneByOrFail({ id: summary.snapshot });
    expect(stored.inventory.nodes).toEqual([
      {
        id: 'A',
        address: '10.0.0.1',
        roles: ['management', 'cluster'],
        groups: {},
        components: [
          { name: 'X', version: '1.0' },
          { name: 'Y', version: '1.0' },
          { name: 'Z', version: '1.0' },
        ],
      },
      {
        id: 'B',
        address: '10.0.0.2',
        roles: ['compute', 'cluster'],
        groups: { az: 'az1' },
        components: [{ name: 'X', version: '1.0' }],
      },
    ]);
  });

  it('reads an explicit Ansible inventory from a file the collector can read', async () => {
    const path = join(tmp, 'hosts.yml');
    writeFileSync(
      path,
      `all:\n  children:\n    management:\n      hosts:\n        A: { ferry_components: { X: "1.0", Y: "1.0" } }\n    compute:\n      hosts:\n        B: { ferry_components: { X: "1.0" } }\n`,
    );
    const id = await createProject(
      dataSource,
      { kind: 'ansible', path },
      readSeed('descriptor.yaml'),
    );
    const summary = await collect(id);
    expect(summary).toMatchObject({
      source: `ansible ${path} (ansible-yaml)`,
      nodes: 2,
      instances: 3,
      components: 2,
    });
  });

  it('answers SOURCE.UNREACHABLE for an Ansible file that does not exist, and writes nothing', async () => {
    const path = join(tmp, 'missing.ini');
    const id = await createProject(
      dataSource,
      { kind: 'ansible', path },
      readSeed('descriptor.yaml'),
    );
    const error = await collectError(id);
    expect(error).toMatchObject({
      error: ErrorCodes.SOURCE_UNREACHABLE,
      message: `cannot read ${path}: no such file`,
    });
    expect(await snapshotsOf(id)).toEqual([]);
  });

  it('fetches an HTTP inventory API (Ansible YAML as well as Ferry JSON)', async () => {
    routes.set('/inventory.json', {
      status: 200,
      body: JSON.stringify({
        nodes: [
          {
            id: 'A',
            roles: ['management'],
            components: [
              { name: 'X', version: '1.0' },
              { name: 'Y', version: '1.0' },
            ],
          },
          { id: 'B', roles: ['compute'], components: [{ name: 'X', version: '1.0' }] },
        ],
      }),
    });
    routes.set('/ansible', {
      status: 200,
      type: 'application/yaml',
      body: 'all:\n  children:\n    management:\n      hosts:\n        A:\n          ferry_components: { X: "1.0", Y: "1.0" }\n',
    });
    const json = await createProject(
      dataSource,
      { kind: 'url', url: `${baseUrl}/inventory.json` },
      readSeed('descriptor.yaml'),
    );
    expect(await collect(json)).toMatchObject({
      source: `${baseUrl}/inventory.json (ferry)`,
      nodes: 2,
      instances: 3,
    });
    const ansible = await createProject(
      dataSource,
      { kind: 'url', url: `${baseUrl}/ansible` },
      readSeed('descriptor.yaml'),
    );
    expect(await collect(ansible)).toMatchObject({
      source: `${baseUrl}/ansible (ansible-yaml)`,
      nodes: 1,
      instances: 2,
    });
  });

  it('answers SOURCE.UNREACHABLE with the status code when the inventory API fails, and writes nothing', async () => {
    routes.set('/broken', { status: 503, body: 'maintenance' });
    const id = await createProject(
      dataSource,
      { kind: 'url', url: `${baseUrl}/broken` },
      readSeed('descriptor.yaml'),
    );
    const error = await collectError(id);
    expect(error).toMatchObject({
      error: ErrorCodes.SOURCE_UNREACHABLE,
      status: 503,
      message: `GET ${baseUrl}/broken: HTTP 503 Service Unavailable`,
    });
    expect(error.problems).toEqual([
      {
        path: '',
        message: error.message,
        code: ErrorCodes.SOURCE_UNREACHABLE,
        file: `${baseUrl}/broken`,
      },
    ]);
    expect(await snapshotsOf(id)).toEqual([]);
    expect((await project(id)).snapshotId).toBeNull();
  });

  it('answers SOURCE.UNREACHABLE when nothing listens at the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const id = await createProject(
      dataSource,
      { kind: 'url', url: `http://127.0.0.1:${port}/inv` },
      readSeed('descriptor.yaml'),
    );
    const error = await collectError(id);
    expect(error.error).toBe(ErrorCodes.SOURCE_UNREACHABLE);
    expect(error.message).toMatch(/cannot connect \(.*ECONNREFUSED/);
  });

  it('sends the credentials of a URL as Basic auth, and masks the password in errors', async () => {
    routes.set('/secret', { status: 401, body: 'no' });
    routes.set('/private', {
      status: 200,
      body: JSON.stringify({ nodes: [{ id: 'A', components: [{ name: 'X', version: '1.0' }] }] }),
    });
    const withAuth = await createProject(
      dataSource,
      { kind: 'url', url: `${baseUrl.replace('http://', 'http://ops:hunter2@')}/private` },
      readSeed('descriptor.yaml'),
    );
    expect(await collect(withAuth)).toMatchObject({
      nodes: 1,
      source: `${baseUrl.replace('http://', 'http://ops:***@')}/private (ferry)`,
    });
    expect(lastAuthorization).toBe(`Basic ${Buffer.from('ops:hunter2').toString('base64')}`);

    const id = await createProject(
      dataSource,
      { kind: 'url', url: `${baseUrl.replace('http://', 'http://ops:hunter2@')}/secret` },
      readSeed('descriptor.yaml'),
    );
    const error = await collectError(id);
    expect(error.status).toBe(401);
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(error.message).toContain('ops:***@');
  });

  it('generates a sim:// cluster and validates it against the project descriptor', async () => {
    const id = await createProject(
      dataSource,
      { kind: 'sim', url: 'sim://nodes=20&components=3&seed=7' },
      GENERIC_DESCRIPTOR.replace(/ {2}- \{ component: nginx.*\n/, ''),
      GENERIC_LOGIC,
    );
    const summary = await collect(id);
    expect(summary).toEqual({
      snapshot: expect.any(String),
      source: 'sim://nodes=20&components=3&seed=7',
      nodes: 20,
      instances: 60,
      components: 3,
      added: 0,
      removed: 0,
    });
    const stored = await dataSource
      .getRepository(SnapshotEntity)
      .findOneByOrFail({ id: summary.snapshot });
    expect(stored.descriptor.name).toBe('generic');
  });

  it('reports a bad sim:// URL as input problems', async () => {
    const id = await createProject(
      dataSource,
      { kind: 'sim', url: 'sim://nodes=0&colour=red' },
      GENERIC_DESCRIPTOR,
      GENERIC_LOGIC,
    );
    const error = await collectError(id);
    expect(error.error).toBe(ErrorCodes.INPUT_INVALID);
    expect(error.problems.map((p) => [p.code, p.path])).toEqual(
      expect.arrayContaining([
        ['SIM.BAD_URL', 'nodes'],
        ['SIM.BAD_URL', 'colour'],
      ]),
    );
  });

  it('reports every problem of a broken descriptor with its path, and writes nothing', async () => {
    const broken = `name: broken
packages:
  - { component: X, version: 2.0, mode: restart }
  - { component: Y, version: "2.0", mode: teleport }
  - { component: Z, version: "2.0", mode: restart, colour: blue }
nodes:
  remove: [nowhere]
`;
    const id = await createProject(
      dataSource,
      { kind: 'inline', text: readSeed('inventory.yaml') },
      broken,
    );
    const error = await collectError(id);
    expect(error.error).toBe(ErrorCodes.INPUT_INVALID);
    expect(error.problems.map((p) => [p.file, p.path, p.code])).toEqual([
      ['descriptor', 'packages[0].version', 'INPUT.VERSION_NOT_STRING'],
      ['descriptor', 'packages[2].colour', 'INPUT.UNKNOWN_KEY'],
    ]);
    expect(error.message).toMatch(
      /^2 problem\(s\) in the inputs: descriptor: packages\[0\]\.version: /,
    );

    // Once the structure is sound, the rules report all they find.
    const structured = broken
      .replace('version: 2.0,', 'version: "2.0",')
      .replace(', colour: blue', '');
    const second = await createProject(
      dataSource,
      { kind: 'inline', text: readSeed('inventory.yaml') },
      structured,
    );
    const ruleError = await collectError(second);
    expect(ruleError.problems.map((p) => [p.file, p.path, p.code])).toEqual(
      expect.arrayContaining([
        ['descriptor', 'packages[1].mode', 'DESCRIPTOR.UNKNOWN_MODE'],
        ['descriptor', 'nodes.remove[0]', 'DESCRIPTOR.REMOVE_MISSING'],
      ]),
    );
    for (const projectId of [id, second]) {
      expect(await snapshotsOf(projectId)).toEqual([]);
      expect((await project(projectId)).snapshotId).toBeNull();
      expect(await auditOf(projectId)).toEqual([]);
    }
  });

  it('reports Ansible parse problems and descriptor problems together', async () => {
    const id = await createProject(
      dataSource,
      { kind: 'inline', text: '[web]\nweb01 novalue\n[ghost:vars]\nx=1\n' },
      'name: d\npackages: 3\n',
    );
    const error = await collectError(id);
    expect(error.problems.map((p) => [p.file, p.path])).toEqual([
      ['inventory', 'line 2'],
      ['inventory', 'line 3'],
      ['descriptor', 'packages'],
    ]);
  });

  it('answers NOT_FOUND for an unknown project, whatever the id looks like', async () => {
    expect(await collectError('00000000-0000-4000-8000-000000000000')).toMatchObject({
      error: ErrorCodes.NOT_FOUND,
    });
    expect(await collectError('not-a-uuid')).toMatchObject({ error: ErrorCodes.NOT_FOUND });
  });

  it('refuses a request without a project', async () => {
    await expect(
      messaging.request(Subjects.collect(), { actor: 'x' }, SnapshotSummaryDto),
    ).rejects.toMatchObject({ body: { error: ErrorCodes.BAD_REQUEST } });
  });

  it('keeps snapshots immutable: the database refuses updates and deletes', async () => {
    const id = await createProject(
      dataSource,
      { kind: 'inline', text: readSeed('inventory.yaml') },
      readSeed('descriptor.yaml'),
    );
    const { snapshot } = await collect(id);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await expect(
        client.query(`UPDATE snapshots SET source = 'tampered' WHERE id = $1`, [snapshot]),
      ).rejects.toThrow(/snapshots are immutable/);
      await expect(client.query(`DELETE FROM snapshots WHERE id = $1`, [snapshot])).rejects.toThrow(
        /snapshots are immutable/,
      );
    } finally {
      await client.end();
    }
    expect(
      (await dataSource.getRepository(SnapshotEntity).findOneByOrFail({ id: snapshot })).source,
    ).toBe('inline (ferry)');
  });

  // Last: it stops the service.
  it('answers a collect that is in flight when the service is told to stop, then exits', async () => {
    let arrived!: () => void;
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    slowRoute = async (res) => {
      arrived();
      await answered;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ nodes: [{ id: 'A', components: [{ name: 'X', version: '1.0' }] }] }));
    };
    const id = await createProject(
      dataSource,
      { kind: 'url', url: `${baseUrl}/slow` },
      readSeed('descriptor.yaml'),
    );
    const reply = collect(id);
    await requested;
    const stopped = service.stop();
    // The inventory API answers only once the service has been told to stop.
    setTimeout(answer, 200);
    await expect(reply).resolves.toMatchObject({ nodes: 1 });
    expect(await stopped).toEqual({ code: null, signal: 'SIGTERM' });
    expect((await project(id)).snapshotId).not.toBeNull();
  });
});
