import type { ErrorBody } from './types';

export const DEFAULT_API = 'http://127.0.0.1:3000';

/** Where the API is and who we are: `FERRY_API` (default http://127.0.0.1:3000), `FERRY_TOKEN`. */
export interface ApiConfig {
  readonly baseUrl: string;
  readonly token?: string;
}

export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const baseUrl = (env.FERRY_API?.trim() || DEFAULT_API).replace(/\/+$/, '');
  const token = env.FERRY_TOKEN?.trim();
  return token ? { baseUrl, token } : { baseUrl };
}

/** The API answered with an error status; `body` is its `{error, message, problems}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path}: ${status} ${body.error}: ${body.message}`);
    this.name = 'ApiError';
  }
}

/** No HTTP answer at all: nothing listens there, the name does not resolve, the link dropped. */
export class ApiUnreachable extends Error {
  constructor(
    readonly baseUrl: string,
    readonly reason: string,
  ) {
    super(`cannot reach the Ferry API at ${baseUrl} (${reason})`);
    this.name = 'ApiUnreachable';
  }
}

/** The most telling code of a fetch failure (`ECONNREFUSED`, `ENOTFOUND`, …). */
export function networkReason(e: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = e;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, errors, cause } = current as {
      code?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (Array.isArray(errors) && errors.length) current = errors[0];
    else current = cause;
  }
  return e instanceof Error ? e.message : String(e);
}

function errorBodyFrom(status: number, text: string): ErrorBody {
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody>;
    if (parsed && typeof parsed === 'object' && typeof parsed.error === 'string') {
      return {
        ...parsed,
        error: parsed.error,
        message: typeof parsed.message === 'string' ? parsed.message : '',
        problems: Array.isArray(parsed.problems) ? parsed.problems : [],
      };
    }
  } catch {
    // not JSON: some other server (or a proxy) answered
  }
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return { error: `HTTP.${status}`, message: snippet || `HTTP ${status}`, problems: [] };
}

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Query;
  readonly accept?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** A thin client over Node's fetch: JSON in and out, Bearer token, typed errors. */
export class ApiClient {
  constructor(
    readonly config: ApiConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  url(path: string, query?: Query): string {
    const url = new URL(`${this.config.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** Sends one request and returns the raw response; error statuses become ApiError. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {
      ...options.headers,
      accept: options.accept ?? 'application/json',
    };
    if (this.config.token) headers.authorization = `Bearer ${this.config.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (e) {
      if (options.signal?.aborted) throw e;
      throw new ApiUnreachable(this.config.baseUrl, networkReason(e));
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new ApiError(response.status, errorBodyFrom(response.status, text), method, path);
    }
    return response;
  }

  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    const text = await response.text();
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(
        response.status,
        {
          error: 'HTTP.NOT_JSON',
          message: `expected JSON, got: ${text.slice(0, 120)}`,
          problems: [],
        },
        method,
        path,
      );
    }
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>('GET', path, { query });
  }

  post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    return this.json<T>('POST', path, { body: body ?? {}, query });
  }

  async text(path: string, query?: Query): Promise<string> {
    const response = await this.send('GET', path, { query, accept: 'text/plain, */*' });
    return response.text();
  }
}

/** A path segment: ids and names may hold `@`, `:` or `/`-free text; encode them all the same. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
