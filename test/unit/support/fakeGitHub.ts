/**
 * A GitHub REST server on 127.0.0.1 that really keeps issues: list (state, since, sort, direction,
 * per_page, page, Link headers), get, create, update, add and remove labels, search by body text, pull
 * requests mixed in as GitHub does. Tests can make it answer 429/5xx, drop a connection (before or after
 * acting), change an issue at a precise moment (right after it served a GET or a PATCH of it, or right
 * after a dropped request took effect), and answer slowly.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export interface FakeIssue {
  id: number;
  node_id: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | null;
  labels: { id: number; name: string; color: string }[];
  assignee: { login: string; id: number } | null;
  assignees: { login: string; id: number }[];
  user: { login: string; id: number };
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  html_url: string;
  url: string;
  pull_request?: { url: string; html_url: string };
}

export interface Logged {
  method: string;
  path: string;
  body?: unknown;
  auth?: string;
}

/** What to do with the next request that matches. */
export interface Fault {
  method?: string;
  path?: RegExp;
  status?: number;
  headers?: Record<string, string>;
  /** Close the connection without answering; with `afterAct`, only after the request took effect. */
  drop?: boolean;
  afterAct?: boolean;
  /** Runs once the fault has happened (after the request took effect, with `afterAct`). */
  then?: () => void;
  times?: number;
}

export class FakeGitHub {
  readonly issues = new Map<number, FakeIssue>();
  readonly log: Logged[] = [];
  readonly owner = 'acme';
  readonly repo = 'shop';
  token = 'ghp_test_token';
  private server = http.createServer((req, res) => void this.handle(req, res));
  private faults: Fault[] = [];
  private afterGetHooks = new Map<number, () => void>();
  private afterPatchHooks = new Map<number, () => void>();
  /** How long each request waits before it is handled, as a real server's latency. */
  latencyMs = 0;
  private clock = Date.parse('2026-11-01T00:00:00Z');
  private nextNumber = 1;
  private labelIds = 1;
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** GitHub's timestamps have whole seconds; every change moves the clock one second on. */
  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  fault(f: Fault): void {
    this.faults.push({ times: 1, ...f });
  }

  /** Run `fn` right after the next GET of issue `n` has been answered. */
  afterGet(n: number, fn: () => void): void {
    this.afterGetHooks.set(n, fn);
  }

  /** Run `fn` right after the next PATCH of issue `n` has been answered. */
  afterPatch(n: number, fn: () => void): void {
    this.afterPatchHooks.set(n, fn);
  }

  /** Requests other than reads. */
  writes(): Logged[] {
    return this.log.filter((l) => l.method !== 'GET');
  }

