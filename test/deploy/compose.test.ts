import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

const root = join(__dirname, '..', '..');

/** `docker compose` (plugin) or the standalone `docker-compose`; the test fails, never skips, without one. */
function composeCommand(): string[] {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0)
    return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0)
    return ['docker-compose'];
  throw new Error(
    'this test needs Docker Compose to check docker-compose.yml: install the Docker Compose plugin, or `apt-get install docker-compose`',
  );
}

function composeConfig(env: Record<string, string>): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const [command, ...args] = composeCommand();
  const result = spawnSync(command, [...args, '-f', join(root, 'docker-compose.yml'), 'config'], {
    cwd: root,
    encoding: 'utf8',
    // Only what the test sets: no .env of the developer's leaks in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
}

describe('docker-compose.yml', () => {
  const env = { FERRY_DB_PASSWORD: 'test-password', FERRY_TOKENS: 'admin:test-token' };

  it('passes `docker compose config` and starts NATS, PostgreSQL and every service', () => {
    const result = composeConfig(env);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    const config = load(result.stdout) as { services: Record<string, ComposeService> };
    expect(Object.keys(config.services).sort()).toEqual([
      'collector',
      'dispatcher',
      'nats',
      'node-executor',
      'orchestrator',
      'postgres',
      'slicer',
      'status-receiver',
    ]);
    expect(config.services.nats.command).toContain('-js');
  });

  it('runs each Ferry service from an entry point that exists in the repository', () => {
    const config = load(composeConfig(env).stdout) as { services: Record<string, ComposeService> };
    for (const name of [
      'collector',
      'dispatcher',
      'node-executor',
      'orchestrator',
      'slicer',
      'status-receiver',
    ]) {
      const service = config.services[name];
      expect(service.image).toBe('ferry:local');
      const entry = (service.command ?? []).find((part) => part.startsWith('dist/'));
      expect(entry).toBe(`dist/apps/${name}/src/main.js`);
      expect(existsSync(join(root, 'apps', name, 'src', 'main.ts'))).toBe(true);
      expect(service.environment?.NATS_URL).toBe('nats://nats:4222');
      expect(service.environment?.DATABASE_URL).toBe(
        'postgres://ferry:test-password@postgres:5432/ferry',
      );
    }
  });

  it('runs the node executor as a pool of replicas', () => {
    const config = load(composeConfig(env).stdout) as { services: Record<string, ComposeService> };
    expect(config.services['node-executor'].command).toContain('--pool');
    expect(config.services['node-executor'].deploy?.replicas).toBeGreaterThan(1);
  });

  it('holds no credentials: without FERRY_DB_PASSWORD and FERRY_TOKENS it refuses, naming them', () => {
    const result = composeConfig({});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/FERRY_DB_PASSWORD|FERRY_TOKENS/);
  });

  it('builds from files that exist (the Dockerfile copies nothing that is missing)', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      m[1].split(/\s+/),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) expect(existsSync(join(root, source))).toBe(true);
  });
});
