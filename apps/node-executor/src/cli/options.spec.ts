import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HelpShown, OptionsError, parseExecutorArgs } from './options';

const scripts = mkdtempSync(join(tmpdir(), 'ferry-opt-'));
const env = { FERRY_SCRIPTS: scripts };
const parse = (argv: string[], e: NodeJS.ProcessEnv = env) =>
  parseExecutorArgs(argv, e, () => undefined);

describe('parseExecutorArgs', () => {
  it('serves one host with the documented defaults', () => {
    const o = parse(['--host', 'node-1.az1']);
    expect(o).toMatchObject({
      mode: 'host',
      host: 'node-1.az1',
      simulate: false,
      parallel: 16,
      heartbeatMs: 5000,
      killGraceMs: 10_000,
      scriptsDir: scripts,
      statsFile: null,
      executorId: 'host-node-1.az1',
    });
    expect(o.stateDir).toBe(resolve('./.ferry/executor'));
  });

  it('takes the state dir from FERRY_STATE_DIR unless --state-dir says otherwise', () => {
    expect(parse(['--pool'], { ...env, FERRY_STATE_DIR: '/var/lib/ferry' }).stateDir).toBe(
      '/var/lib/ferry',
    );
    expect(
      parse(['--pool', '--state-dir', '/x'], { ...env, FERRY_STATE_DIR: '/var/lib/ferry' })
        .stateDir,
    ).toBe('/x');
  });

  it('reads every simulation flag', () => {
    const o = parse(
      [
        '--pool',
        '--simulate',
        '--task-ms',
        '50',
        '--task-ms-jitter',
        '10',
        '--fail-rate',
        '0.25',
        '--fail-tasks',
        'a, b,c',
        '--seed',
        '7',
        '--parallel',
        '4',
        '--heartbeat-s',
        '0.5',
        '--kill-grace-s',
        '0',
        '--executor-id',
        'pool-1',
      ],
      {},
    );
    expect(o).toMatchObject({
      mode: 'pool',
      host: null,
      simulate: true,
      parallel: 4,
      heartbeatMs: 500,
      killGraceMs: 0,
      executorId: 'pool-1',
      scriptsDir: null,
    });
    expect(o.simulation).toEqual({
      taskMs: 50,
      taskMsJitter: 10,
      failRate: 0.25,
      failTasks: new Set(['a', 'b', 'c']),
      seed: 7,
    });
  });

  it('names pool members after the machine and process', () => {
    expect(parse(['--pool']).executorId).toMatch(new RegExp(`^pool-.+-${process.pid}$`));
  });

  it.each([
    [[], /--host ID .* or --pool/],
    [['--host', 'a', '--pool'], /not both/],
    [['--host', 'a b'], /--host: invalid host/],
    [['--pool', '--parallel', '0'], /--parallel must be a whole number ≥ 1/],
    [['--pool', '--parallel', 'many'], /--parallel must be a whole number/],
    [['--pool', '--simulate', '--fail-rate', '1.5'], /--fail-rate must be a number ≥ 0 and ≤ 1/],
    [['--pool', '--heartbeat-s', '0'], /--heartbeat-s must be a number > 0/],
    [['--pool', '--task-ms', '5'], /--task-ms only apply with --simulate/],
    [['--pool', '--executor-id', 'a/b'], /--executor-id may hold only/],
    [['--pool', '--bogus'], /unknown option '--bogus'/],
    [['--pool', 'extra'], /too many arguments/],
  ])('rejects %j', (argv, message) => {
    expect(() => parse(argv as string[])).toThrow(OptionsError);
    expect(() => parse(argv as string[])).toThrow(message);
  });

  it('needs FERRY_SCRIPTS, an existing folder, unless simulating', () => {
    expect(() => parse(['--pool'], {})).toThrow(/FERRY_SCRIPTS is not set/);
    expect(() => parse(['--pool'], { FERRY_SCRIPTS: join(scripts, 'missing') })).toThrow(
      /is not a folder/,
    );
    expect(parse(['--pool', '--simulate'], {}).scriptsDir).toBeNull();
  });

  it('prints help and says so', () => {
    let printed = '';
    expect(() => parseExecutorArgs(['--help'], env, (t) => (printed += t))).toThrow(HelpShown);
    expect(printed).toContain('--kill-grace-s');
  });
});
