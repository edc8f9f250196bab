import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCodes } from '@ferry/contracts';
import { fetchText } from './http-fetch';
import { SourceError } from './source-error';

/** The HTTP source against a real local HTTP server (no mock): limits, redirects and failures. */
let server: Server;
let base: string;
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case '/small':
        res.end('{"nodes": []}');
        break;
      case '/declared-large':
        res.writeHead(200, { 'content-length': String(2048) }).end('x'.repeat(2048));
        break;
      case '/chunked-large':
        // No content-length: the limit must hold while reading.
        res.writeHead(200);
        for (let i = 0; i < 64; i++) res.write('x'.repeat(64));
        res.end();
        break;
      case '/redirect':
        res.writeHead(302, { location: '/small' }).end();
        break;
      case '/hang':
        hanging.push(res);
        break;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(
  url: string,
  limits = { timeoutMs: 5_000, maxBytes: 1024 },
): Promise<SourceError> {
  try {
    await fetchText(url, limits);
  } catch (e) {
    if (e instanceof SourceError) return e;
    throw e;
  }
  throw new Error(`${url} was fetched`);
}

describe('fetchText', () => {
  it('returns the body of a small answer', async () => {
    expect(await fetchText(`${base}/small`, { timeoutMs: 5_000, maxBytes: 1024 })).toBe(
      '{"nodes": []}',
    );
  });

  it('follows redirects', async () => {
    expect(await fetchText(`${base}/redirect`, { timeoutMs: 5_000, maxBytes: 1024 })).toBe(
      '{"nodes": []}',
    );
  });

  it('refuses an answer whose declared length is over the limit', async () => {
    const e = await failure(`${base}/declared-large`);
    expect([e.code, e.message]).toEqual([
      ErrorCodes.INPUT_INVALID,
      `GET ${base}/declared-large: the inventory is larger than 1 KiB`,
    ]);
  });

  it('stops reading an answer without a length once it passes the limit', async () => {
    const e = await failure(`${base}/chunked-large`);
    expect(e.code).toBe(ErrorCodes.INPUT_INVALID);
    expect(e.message).toContain('larger than');
  });

  it('gives up on a server that does not answer in time', async () => {
    const e = await failure(`${base}/hang`, { timeoutMs: 300, maxBytes: 1024 });
    expect([e.code, e.message]).toEqual([
      ErrorCodes.SOURCE_UNREACHABLE,
      `GET ${base}/hang: no complete answer within 0.3 s`,
    ]);
  });

  it('names the status code of a failed answer', async () => {
    const e = await failure(`${base}/missing`);
    expect([e.code, e.status, e.message]).toEqual([
      ErrorCodes.SOURCE_UNREACHABLE,
      404,
      `GET ${base}/missing: HTTP 404 Not Found`,
    ]);
  });

  it('refuses URLs that are not http(s)', async () => {
    expect((await failure('ftp://example.com/inv')).code).toBe(ErrorCodes.INPUT_INVALID);
    expect((await failure('not a url')).message).toBe('"not a url" is not a valid URL');
  });
});
