/**
 * Linear's GraphQL endpoint over the shared HTTP client. Linear reports most failures as a GraphQL
 * `errors` array (with HTTP 200, or 400 for bad input and authentication), and its rate limit as a
 * RATELIMITED error that may come with HTTP 400 rather than 429; this module turns the first into
 * LinearError and hands the second to http.ts as the 429 it means, so the one rate-limit policy applies.
 */
import { HttpError, HttpOptions, RateLimitError, request } from './http';

export const LINEAR_API_URL = 'https://api.linear.app/graphql';

/** One entry of a GraphQL `errors` array, as Linear fills it. */
export interface GraphqlErrorEntry {
  message?: string;
  path?: (string | number)[];
  extensions?: { code?: string; type?: string; userPresentableMessage?: string; userError?: boolean };
}

/** Linear refused an operation; `message` is fit to show, `errors` keeps what Linear said. */
export class LinearError extends Error {
  constructor(
    message: string,
    readonly operation: string,
    readonly errors: readonly GraphqlErrorEntry[],
    readonly status: number,
  ) {
    super(message);
  }

  /** Linear's "Entity not found" (an identifier that names nothing, or nothing this key may see). */
  get notFound(): boolean {
    return this.errors.some(
      (e) =>
        /^entity not found/i.test(e.message ?? '') ||
        /^could not find referenced/i.test(e.extensions?.userPresentableMessage ?? ''),
    );
  }

  /** The API key was missing, wrong or revoked. */
  get authentication(): boolean {
    return isAuthError(this.status, this.errors);
  }
}

function isAuthError(status: number, errors: readonly GraphqlErrorEntry[]): boolean {
  return status === 401 || errors.some((e) => e.extensions?.type === 'authentication error' || e.extensions?.code === 'AUTHENTICATION_ERROR');
}

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: GraphqlErrorEntry[];
}

function errorsOf(body: unknown): GraphqlErrorEntry[] | undefined {
  const errors = (body as GraphqlBody | undefined)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? errors : undefined;
}

function isRateLimited(e: GraphqlErrorEntry): boolean {
  return e.extensions?.code === 'RATELIMITED' || e.extensions?.type === 'ratelimited';
}

/**
 * A fetch that reports a RATELIMITED GraphQL error as HTTP 429 with the same headers, so that
 * http.ts waits for `X-RateLimit-Requests-Reset` and sends again (also a create: a rate-limited
 * request was not acted on).
 */
export function rateLimitAwareFetch(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    if (res.status !== 200 && res.status !== 400) return res;
    const text = await res.text();
    let limited = false;
    // Parse only when the word appears, and decide on the parsed errors: a description may contain it.
    if (/ratelimited/i.test(text)) {
      try {
        limited = errorsOf(JSON.parse(text))?.some(isRateLimited) ?? false;
      } catch {
        limited = false;
      }
    }
    return new Response(text, { status: limited ? 429 : res.status, statusText: res.statusText, headers: res.headers });
  };
}

function describeErrors(operation: string, errors: readonly GraphqlErrorEntry[], status: number): string {
  const texts = [...new Set(errors.map((e) => e.extensions?.userPresentableMessage ?? e.message ?? e.extensions?.code ?? 'unknown error'))];
  if (isAuthError(status, errors)) return `Linear did not accept the API key (${texts.join('; ')}). Use a personal API key from Linear's Settings › Security & access.`;
  return `Linear ${operation} failed: ${texts.join('; ')}`;
}

export interface LinearClientOptions {
  apiUrl?: string;
  apiKey: string;
  http?: HttpOptions;
}

export interface RunOptions {
  /** Queries are; a create is not (http.ts then never sends it twice unless it was rate limited). */
  idempotent: boolean;
  signal?: AbortSignal;
}

export class LinearGraphql {
  private readonly url: string;
  private readonly http: HttpOptions;

  constructor(private readonly options: LinearClientOptions) {
    this.url = options.apiUrl ?? LINEAR_API_URL;
    this.http = { ...options.http, fetch: rateLimitAwareFetch(options.http?.fetch ?? fetch) };
  }

  /** Runs one named operation; `operation` is the name in the query text, used in error messages. */
  async run<T>(operation: string, query: string, variables: Record<string, unknown>, opts: RunOptions): Promise<T> {
    let body: unknown;
    let status: number;
    try {
      const res = await request<GraphqlBody>(
        {
          method: 'POST',
          url: this.url,
          // A personal API key goes in as it is; "Bearer" is only for OAuth tokens.
          headers: { authorization: this.options.apiKey },
          json: { query, variables, operationName: operation },
          signal: opts.signal,
          idempotent: opts.idempotent,
        },
        this.http,
      );
      body = res.body;
      status = res.status;
    } catch (e) {
      // A 4xx says what Linear refused; a 5xx stays an HttpError, since the server may have acted.
      if (e instanceof HttpError && !(e instanceof RateLimitError) && e.status >= 400 && e.status < 500) {
        const errors = errorsOf(e.body);
        if (errors || e.status === 401) throw new LinearError(describeErrors(operation, errors ?? [], e.status), operation, errors ?? [], e.status);
      }
      throw e;
    }
    const errors = errorsOf(body);
    if (errors) throw new LinearError(describeErrors(operation, errors, status), operation, errors, status);
    const data = (body as GraphqlBody | undefined)?.data;
    if (!data || typeof data !== 'object') throw new LinearError(`Linear ${operation} failed: the answer carried no data.`, operation, [], status);
    return data as T;
  }
}
