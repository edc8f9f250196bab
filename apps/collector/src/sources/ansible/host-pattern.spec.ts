import { expandHostPattern, MAX_PATTERN_HOSTS } from './host-pattern';

describe('expandHostPattern', () => {
  it.each([
    ['plain name', 'web01.example.com', ['web01.example.com'], undefined],
    ['numeric range keeps zero padding', 'web[01:03]', ['web01', 'web02', 'web03'], undefined],
    ['unpadded numeric range', 'n[8:11]', ['n8', 'n9', 'n10', 'n11'], undefined],
    ['range with a step', 'n[0:6:3]', ['n0', 'n3', 'n6'], undefined],
    ['empty begin means 0', 'n[:2]', ['n0', 'n1', 'n2'], undefined],
    ['alphabetic range', 'db-[a:c].lan', ['db-a.lan', 'db-b.lan', 'db-c.lan'], undefined],
    ['two ranges multiply', 'r[1:2]-n[a:b]', ['r1-na', 'r1-nb', 'r2-na', 'r2-nb'], undefined],
    ['port', 'web01:2222', ['web01'], 2222],
    ['range and port', 'web[1:2]:22', ['web1', 'web2'], 22],
    ['IPv6 in brackets with port', '[fe80::1]:2222', ['fe80::1'], 2222],
    ['bare IPv6 is a name', 'fe80::1', ['fe80::1'], undefined],
  ])('%s: %s', (_, pattern, hosts, port) => {
    const result = expandHostPattern(pattern);
    expect(result).toEqual(port === undefined ? { ok: true, hosts } : { ok: true, hosts, port });
  });

  it.each([
    ['a range that ends before it begins', 'n[3:1]', 'ends before it begins'],
    ['a padded begin with an end of another width', 'n[01:100]', 'same width'],
    ['no end value', 'n[1:]', 'no end value'],
    ['letters mixed with numbers', 'n[a:9]', 'two numbers or two single letters'],
    ['an unclosed bracket', 'n[1:3', 'unbalanced "["'],
    ['a stray closing bracket', 'n1]', 'unbalanced "]"'],
    ['a port out of range', 'web:70000', 'invalid port'],
    ['a zero step', 'n[1:3:0]', 'positive step'],
    ['an empty name', '  ', 'empty host name'],
  ])('rejects %s', (_, pattern, message) => {
    const result = expandHostPattern(pattern);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('refuses a range larger than a cluster could be instead of running out of memory', () => {
    const result = expandHostPattern(`n[0:${MAX_PATTERN_HOSTS * 10}]`);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(`more than ${MAX_PATTERN_HOSTS}`);
  });

  it('refuses nested ranges whose product is too large', () => {
    const result = expandHostPattern('a[0:9999]b[0:9999]');
    expect(result.ok).toBe(false);
  });
});