  private user(login: string) {
    return { login, id: [...login].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) % 100000 };
  }

  private labelsOf(names: unknown[]): FakeIssue['labels'] {
    return names.map((n) => ({ id: this.labelIds++, name: String(typeof n === 'object' && n ? (n as { name: string }).name : n), color: 'ededed' }));
  }

  /** An issue as someone made it on github.com. */
  add(p: { title: string; body?: string | null; state?: 'open' | 'closed'; state_reason?: FakeIssue['state_reason']; labels?: string[]; assignee?: string; pr?: boolean }): FakeIssue {
    const number = this.nextNumber++;
    const at = this.tick();
    const base = `https://github.com/${this.owner}/${this.repo}`;
    const issue: FakeIssue = {
      id: 1000 + number,
      node_id: `I_kwDO${number}`,
      number,
      title: p.title,
      body: p.body ?? null,
      state: p.state ?? 'open',
      state_reason: p.state_reason ?? null,
      labels: this.labelsOf(p.labels ?? []),
      assignee: p.assignee ? this.user(p.assignee) : null,
      assignees: p.assignee ? [this.user(p.assignee)] : [],
      user: this.user('octocat'),
      created_at: at,
      updated_at: at,
      closed_at: p.state === 'closed' ? at : null,
      html_url: `${base}/${p.pr ? 'pull' : 'issues'}/${number}`,
      url: `${this.url}/repos/${this.owner}/${this.repo}/issues/${number}`,
      ...(p.pr ? { pull_request: { url: `${this.url}/repos/${this.owner}/${this.repo}/pulls/${number}`, html_url: `${base}/pull/${number}` } } : {}),
    };
    this.issues.set(number, issue);
    return issue;
  }

  /** A change made on github.com (or through the API by someone else). */
  edit(n: number, patch: Record<string, unknown>): FakeIssue {
    const issue = this.issues.get(n);
    if (!issue) throw new Error(`no issue ${n}`);
    this.applyPatch(issue, patch);
    return issue;
  }

  private applyPatch(issue: FakeIssue, patch: Record<string, unknown>) {
    if (typeof patch.title === 'string') issue.title = patch.title;
    if ('body' in patch) issue.body = (patch.body as string | null) ?? null;
    if (patch.state === 'open' || patch.state === 'closed') {
      issue.state = patch.state;
      issue.state_reason = patch.state === 'closed' ? ((patch.state_reason as FakeIssue['state_reason']) ?? 'completed') : patch.state_reason === 'reopened' ? 'reopened' : null;
      issue.closed_at = patch.state === 'closed' ? issue.closed_at ?? this.tick() : null;
    }
    if (Array.isArray(patch.labels)) issue.labels = this.labelsOf(patch.labels);
    if (Array.isArray(patch.addLabels)) {
      const have = new Set(issue.labels.map((l) => l.name.toLowerCase()));
      issue.labels.push(...this.labelsOf(patch.addLabels.filter((n) => !have.has(String(n).toLowerCase()))));
    }
    if (typeof patch.removeLabel === 'string') issue.labels = issue.labels.filter((l) => l.name.toLowerCase() !== (patch.removeLabel as string).toLowerCase());
    if (Array.isArray(patch.assignees)) {
      issue.assignees = patch.assignees.map((l) => this.user(String(l)));
      issue.assignee = issue.assignees[0] ?? null;
    }
    issue.updated_at = this.tick();
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const f = this.faults.find((x) => (!x.method || x.method === method) && (!x.path || x.path.test(path)));
    if (f && --f.times! <= 0) this.faults.splice(this.faults.indexOf(f), 1);
    return f;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    this.log.push({ method, path: url.pathname + url.search, body, auth: req.headers.authorization });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', ...headers });
      res.end(data === undefined ? '' : JSON.stringify(data));
    };
    const fault = this.takeFault(method, url.pathname);
    if (fault && !fault.afterAct) {
      if (fault.drop) {
        req.socket.destroy();
        return fault.then?.();
      }
      fault.then?.();
      return send(fault.status ?? 500, { message: fault.status === 429 || fault.status === 403 ? 'API rate limit exceeded' : 'Server Error' }, fault.headers);
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    if (req.headers.accept !== 'application/vnd.github+json' || req.headers['x-github-api-version'] !== '2022-11-28') {
      return send(400, { message: 'Missing GitHub media type or API version headers' });
    }
    const result = this.route(method, url, body);
    if (fault?.afterAct) {
      req.socket.destroy();
      return fault.then?.();
    }
    send(result.status, result.data, result.headers);
    // The answer is already serialised: the change lands after the client's read, before its next request.
    const m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(url.pathname);
    const hooks = method === 'GET' ? this.afterGetHooks : method === 'PATCH' ? this.afterPatchHooks : undefined;
    const hook = m ? hooks?.get(Number(m[1])) : undefined;
    if (hook) {
      hooks!.delete(Number(m![1]));
      hook();
    }
  }

  private route(method: string, url: URL, body: Record<string, unknown> | undefined): { status: number; data: unknown; headers?: Record<string, string> } {
    const prefix = `/repos/${this.owner}/${this.repo}/issues`;
    const one = new RegExp(`^${prefix}/(\\d+)$`).exec(url.pathname);
    if (method === 'GET' && url.pathname === prefix) return this.list(url);
    if (method === 'GET' && one) {
      const issue = this.issues.get(Number(one[1]));
      return issue ? { status: 200, data: issue } : { status: 404, data: { message: 'Not Found' } };
    }
    if (method === 'POST' && url.pathname === prefix) {
      if (typeof body?.title !== 'string' || !body.title) return { status: 422, data: { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }] } };
      const issue = this.add({ title: body.title, body: (body.body as string) ?? null, labels: (body.labels as string[]) ?? [], assignee: (body.assignees as string[] | undefined)?.[0] });
      return { status: 201, data: issue };
    }
    if (method === 'PATCH' && one) {
      const issue = this.issues.get(Number(one[1]));
      if (!issue) return { status: 404, data: { message: 'Not Found' } };
      this.applyPatch(issue, body ?? {});
      return { status: 200, data: issue };
    }
    // Labels one by one, as GitHub's issue label endpoints do: an add or a removal leaves the others alone.
    const labels = new RegExp(`^${prefix}/(\\d+)/labels(?:/([^/]+))?$`).exec(url.pathname);
    if (labels) {
      const issue = this.issues.get(Number(labels[1]));
      if (!issue) return { status: 404, data: { message: 'Not Found' } };
      if (method === 'POST' && !labels[2]) {
        if (!Array.isArray(body?.labels)) return { status: 422, data: { message: 'Invalid request.' } };
        this.applyPatch(issue, { addLabels: body.labels });
        return { status: 200, data: issue.labels };
      }
      if (method === 'DELETE' && labels[2]) {
        const name = decodeURIComponent(labels[2]);
        if (!issue.labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) return { status: 404, data: { message: 'Label does not exist' } };
        this.applyPatch(issue, { removeLabel: name });
        return { status: 200, data: issue.labels };
      }
    }
    if (method === 'GET' && url.pathname === '/search/issues') return this.search(url);
    return { status: 404, data: { message: 'Not Found' } };
  }

  private list(url: URL) {
    const q = url.searchParams;
    const state = q.get('state') ?? 'open';
    const since = q.get('since');
    const sort = q.get('sort') ?? 'created';
    const asc = q.get('direction') === 'asc';
    const perPage = Math.min(100, Number(q.get('per_page') ?? 30));
    const page = Number(q.get('page') ?? 1);
    let all = [...this.issues.values()].filter((i) => state === 'all' || i.state === state);
    if (since) all = all.filter((i) => i.updated_at >= since.replace(/\.\d+Z$/, 'Z'));
    const keyOf = (i: FakeIssue) => (sort === 'updated' ? i.updated_at : i.created_at) + String(i.number).padStart(8, '0');
    all.sort((a, b) => (asc ? 1 : -1) * keyOf(a).localeCompare(keyOf(b)));
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const pageUrl = (n: number) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(n));
      return `<${u.toString()}>`;
    };
    const links: string[] = [];
    if (page < last) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`);
    if (page > 1) links.push(`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`);
    return { status: 200, data: all.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(', ') } : undefined };
  }

  /** `repo:o/r is:issue in:body "text"`: the quoted text must appear in the body. */
  private search(url: URL) {
    const q = url.searchParams.get('q') ?? '';
    const phrase = /"([^"]+)"/.exec(q)?.[1] ?? '';
    const items = [...this.issues.values()].filter((i) => !i.pull_request && (i.body ?? '').includes(phrase));
    return { status: 200, data: { total_count: items.length, incomplete_results: false, items } };
  }
}
