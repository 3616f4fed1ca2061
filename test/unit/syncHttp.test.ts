import * as assert from 'assert/strict';
import * as http from 'http';
import { AddressInfo } from 'net';
import { CancelledError, HttpError, HttpOptions, outcomeUnknown, RateLimitError, request, retryDelayMs } from '../../src/core/sync/http';

type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A server that answers each request with the next scripted reply and counts what it got. */
async function serve(replies: Reply[]) {
  const got: { method: string; body: string }[] = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    got.push({ method: req.method!, body });
    const reply = replies[Math.min(got.length - 1, replies.length - 1)];
    reply(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/thing`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return { url, got, close };
}

const json = (status: number, data: unknown, headers: Record<string, string> = {}): Reply => (_, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(data));
};
/** Never answers (until the server closes). */
const hang: Reply = () => undefined;

describe('sync http client against a real server', () => {
  let waits: number[];
  const NOW = Date.parse('2026-12-01T10:00:00Z');
  const opts = (extra: HttpOptions = {}): HttpOptions => ({ sleep: async (ms) => void waits.push(ms), now: () => NOW, backoffMs: 10, timeoutMs: 2000, ...extra });
  beforeEach(() => (waits = []));

  it('429 with Retry-After in seconds waits that long, then succeeds', async () => {
    const s = await serve([json(429, { message: 'slow down' }, { 'retry-after': '3' }), json(200, { ok: 1 })]);
    try {
      const res = await request({ url: s.url }, opts());
      assert.deepEqual(res.body, { ok: 1 });
      assert.deepEqual(waits, [3000]);
    } finally {
      await s.close();
    }
  });

  it('429 with Retry-After as an HTTP date waits until then', async () => {
    const at = new Date(NOW + 7000).toUTCString();
    const s = await serve([json(429, {}, { 'retry-after': at }), json(200, {})]);
    try {
      await request({ url: s.url }, opts());
      assert.deepEqual(waits, [7000]);
    } finally {
      await s.close();
    }
  });

  it("GitHub's 403 with x-ratelimit-remaining 0 waits until x-ratelimit-reset", async () => {
    const reset = String(NOW / 1000 + 42);
    const s = await serve([json(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), json(200, {})]);
    try {
      await request({ url: s.url }, opts());
      assert.deepEqual(waits, [42_000]);
      assert.equal(s.got.length, 2);
    } finally {
      await s.close();
    }
  });

  it('a plain 403 is not a rate limit and is not retried', async () => {
    const s = await serve([json(403, { message: 'Resource not accessible by integration' }, { 'x-ratelimit-remaining': '4000' })]);
    try {
      await assert.rejects(request({ url: s.url }, opts()), (e: HttpError) => e.status === 403 && /not accessible/.test(e.message));
      assert.equal(s.got.length, 1);
    } finally {
      await s.close();
    }
  });

  it('a wait longer than maxWaitMs gives up with a RateLimitError naming the time', async () => {
    const s = await serve([json(429, {}, { 'retry-after': '3600' })]);
    try {
      await assert.rejects(request({ url: s.url }, opts({ maxWaitMs: 60_000 })), (e: RateLimitError) => e instanceof RateLimitError && e.retryAt.getTime() === NOW + 3_600_000);
      assert.deepEqual(waits, []);
    } finally {
      await s.close();
    }
  });

  it('5xx on a GET is retried with backoff', async () => {
    const s = await serve([json(502, {}), json(503, {}), json(200, { n: 3 })]);
    try {
      const res = await request({ url: s.url }, opts());
      assert.deepEqual(res.body, { n: 3 });
      assert.equal(s.got.length, 3);
      assert.equal(waits.length, 2);
    } finally {
      await s.close();
    }
  });

  it('a POST is not retried on 5xx', async () => {
    const s = await serve([json(500, { message: 'boom' }), json(201, {})]);
    try {
      await assert.rejects(request({ method: 'POST', url: s.url, json: { a: 1 } }, opts()), (e: HttpError) => e.status === 500 && /boom/.test(e.message));
      assert.equal(s.got.length, 1);
    } finally {
      await s.close();
    }
  });

  it('a POST is not retried after a timeout', async () => {
    const s = await serve([hang, json(201, {})]);
    try {
      await assert.rejects(request({ method: 'POST', url: s.url, json: {} }, opts({ timeoutMs: 100 })), /timed out after 100 ms/);
      assert.equal(s.got.length, 1);
    } finally {
      await s.close();
    }
  });

  it('a POST is retried on 429 (the server did not act on it)', async () => {
    const s = await serve([json(429, {}, { 'retry-after': '1' }), json(201, { id: 9 })]);
    try {
      const res = await request({ method: 'POST', url: s.url, json: { t: 'x' } }, opts());
      assert.deepEqual(res.body, { id: 9 });
      assert.deepEqual(s.got.map((g) => g.body), ['{"t":"x"}', '{"t":"x"}']);
    } finally {
      await s.close();
    }
  });

  /** Takes the request, then closes the connection without an answer (as a reset after the server acted). */
  const drop: Reply = (req) => req.socket.destroy();

  for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
    it(`a ${method} is not sent again after its connection dropped, nor after a 5xx: the server may have acted`, async () => {
      const s = await serve([drop, json(502, {}), json(200, {})]);
      try {
        await assert.rejects(request({ method, url: s.url, json: { title: 'x' } }, opts()), (e: HttpError) => e.status === 0);
        assert.equal(s.got.length, 1);
        await assert.rejects(request({ method, url: s.url, json: { title: 'x' } }, opts()), (e: HttpError) => e.status === 502);
        assert.equal(s.got.length, 2);
      } finally {
        await s.close();
      }
    });
  }

  it('a PATCH is not sent again after a timeout', async () => {
    const s = await serve([hang, json(200, {})]);
    try {
      await assert.rejects(request({ method: 'PATCH', url: s.url, json: {} }, opts({ timeoutMs: 100 })), /timed out after 100 ms/);
      assert.equal(s.got.length, 1);
    } finally {
      await s.close();
    }
  });

  it('a PATCH is sent again on 429 (the server did not act on it)', async () => {
    const s = await serve([json(429, {}, { 'retry-after': '1' }), json(200, { ok: 1 })]);
    try {
      const res = await request({ method: 'PATCH', url: s.url, json: { t: 'x' } }, opts());
      assert.deepEqual(res.body, { ok: 1 });
      assert.equal(s.got.length, 2);
    } finally {
      await s.close();
    }
  });

  it('a GET whose connection dropped is tried again', async () => {
    const s = await serve([drop, json(200, { n: 1 })]);
    try {
      const res = await request({ url: s.url }, opts());
      assert.deepEqual(res.body, { n: 1 });
      assert.equal(s.got.length, 2);
    } finally {
      await s.close();
    }
  });

  it('outcomeUnknown: a dropped connection, a timeout or a 5xx may have acted; a refusal or a rate limit did not', () => {
    const h = new Headers();
    assert.equal(outcomeUnknown(new HttpError('reset', 0, undefined, h)), true);
    assert.equal(outcomeUnknown(new HttpError('bad gateway', 502, undefined, h)), true);
    assert.equal(outcomeUnknown(new Error('wrapped', { cause: new HttpError('reset', 0, undefined, h) })), true);
    assert.equal(outcomeUnknown(new HttpError('refused', 422, undefined, h)), false);
    assert.equal(outcomeUnknown(new RateLimitError('later', new Date(), 429, undefined, h)), false);
    assert.equal(outcomeUnknown(new CancelledError()), false);
    assert.equal(outcomeUnknown(new Error('no account mapped')), false);
  });

  it('a GET that times out is tried again, then fails with a clear error', async () => {
    const s = await serve([hang]);
    try {
      await assert.rejects(request({ url: s.url }, opts({ timeoutMs: 50, attempts: 2 })), (e: HttpError) => e.status === 0 && /timed out after 50 ms/.test(e.message));
      assert.equal(s.got.length, 2);
    } finally {
      await s.close();
    }
  });

  it('cancellation stops a request in flight and a wait, with CancelledError', async () => {
    const s = await serve([hang]);
    try {
      const ac = new AbortController();
      const p = request({ url: s.url, signal: ac.signal }, opts({ timeoutMs: 10_000 }));
      while (s.got.length === 0) await new Promise((r) => setTimeout(r, 5));
      ac.abort();
      await assert.rejects(p, CancelledError);
      // Cancelled during a rate-limit wait: the real sleep honours the signal.
      const s2 = await serve([json(429, {}, { 'retry-after': '30' })]);
      try {
        const ac2 = new AbortController();
        const p2 = request({ url: s2.url, signal: ac2.signal }, { now: () => NOW });
        while (s2.got.length === 0) await new Promise((r) => setTimeout(r, 5));
        setTimeout(() => ac2.abort(), 20);
        await assert.rejects(p2, CancelledError);
        assert.equal(s2.got.length, 1);
      } finally {
        await s2.close();
      }
    } finally {
      await s.close();
    }
  });

  it('retryDelayMs reads seconds, dates and epoch resets', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    assert.equal(retryDelayMs(429, h({ 'retry-after': '5' }), NOW), 5000);
    assert.equal(retryDelayMs(503, h({}), NOW), undefined);
    assert.equal(retryDelayMs(429, h({ 'x-ratelimit-requests-reset': String(NOW + 1500) }), NOW), 1500);
  });
});
