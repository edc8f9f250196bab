import { parseTokens, resolveTokens } from './tokens';

describe('tokens', () => {
  it('reads role:token pairs and picks the highest role for the client', () => {
    expect(parseTokens('viewer:look, admin:s3cret')).toEqual([
      { role: 'viewer', token: 'look' },
      { role: 'admin', token: 's3cret' },
    ]);
    const t = resolveTokens('viewer:look,operator:op:with:colons');
    expect(t).toMatchObject({ token: 'op:with:colons', role: 'operator', generated: false });
    expect(t.spec).toBe('viewer:look,operator:op:with:colons');
  });

  it('makes up a random admin token when none is given', () => {
    const a = resolveTokens(undefined);
    const b = resolveTokens('  ');
    expect(a).toMatchObject({ role: 'admin', generated: true });
    expect(a.spec).toBe(`admin:${a.token}`);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(b.token).not.toBe(a.token);
  });

  it('refuses an unknown role or a pair without a token (exit 2), without echoing the secret', () => {
    expect(() => parseTokens('root:secret')).toThrow(/role:token pairs/);
    expect(() => parseTokens('root:secret')).not.toThrow(/secret/);
    expect(() => parseTokens('admin:')).toThrow(/role:token/);
  });
});
