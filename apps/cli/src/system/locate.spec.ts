import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBuilt, locateDist, serviceEntry, whichExecutable } from './locate';
import { readableLogLine } from './log-tail';

/** Temporary folders of this file, removed after it. */
const scratchDirs: string[] = [];
const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('locate', () => {
  it('finds an executable on PATH, skipping folders and plain files', () => {
    const root = scratch('ferry-path-');
    const a = join(root, 'a');
    const b = join(root, 'b');
    mkdirSync(join(a, 'nats-server'), { recursive: true }); // a folder of that name
    mkdirSync(b);
    writeFileSync(join(b, 'nats-server'), '#!/bin/sh\n');
    expect(whichExecutable('nats-server', `${a}:${b}`)).toBeNull();
    chmodSync(join(b, 'nats-server'), 0o755);
    expect(whichExecutable('nats-server', `${a}:${b}`)).toBe(join(b, 'nats-server'));
    expect(whichExecutable('nats-server', '')).toBeNull();
  });

  it('finds dist/ from the sources as well as from inside dist', () => {
    const root = scratch('ferry-dist-');
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'apps', 'orchestrator', 'src'), { recursive: true });
    writeFileSync(serviceEntry(dist, 'orchestrator'), '');
    mkdirSync(join(root, 'apps', 'cli', 'src', 'system'), { recursive: true });
    mkdirSync(join(dist, 'apps', 'cli', 'src', 'system'), { recursive: true });
    expect(locateDist(undefined, join(root, 'apps', 'cli', 'src', 'system'))).toBe(dist);
    expect(locateDist(undefined, join(dist, 'apps', 'cli', 'src', 'system'))).toBe(dist);
  });

  it('names the services that are not built', () => {
    const dist = scratch('ferry-dist-');
    expect(() => checkBuilt(dist, ['slicer'])).toThrow(/apps\/slicer\/src\/main\.js is missing/);
  });

  it('makes pino lines readable in a log tail', () => {
    expect(
      readableLogLine('{"level":50,"msg":"cannot start","err":{"message":"ECONNREFUSED"}}'),
    ).toBe('ERROR cannot start: ECONNREFUSED');
    expect(readableLogLine('[1] nats-server ready')).toBe('[1] nats-server ready');
  });
});
