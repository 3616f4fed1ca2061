/**
 * HTTP for the sync providers: JSON requests with a timeout, cancellation, rate limits respected
 * (Retry-After, reset headers) and retries with backoff on 5xx, timeouts and dropped connections.
 * Only reads are retried once the server may have acted: a write sent again after a lost response
 * would overwrite whatever someone changed in between, so its caller re-reads and decides instead.
 */

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers,
  ) {
    super(message);
  }
}

/** Cancelled by the user (or the signal's owner); nothing after the cancel was sent. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled.');
  }
}

/** The service asked us to wait longer than we are willing to. */
export class RateLimitError extends HttpError {
  constructor(
    message: string,
    readonly retryAt: Date,
    status: number,
    body: unknown,
    headers: Headers,
  ) {
    super(message, status, body, headers);
  }
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  signal?: AbortSignal;
  /**
   * Whether sending twice is harmless: a GET is; a write (POST, PUT, PATCH, DELETE) is not unless the
   * caller says so (a GraphQL query sent as POST is). A write is retried only on a rate limit, which
   * means the server did not act on it; after a dropped connection, a timeout or a 5xx it fails with
   * an error for which outcomeUnknown() is true.
   */
  idempotent?: boolean;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface HttpOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  timeoutMs?: number;
  /** First backoff; doubles each retry, with jitter. */
  backoffMs?: number;
  /** The longest wait for a rate limit before giving up with a RateLimitError. */
  maxWaitMs?: number;
  /** For tests: how time passes. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  fetch?: typeof fetch;
}

const DEFAULTS = { attempts: 5, timeoutMs: 30_000, backoffMs: 500, maxWaitMs: 120_000 };

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * When a response says to come back later: `Retry-After` (seconds or an HTTP date), or a reset
 * time (`X-RateLimit-Reset` in epoch seconds as GitHub sends it, or epoch milliseconds as Linear's
 * `X-RateLimit-Requests-Reset`) when the remaining count is 0. Undefined when it names no time.
 */
export function retryDelayMs(status: number, headers: Headers, now: number): number | undefined {
  const after = headers.get('retry-after');
  if (after !== null) {
    const secs = Number(after);
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const at = Date.parse(after);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const limited = status === 429 || (status === 403 && headers.get('x-ratelimit-remaining') === '0');
  if (!limited) return undefined;
  for (const name of ['x-ratelimit-reset', 'x-ratelimit-requests-reset']) {
    const v = Number(headers.get(name));
    if (!headers.has(name) || !Number.isFinite(v) || v <= 0) continue;
    const atMs = v < 1e12 ? v * 1000 : v;
    return Math.max(0, atMs - now);
  }
  return undefined;
}

function isRateLimited(status: number, headers: Headers): boolean {
  return status === 429 || (status === 403 && headers.get('x-ratelimit-remaining') === '0');
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function describe(status: number, body: unknown): string {
  const b = body as { message?: unknown; errorMessages?: unknown; errors?: unknown } | undefined;
  const detail =
    (typeof b?.message === 'string' && b.message) ||
    (Array.isArray(b?.errorMessages) && b.errorMessages.join('; ')) ||
    (Array.isArray(b?.errors) && b.errors.map((e: { message?: string }) => e?.message ?? String(e)).join('; ')) ||
    (typeof body === 'string' && body.slice(0, 200)) ||
    '';
  return `HTTP ${status}${detail ? `: ${detail}` : ''}`;
}

/** One JSON request, retried as HttpRequest.idempotent allows. Throws HttpError for a final non-2xx. */
export async function request<T = unknown>(req: HttpRequest, options: HttpOptions = {}): Promise<HttpResponse<T>> {
  const o = { ...DEFAULTS, ...options };
  const sleep = o.sleep ?? abortableSleep;
  const now = o.now ?? Date.now;
  const doFetch = o.fetch ?? fetch;
  const method = req.method ?? 'GET';
  const idempotent = req.idempotent ?? method === 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (req.json !== undefined) headers['content-type'] = 'application/json';

  for (let attempt = 1; ; attempt++) {
    if (req.signal?.aborted) throw new CancelledError();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), o.timeoutMs);
    const onAbort = () => timeout.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    let res: Response;
    try {
      res = await doFetch(req.url, {
        method,
        headers,
        body: req.json === undefined ? undefined : JSON.stringify(req.json),
        signal: timeout.signal,
      });
    } catch (e) {
      if (req.signal?.aborted) throw new CancelledError();
      // Timed out or the connection dropped: the server may have acted, so only idempotent requests go again.
      if (!idempotent || attempt >= o.attempts) {
        const what = timeout.signal.aborted ? `timed out after ${o.timeoutMs} ms` : (e as Error).message;
        throw new HttpError(`${method} ${req.url} ${what}`, 0, undefined, new Headers());
      }
      await sleep(backoff(o.backoffMs, attempt), req.signal);
      continue;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }

    const body = await readBody(res);
    if (res.ok) return { status: res.status, headers: res.headers, body: body as T };

    if (isRateLimited(res.status, res.headers)) {
      const wait = retryDelayMs(res.status, res.headers, now()) ?? backoff(o.backoffMs, attempt);
      if (wait > o.maxWaitMs || attempt >= o.attempts) {
        const at = new Date(now() + wait);
        throw new RateLimitError(`Rate limited; the service allows the next request at ${at.toISOString()}.`, at, res.status, body, res.headers);
      }
      await sleep(wait, req.signal);
      continue;
    }
    const transient = res.status >= 500 || res.status === 408;
    if (transient && idempotent && attempt < o.attempts) {
      const wait = retryDelayMs(res.status, res.headers, now()) ?? backoff(o.backoffMs, attempt);
      await sleep(Math.min(wait, o.maxWaitMs), req.signal);
      continue;
    }
    throw new HttpError(`${method} ${req.url} failed: ${describe(res.status, body)}`, res.status, body, res.headers);
  }
}

/**
 * Whether a failed request may still have taken effect: the connection dropped or timed out after it
 * was sent, or the server failed (5xx) part way. A refusal (4xx), a rate limit and a cancel did not act.
 * Looks through `cause`, so a provider's own error wrapping an HttpError answers the same.
 */
export function outcomeUnknown(e: unknown): boolean {
  let x: unknown = e;
  for (let depth = 0; x instanceof Error && depth < 5; depth++) {
    if (x instanceof RateLimitError || x instanceof CancelledError) return false;
    if (x instanceof HttpError) return x.status === 0 || x.status >= 500;
    x = x.cause;
  }
  return false;
}

function backoff(base: number, attempt: number): number {
  const exp = base * 2 ** (attempt - 1);
  return exp / 2 + Math.random() * (exp / 2);
}
