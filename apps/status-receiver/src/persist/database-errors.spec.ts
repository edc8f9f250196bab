import { classifyFailure } from './database-errors';

describe('classifyFailure', () => {
  it.each([
    ['40P01', 'conflict'],
    ['40001', 'conflict'],
    ['22P02', 'content'],
    ['22007', 'content'],
    ['23503', 'content'],
    ['21000', 'content'],
    ['54000', 'content'],
    ['57P01', 'outage'],
    ['08006', 'outage'],
    ['53300', 'outage'],
    ['42P01', 'outage'],
  ])('reads SQLSTATE %s as %s', (code, kind) => {
    expect(classifyFailure(Object.assign(new Error('x'), { code }))).toBe(kind);
  });

  it('reads errors without an SQLSTATE (connection refused, socket closed) as an outage', () => {
    expect(
      classifyFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBe('outage');
    expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toBe('outage');
    expect(classifyFailure(null)).toBe('outage');
  });
});
