import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attemptKey, jobKey } from './attempt-key';
import { AttemptStore, attemptLogName } from './attempt-store';

describe('AttemptStore', () => {
  let dir: string;
  const open: AttemptStore[] = [];
  async function store(id: string): Promise<AttemptStore> {
    const s = await AttemptStore.open(dir, id);
    open.push(s);
    return s;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-attempts-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('claims a key once; a second claim gets nothing', async () => {
    const s = await store('a');
    expect(await s.claim(['r/t1/1', 'r/t2/1'])).toEqual(['r/t1/1', 'r/t2/1']);
    expect(await s.claim(['r/t1/1', 'r/t3/1'])).toEqual(['r/t3/1']);
  });

  it('hands a key to only one of two concurrent claims in one process', async () => {
    const s = await store('a');
    const [first, second] = await Promise.all([s.claim(['k']), s.claim(['k'])]);
    expect([...first, ...second]).toEqual(['k']);
  });

  it('writes claims that arrive together in one append, one key per line', async () => {
    const s = await store('a');
    await Promise.all([s.claim(['a/1/1', 'a/2/1']), s.claim(['b/1/1']), s.claim([jobKey('J1')])]);
    expect(await readFile(join(dir, attemptLogName('a')), 'utf8')).toBe(
      'a/1/1\na/2/1\nb/1/1\njob J1\n',
    );
  });

  it('reloads what was claimed before a restart', async () => {
    const first = await store('a');
    await first.claim(['r/t/1']);
    await first.close();
    open.splice(open.indexOf(first), 1);
    const again = await store('a');
    expect(again.has('r/t/1')).toBe(true);
    expect(await again.claim(['r/t/1', 'r/t/2'])).toEqual(['r/t/2']);
  });

  it('ignores a partial last line left by a crash, and appends cleanly after it', async () => {
    await writeFile(join(dir, attemptLogName('a')), 'r/t/1\nr/t/2');
    const s = await store('a');
    expect(s.has('r/t/1')).toBe(true);
    expect(s.has('r/t/2')).toBe(false);
    expect(await s.claim(['r/t/2'])).toEqual(['r/t/2']);
    expect(await readFile(join(dir, attemptLogName('a')), 'utf8')).toBe('r/t/1\nr/t/2\n');
  });

  it('sees what another executor of the state dir claimed since it last looked', async () => {
    const a = await store('a');
    const b = await store('b');
    expect(await a.claim(['r/t/1'])).toEqual(['r/t/1']);
    expect(await b.claim(['r/t/1', 'r/t/2'])).toEqual(['r/t/2']);
    expect(await a.claim(['r/t/2'])).toEqual([]);
    // Lines appended later (another process) are read from the last offset on.
    await appendFile(join(dir, attemptLogName('c')), 'r/t/3\n');
    expect(await a.claim(['r/t/3', 'r/t/4'])).toEqual(['r/t/4']);
  });

  it('does not read another file’s unfinished last line until it is complete', async () => {
    const a = await store('a');
    const other = join(dir, attemptLogName('c'));
    await writeFile(other, 'r/t/1\nr/t/');
    expect(await a.claim(['r/t/9'])).toEqual(['r/t/9']);
    await appendFile(other, '2\n');
    expect(await a.claim(['r/t/1', 'r/t/2', 'r/t/3'])).toEqual(['r/t/3']);
  });

  it('loads the other executors’ files at start', async () => {
    await writeFile(
      join(dir, attemptLogName('old-pool-member')),
      `${attemptKey({ run: 'r', task: 't', attempt: 1 })}\n${jobKey('K')}\n`,
    );
    const s = await store('new');
    expect(s.has('r/t/1')).toBe(true);
    expect(
      await s.claim([jobKey('K'), attemptKey({ run: 'r', task: 't', attempt: 1, undo: true })]),
    ).toEqual(['r/t/1/undo']);
  });

  it('refuses a claim whose key another executor wrote while an earlier claim of ours was being committed', async () => {
    const s = await store('a');
    await appendFile(join(dir, attemptLogName('b')), 'job K\n');
    const first = s.claim(['r/t/1']);
    await new Promise((r) => setImmediate(r)); // the first commit is under way (and will read b's line)
    const second = s.claim(['job K']); // waits for the next commit, which finds nothing new in b's file
    expect(await first).toEqual(['r/t/1']);
    expect(await second).toEqual([]);
    expect(await readFile(join(dir, attemptLogName('a')), 'utf8')).toBe('r/t/1\n');
  });

  it('gives a key to exactly one of many stores racing for it', async () => {
    const stores = await Promise.all(['p1', 'p2', 'p3', 'p4'].map(store));
    const keys = Array.from({ length: 50 }, (_, i) => `r/t${i}/1`);
    const results = await Promise.all(stores.map((s) => s.claim(keys)));
    const all = results.flat().sort();
    expect(all).toEqual([...keys].sort());
  });

  it('keeps one key on one line even when a job key holds a line break', async () => {
    const s = await store('a');
    await s.claim([jobKey('evil\njob x')]);
    expect(await readFile(join(dir, attemptLogName('a')), 'utf8')).toBe('job evil\\njob x\n');
  });
});
