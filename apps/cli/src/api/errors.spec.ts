import { ApiError, ApiUnreachable, networkReason } from './client';
import { cliErrorFrom, formatApiProblem } from './errors';

describe('formatApiProblem', () => {
  const files = {
    descriptor: 'my-descriptor.yaml',
    logicBook: 'logic.yaml',
    inventory: 'inv.yaml',
  };

  it('names the local file for the field the gateway reports (file and path)', () => {
    expect(
      formatApiProblem(
        {
          file: 'descriptor',
          path: 'descriptor: packages[0].version',
          message: 'must be a string',
          code: 'INPUT.VERSION_NOT_STRING',
        },
        files,
      ),
    ).toBe('my-descriptor.yaml: packages[0].version: must be a string [INPUT.VERSION_NOT_STRING]');
  });

  it('reads the field from a dotted path when no file is given', () => {
    expect(
      formatApiProblem({ path: 'logicBook.phases[2].order', message: 'unknown component' }, files),
    ).toBe('logic.yaml: phases[2].order: unknown component');
    expect(formatApiProblem({ path: 'inventory', message: 'is required' }, files)).toBe(
      'inv.yaml: is required',
    );
  });

  it('keeps paths of other fields as they are', () => {
    expect(formatApiProblem({ path: 'name', message: 'may hold only letters' }, files)).toBe(
      'name: may hold only letters',
    );
    expect(formatApiProblem({ file: 'query', path: 'state', message: 'bad' })).toBe(
      'query: state: bad',
    );
  });
});

describe('cliErrorFrom', () => {
  const error = (status: number, body: object) =>
    new ApiError(status, { error: 'X', message: 'm', problems: [], ...body }, 'GET', '/p');

  it('makes 400, 404 and 409 input errors (exit 2), with one line per problem', () => {
    const e = cliErrorFrom(
      error(400, {
        error: 'INPUT.INVALID',
        problems: [
          { path: 'a', message: 'bad' },
          { path: 'b', message: 'worse' },
        ],
      }),
    );
    expect(e.exitCode).toBe(2);
    expect(e.lines).toEqual(['a: bad', 'b: worse']);
    expect(
      cliErrorFrom(error(404, { error: 'NOT_FOUND', message: 'run "x" does not exist' })).lines,
    ).toEqual(['NOT_FOUND: run "x" does not exist']);
    expect(cliErrorFrom(error(404, {})).exitCode).toBe(2);
  });

  it('names the overlapping instances of a run conflict', () => {
    const e = cliErrorFrom(
      error(409, { error: 'RUN.CONFLICT', message: 'busy', conflicts: ['A/X', 'B/X'] }),
    );
    expect(e.exitCode).toBe(2);
    expect(e.lines).toContain('overlapping instances (host/component): A/X, B/X');
  });

  it('hints at FERRY_TOKEN on 401', () => {
    const e = cliErrorFrom(
      error(401, { error: 'AUTH.MISSING_TOKEN', message: 'missing bearer token' }),
    );
    expect(e.lines[0]).toBe('AUTH.MISSING_TOKEN: missing bearer token');
    expect(e.lines.join('\n')).toMatch(/FERRY_TOKEN/);
  });

  it('makes server failures exit 1', () => {
    expect(cliErrorFrom(error(503, { error: 'SERVICE.UNAVAILABLE' })).exitCode).toBe(1);
  });

  it('asks whether `ferry up` runs when nothing answers (exit 1)', () => {
    const e = cliErrorFrom(new ApiUnreachable('http://127.0.0.1:3000', 'ECONNREFUSED'));
    expect(e.exitCode).toBe(1);
    expect(e.lines[0]).toMatch(
      /cannot reach the Ferry API at http:\/\/127\.0\.0\.1:3000 \(ECONNREFUSED\).*ferry up/,
    );
  });
});

describe('networkReason', () => {
  it('finds the code under fetch’s TypeError and AggregateError wrappers', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const wrapped = new TypeError('fetch failed', {
      cause: new AggregateError([refused], 'all failed'),
    });
    expect(networkReason(wrapped)).toBe('ECONNREFUSED');
    expect(networkReason(new Error('plain'))).toBe('plain');
  });
});
