import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A folder of task scripts that append "<FERRY_TASK> <FERRY_ATTEMPT>" to a marker file when they run. */
export class ScriptFolder {
  private constructor(
    readonly dir: string,
    readonly marker: string,
  ) {}

  static async create(): Promise<ScriptFolder> {
    const dir = await mkdtemp(path.join(tmpdir(), 'ferry-executor-it-'));
    const folder = new ScriptFolder(path.join(dir, 'scripts'), path.join(dir, 'ran.log'));
    const record = `echo "$FERRY_TASK $FERRY_ATTEMPT" >> '${folder.marker}'`;
    await folder.script('_default/ok', `${record}\necho "ok $FERRY_TASK"`);
    await folder.script('_default/fail', `${record}\necho "failing $FERRY_TASK" >&2\nexit 3`);
    // Runs until the file named after the task appears in the folder (the test releases it).
    await folder.script(
      '_default/wait',
      `${record}\nwhile [ ! -e '${dir}/release-'"$FERRY_TASK" ]; do sleep 0.02; done\necho released`,
    );
    return folder;
  }

  async script(name: string, body: string): Promise<void> {
    const file = path.join(this.dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `#!/bin/sh\nset -eu\n${body}\n`);
    await chmod(file, 0o755);
  }

  async release(task: string): Promise<void> {
    await writeFile(path.join(this.dir, '..', `release-${task}`), '');
  }

  /** The task names that ran, in order. */
  async ran(): Promise<string[]> {
    try {
      return (await readFile(this.marker, 'utf8')).split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }
}
