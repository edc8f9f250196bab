import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockStateDir, stateDirHolder } from './state-lock';

/** Temporary folders of this file, removed after it. */
const scratchDirs: string[] = [];
const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('lockStateDir', () => {
  it('lets one holder in at a time, and the next after a release', () => {
    const dir = scratch('ferry-lock-');
    const release = lockStateDir(dir);
    expect(stateDirHolder(dir)).toBe(process.pid);
    expect(() => lockStateDir(dir)).toThrow(/another `ferry up` \(pid \d+\) is using/);
    release();
    expect(stateDirHolder(dir)).toBeNull();
    lockStateDir(dir)();
  });

  it('takes over a lock whose process is gone', () => {
    const dir = scratch('ferry-lock-');
    writeFileSync(join(dir, 'ferry-up.lock'), '2147483646\n');
    expect(stateDirHolder(dir)).toBeNull();
    const release = lockStateDir(dir);
    expect(stateDirHolder(dir)).toBe(process.pid);
    release();
  });
});
