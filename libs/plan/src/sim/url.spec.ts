import type { Problem } from '../problems/problem';
import { isSimUrl, parseSimUrl, SIM_LIMITS, type SimSpec } from './url';

function spec(url: string): SimSpec {
  const result = parseSimUrl(url);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.value;
}

function problems(url: string): Problem[] {
  const result = parseSimUrl(url);
  if (result.ok) throw new Error(`${url} was accepted`);
  return result.problems;
}

function roleCounts(url: string): Record<string, number> {
  return Object.fromEntries(spec(url).roles.map((r) => [r.name, r.count]));
}

describe('isSimUrl', () => {
  it('recognises the sim:// scheme only', () => {
    expect(isSimUrl('sim://nodes=3')).toBe(true);
    expect(isSimUrl('SIM://nodes=3')).toBe(true);
    expect(isSimUrl('inventory.yaml')).toBe(false);
    expect(isSimUrl('https://inventory.example/api')).toBe(false);
    expect(isSimUrl('sim:nodes=3')).toBe(false);
    expect(isSimUrl(undefined)).toBe(false);
    expect(isSimUrl({ source: 'sim://nodes=3' })).toBe(false);
  });
});

describe('parseSimUrl', () => {
  it('fills in every default', () => {
    expect(spec('sim://nodes=10')).toEqual({
      nodes: 10,
      components: 10,
      roles: [
        { name: 'management', count: 3 },
        { name: 'network', count: 2 },
        { name: 'compute', count: 5 },
      ],
      azs: 3,
      seed: 1,
      atTarget: 0,
      perNode: 10,
      from: '1.0',
      to: '2.0',
      mode: 'restart',
    });
  });

  it('reads every parameter', () => {
    expect(
      spec(
        'sim://nodes=20&components=4&roles=ctrl:1,worker&azs=2&seed=42&at_target=0.25&per_node=3&from=27.0.1&to=28.0.0&mode=hot',
      ),
    ).toEqual({
      nodes: 20,
      components: 4,
      roles: [
        { name: 'ctrl', count: 1 },
        { name: 'worker', count: 19 },
      ],
      azs: 2,
      seed: 42,
      atTarget: 0.25,
      perNode: 3,
      from: '27.0.1',
      to: '28.0.0',
      mode: 'hot',
    });
  });

  it('does not care about parameter order, a leading "?" or stray "&"', () => {
    const a = spec('sim://nodes=9&components=3&seed=5');
    expect(spec('sim://seed=5&components=3&nodes=9')).toEqual(a);
    expect(spec('sim://?nodes=9&&components=3&seed=5&')).toEqual(a);
  });

  it('decodes percent-encoded values and keeps a bare "%"', () => {
    expect(roleCounts('sim://nodes=10&roles=a:50%25,b')).toEqual({ a: 5, b: 5 });
    expect(roleCounts('sim://nodes=10&roles=a:50%,b')).toEqual({ a: 5, b: 5 });
  });

  describe('roles', () => {
    it('assigns counts, percentages and the rest in the order given', () => {
      expect(spec('sim://nodes=10&roles=compute,management:3,network:20%').roles).toEqual([
        { name: 'compute', count: 5 },
        { name: 'management', count: 3 },
        { name: 'network', count: 2 },
      ]);
    });

    it('shares percentages out by largest remainder so they add up', () => {
      expect(roleCounts('sim://nodes=3&roles=a:50%,b:50%')).toEqual({ a: 2, b: 1 });
      expect(roleCounts('sim://nodes=300&roles=a:33.3333%,b:33.3333%,c:33.3334%')).toEqual({
        a: 100,
        b: 100,
        c: 100,
      });
      expect(roleCounts('sim://nodes=7&roles=a:10%,b')).toEqual({ a: 1, b: 6 });
      expect(roleCounts('sim://nodes=10&roles=a:0%,b:100%')).toEqual({ a: 0, b: 10 });
    });

    it('leaves nodes without a role when no role takes the rest', () => {
      expect(spec('sim://nodes=10&roles=management:3').roles).toEqual([
        { name: 'management', count: 3 },
      ]);
    });

    it('cuts the default roles short on small clusters', () => {
      expect(roleCounts('sim://nodes=4')).toEqual({ management: 3, network: 1, compute: 0 });
      expect(roleCounts('sim://nodes=1')).toEqual({ management: 1, network: 0, compute: 0 });
    });

    it('gives the rest role nothing when the counts use every node', () => {
      expect(roleCounts('sim://nodes=5&roles=management:3,network:2,compute')).toEqual({
        management: 3,
        network: 2,
        compute: 0,
      });
    });
  });

  describe('problems', () => {
    function only(url: string): Problem {
      const found = problems(url);
      expect(found).toHaveLength(1);
      expect(found[0].code).toBe('SIM.BAD_URL');
      expect(found[0].file).toBe(url);
      return found[0];
    }

    it('needs nodes', () => {
      expect(only('sim://components=3')).toMatchObject({
        path: 'nodes',
        message: expect.stringContaining('required'),
      });
      expect(only('sim://')).toMatchObject({ path: 'nodes' });
    });

    it('rejects anything but the sim:// scheme', () => {
      expect(only('nodes=3')).toMatchObject({ path: '' });
    });

    it.each([
      ['nodes', 'sim://nodes=0'],
      ['nodes', 'sim://nodes=-3'],
      ['nodes', 'sim://nodes=ten'],
      ['nodes', 'sim://nodes=1.5'],
      ['nodes', 'sim://nodes=1e3'],
      ['nodes', 'sim://nodes=+3'],
      ['nodes', 'sim://nodes='],
      ['nodes', 'sim://nodes'],
      ['nodes', `sim://nodes=${SIM_LIMITS.nodes + 1}&components=1`],
      ['components', 'sim://nodes=3&components=0'],
      ['components', 'sim://nodes=3&components=x'],
      ['azs', 'sim://nodes=3&azs=-1'],
      ['azs', 'sim://nodes=3&azs=two'],
      ['seed', 'sim://nodes=3&seed=-1'],
      ['seed', 'sim://nodes=3&seed=abc'],
      ['seed', 'sim://nodes=3&seed=99999999999999999'],
      ['at_target', 'sim://nodes=3&at_target=1.5'],
      ['at_target', 'sim://nodes=3&at_target=-0.1'],
      ['at_target', 'sim://nodes=3&at_target=50%'],
      ['at_target', 'sim://nodes=3&at_target=half'],
      ['per_node', 'sim://nodes=3&per_node=0'],
      ['per_node', 'sim://nodes=3&components=4&per_node=5'],
      ['from', 'sim://nodes=3&from='],
      ['from', 'sim://nodes=3&from=1 0'],
      ['to', 'sim://nodes=3&to=2/0'],
      ['to', 'sim://nodes=3&from=2.0&to=2.0'],
      ['mode', 'sim://nodes=3&mode=re start'],
      ['mode', 'sim://nodes=3&mode='],
      ['roles', 'sim://nodes=3&roles='],
      ['roles', 'sim://nodes=3&roles=a:1,,b'],
      ['roles', 'sim://nodes=3&roles=a:x'],
      ['roles', 'sim://nodes=3&roles=a:'],
      ['roles', 'sim://nodes=3&roles=a:-1'],
      ['roles', 'sim://nodes=3&roles=a:101%'],
      ['roles', 'sim://nodes=3&roles=:2'],
      ['roles', 'sim://nodes=3&roles=a b:1'],
      ['roles', 'sim://nodes=3&roles=a,b'],
      ['roles', 'sim://nodes=3&roles=a:1,a:1'],
      ['roles', 'sim://nodes=3&roles=a:2,b:2'],
      ['roles', 'sim://nodes=3&roles=a:60%,b:60%'],
      ['colour', 'sim://nodes=3&colour=blue'],
      ['nodes', 'sim://nodes=3&nodes=4'],
    ])('reports %s in %s', (path, url) => {
      expect(only(url).path).toBe(path);
    });

    it('reports too many instances', () => {
      const p = only('sim://nodes=1000000&components=6');
      expect(p.path).toBe('nodes');
      expect(p.message).toContain(String(SIM_LIMITS.instances));
    });

    it('names the bad value and what is expected', () => {
      expect(only('sim://nodes=ten').message).toBe(
        'nodes must be a positive integer of at most 1000000, not "ten"',
      );
      expect(only('sim://nodes=3&roles=a:x').message).toContain(
        '"x" is neither a count (a whole number) nor a percentage',
      );
      expect(only('sim://nodes=3&colour=blue').message).toContain('unknown parameter "colour"');
      expect(only('sim://nodes=4&roles=management:3,network:2,compute').message).toBe(
        'the role counts need 5 nodes but nodes=4 (management:3, network:2, compute:0)',
      );
    });

    it('reports every problem at once', () => {
      const found = problems('sim://components=0&azs=x&at_target=2&colour=red&roles=a,b');
      expect(found.map((p) => p.path).sort()).toEqual([
        'at_target',
        'azs',
        'colour',
        'components',
        'nodes',
        'roles',
      ]);
    });

    it('does not blame per_node for a bad components value', () => {
      expect(problems('sim://nodes=3&components=x').map((p) => p.path)).toEqual(['components']);
    });
  });
});
