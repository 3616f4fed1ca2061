/**
 * A small Jira Cloud on 127.0.0.1 for the provider tests: it keeps issues and answers the REST v3 calls
 * the provider makes with Jira's shapes (issue JSON, the enhanced JQL search with `nextPageToken` and
 * `isLast`, transitions, 204 on edits, `{errorMessages, errors}` bodies). It checks basic auth, pages
 * results, evaluates the JQL the provider sends (and refuses any other), and lets a test inject 429s and
 * 5xx, drop a response after acting on the request, or change an issue just before a request is handled
 * or right after it was answered.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface FakeStatus {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

export interface FakeIssue {
  id: string;
  key: string;
  created: number;
  updated: number;
  fields: {
    summary: string;
    description: unknown;
    status: FakeStatus;
    labels: string[];
    assignee: string | null;
    priority: string | null;
    issuetype: string;
  };
}

export interface Logged {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Hook = (issue: FakeIssue | undefined, req: Logged) => void;

const CATEGORY_NAMES = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' };
const CATEGORY_IDS = { new: 2, indeterminate: 4, done: 3 };

export const DEFAULT_STATUSES: FakeStatus[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10001', name: 'Ready for QA', category: 'indeterminate' },
  { id: '10002', name: 'Done', category: 'done' },
  { id: '10003', name: "Won't Do", category: 'done' },
];

export interface FakeJiraOptions {
  email?: string;
  token?: string;
  project?: string;
  statuses?: FakeStatus[];
  /** The largest page the search returns, whatever maxResults asks. */
  pageSize?: number;
  /** The signed-in user's zone: JQL times are read in it. */
  timeZone?: string;
  users?: Record<string, string>;
}

export class FakeJira {
  readonly email: string;
  readonly token: string;
  readonly project: string;
  statuses: FakeStatus[];
  /** Transitions offered from a status name (default: every other status, as a global transition). */
  transitionsFrom: (status: FakeStatus) => FakeStatus[] = (s) => this.statuses.filter((t) => t.id !== s.id);
  pageSize: number;
  timeZone: string;
  /** accountId → display name. */
  users: Record<string, string>;
  readonly issues = new Map<string, FakeIssue>();
  readonly log: Logged[] = [];
  /** The server's clock: each write happens one second after the last. */
  clock = Date.parse('2026-11-22T03:08:57.490Z');
  #nextId = 10000;
  #faults: { match: (r: Logged) => boolean; status: number; headers: Record<string, string>; body: unknown }[] = [];
  #drops: { match: (r: Logged) => boolean; then?: () => void }[] = [];
  #hooks: { match: (r: Logged) => boolean; run: Hook }[] = [];
  #afterHooks: { match: (r: Logged) => boolean; run: Hook }[] = [];
  #server: http.Server;
  baseUrl = '';

  constructor(o: FakeJiraOptions = {}) {
    this.email = o.email ?? 'dev@acme.test';
    this.token = o.token ?? 'token-123';
    this.project = o.project ?? 'ACME';
    this.statuses = o.statuses ?? DEFAULT_STATUSES;
    this.pageSize = o.pageSize ?? 50;
    this.timeZone = o.timeZone ?? 'Australia/Sydney';
    this.users = o.users ?? { 'acc-alice': 'Alice Example', 'acc-bob': 'Bob Example', 'acc-carol': 'Carol Unmapped' };
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The next `count` requests matching answer `status` (e.g. 429 with Retry-After, or 503). */
  fail(count: number, status: number, headers: Record<string, string> = {}, match: (r: Logged) => boolean = () => true): void {
    for (let k = 0; k < count; k++) this.#faults.push({ match, status, headers, body: { errorMessages: [`Simulated ${status}`], errors: {} } });
  }

  /** The next request matching is carried out, then its connection is cut before the response (and `then` runs). */
  dropResponse(match: (r: Logged) => boolean, then?: () => void): void {
    this.#drops.push({ match, then });
  }

  /** Run `run` once, just before the next matching request is handled (a remote edit at that moment). */
  before(match: (r: Logged) => boolean, run: Hook): void {
    this.#hooks.push({ match, run });
  }

  /** Run `run` once, right after the next matching request was answered (a remote edit before the client's next request). */
  after(match: (r: Logged) => boolean, run: Hook): void {
    this.#afterHooks.push({ match, run });
  }

  status(name: string): FakeStatus {
    const s = this.statuses.find((x) => x.name === name);
    if (!s) throw new Error(`no status ${name}`);
    return s;
  }

  /** An issue as if someone made it in Jira. */
  seed(fields: Partial<FakeIssue['fields']> & { summary: string }): FakeIssue {
    const id = String(this.#nextId++);
    const key = `${this.project}-${this.issues.size + 1}`;
    const now = this.tick();
    const issue: FakeIssue = {
      id,
      key,
      created: now,
      updated: now,
      fields: { description: null, status: this.statuses[0], labels: [], assignee: null, priority: 'Medium', issuetype: 'Task', ...fields },
    };
    this.issues.set(key, issue);
    return issue;
  }

  /** A remote edit: changes fields and moves `updated`. */
  edit(key: string, fields: Partial<FakeIssue['fields']>): void {
    const issue = this.issues.get(key)!;
    Object.assign(issue.fields, fields);
    issue.updated = this.tick();
  }

  tick(): number {
    this.clock += 1000;
    return this.clock;
  }

  requests(method: string, pathPrefix: string): Logged[] {
    return this.log.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  // ── the API ──

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return send(res, 400, { errorMessages: ['Unexpected character in the request body.'], errors: {} });
    }
    const r: Logged = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body };
    this.log.push(r);

    const expected = `Basic ${Buffer.from(`${this.email}:${this.token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return send(res, 401, { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
    }
    const fault = this.#faults.findIndex((f) => f.match(r));
    if (fault >= 0) {
      const [f] = this.#faults.splice(fault, 1);
      return send(res, f.status, f.body, f.headers);
    }
    const hook = this.#hooks.findIndex((h) => h.match(r));
    if (hook >= 0) {
      const [h] = this.#hooks.splice(hook, 1);
      h.run(this.issues.get(decodeURIComponent(r.path.split('/')[5] ?? '')), r);
    }
    let status: number;
    let out: unknown;
    try {
      [status, out] = this.#route(r);
    } catch (e) {
      [status, out] = [500, { errorMessages: [`Internal server error: ${(e as Error).message}`], errors: {} }];
    }
    const drop = this.#drops.findIndex((d) => d.match(r));
    if (drop >= 0) {
      const [d] = this.#drops.splice(drop, 1);
      req.socket.destroy();
      d.then?.();
      return;
    }
    send(res, status, out);
    const after = this.#afterHooks.findIndex((h) => h.match(r));
    if (after >= 0) {
      const [h] = this.#afterHooks.splice(after, 1);
      h.run(this.issues.get(decodeURIComponent(r.path.split('/')[5] ?? '')), r);
    }
  }

  #route(r: Logged): [number, unknown] {
    const p = r.path.split('/').map(decodeURIComponent); // ['', 'rest', 'api', '3', ...]
    if (p[1] !== 'rest' || p[2] !== 'api' || p[3] !== '3') return [404, { errorMessages: ['Not found'], errors: {} }];
    const route = `${r.method} ${p.slice(4).map((x, k) => (k === 1 && p[4] !== 'search' ? ':id' : x)).join('/')}`;
    switch (route) {
      case 'GET myself':
        return [200, { accountId: 'acc-me', emailAddress: this.email, displayName: 'Me', active: true, timeZone: this.timeZone, locale: 'en_US' }];
      case 'GET search/jql':
        return this.#search(r.query);
      case 'POST issue':
        return this.#create(r.body);
      case 'GET issue/:id':
        return this.#withIssue(p[5], (i) => [200, this.#json(i, r.query.get('fields'))]);
      case 'PUT issue/:id':
        return this.#withIssue(p[5], (i) => this.#edit(i, r.body));
      case 'GET issue/:id/transitions':
        return this.#withIssue(p[5], (i) => [200, { expand: 'transitions', transitions: this.transitionsFrom(i.fields.status).map((s) => this.#transitionJson(s)) }]);
      case 'POST issue/:id/transitions':
        return this.#withIssue(p[5], (i) => this.#transition(i, r.body));
      case 'GET project/:id/statuses':
        if (p[5] !== this.project) return [404, { errorMessages: [`No project could be found with key '${p[5]}'.`], errors: {} }];
        return [200, [{ self: `${this.baseUrl}/rest/api/3/issuetype/10001`, id: '10001', name: 'Task', subtask: false, statuses: this.statuses.map((s) => this.#statusJson(s)) }]];
      default:
        return [404, { errorMessages: [`No route for ${r.method} ${r.path}`], errors: {} }];
    }
  }

  #withIssue(key: string, fn: (i: FakeIssue) => [number, unknown]): [number, unknown] {
    const issue = this.issues.get(key) ?? [...this.issues.values()].find((i) => i.id === key);
    if (!issue) return [404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} }];
    return fn(issue);
  }

  #statusJson(s: FakeStatus) {
    return {
      self: `${this.baseUrl}/rest/api/3/status/${s.id}`,
      description: '',
      iconUrl: `${this.baseUrl}/images/icons/statuses/generic.png`,
      name: s.name,
      untranslatedName: s.name,
      id: s.id,
      statusCategory: {
        self: `${this.baseUrl}/rest/api/3/statuscategory/${CATEGORY_IDS[s.category]}`,
        id: CATEGORY_IDS[s.category],
        key: s.category,
        colorName: s.category === 'done' ? 'green' : s.category === 'new' ? 'blue-gray' : 'yellow',
        name: CATEGORY_NAMES[s.category],
      },
    };
  }

  #transitionJson(to: FakeStatus) {
    return { id: String(21 + this.statuses.indexOf(to)), name: to.name, to: this.#statusJson(to), hasScreen: false, isGlobal: true, isInitial: false, isAvailable: true, isConditional: false, isLooped: false };
  }

  #json(i: FakeIssue, fieldsParam: string | null) {
    const f = i.fields;
    const all: Record<string, unknown> = {
      summary: f.summary,
      description: f.description,
      status: this.#statusJson(f.status),
      labels: [...f.labels],
      assignee: f.assignee ? { self: `${this.baseUrl}/rest/api/3/user?accountId=${f.assignee}`, accountId: f.assignee, displayName: this.users[f.assignee], active: true, accountType: 'atlassian' } : null,
      priority: f.priority ? { self: `${this.baseUrl}/rest/api/3/priority/3`, name: f.priority, id: '3' } : null,
      updated: jiraStamp(i.updated),
      created: jiraStamp(i.created),
      issuetype: { id: '10001', name: f.issuetype, subtask: false },
    };
    const wanted = fieldsParam ? fieldsParam.split(',') : Object.keys(all);
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: i.id,
      self: `${this.baseUrl}/rest/api/3/issue/${i.id}`,
      key: i.key,
      fields: Object.fromEntries(wanted.filter((k) => k in all).map((k) => [k, all[k]])),
    };
  }

  /** The JQL the provider sends, and nothing else: a query the fake does not know is an error, as a typo would be. */
  #search(q: URLSearchParams): [number, unknown] {
    const jql = q.get('jql') ?? '';
    const m = /^project = "([^"]+)"(?: AND updated >= "(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})")?(?: AND labels = "([^"]+)")? ORDER BY (updated|created) ASC$/.exec(jql);
    if (!m) return [400, { errorMessages: [`Error in the JQL Query: cannot read '${jql}'.`], errors: {} }];
    if (m[1] !== this.project) return [400, { errorMessages: [`The value '${m[1]}' does not exist for the field 'project'.`], errors: {} }];
    let issues = [...this.issues.values()];
    if (m[2]) {
      // A user with no zone set gets the site's default; this site's is UTC.
      const from = zonedToUtc(+m[2], +m[3], +m[4], +m[5], +m[6], this.timeZone || 'UTC');
      issues = issues.filter((i) => i.updated >= from);
    }
    if (m[7]) issues = issues.filter((i) => i.fields.labels.includes(m[7]));
    issues.sort((a, b) => (m[8] === 'updated' ? a.updated - b.updated : a.created - b.created) || a.created - b.created);
    const start = q.get('nextPageToken') ? Number(Buffer.from(q.get('nextPageToken')!, 'base64url').toString()) : 0;
    const size = Math.min(this.pageSize, Number(q.get('maxResults') ?? 50));
    const page = issues.slice(start, start + size);
    const isLast = start + size >= issues.length;
    const out: Record<string, unknown> = { issues: page.map((i) => this.#json(i, q.get('fields'))), isLast };
    if (!isLast) out.nextPageToken = Buffer.from(String(start + size)).toString('base64url');
    return [200, out];
  }

  #check(fields: Record<string, unknown>): Record<string, string> {
    const errors: Record<string, string> = {};
    if ('summary' in fields && (typeof fields.summary !== 'string' || !fields.summary.trim())) errors.summary = 'You must specify a summary of the issue.';
    if ('description' in fields && fields.description !== null) {
      const d = fields.description as { type?: unknown; version?: unknown; content?: unknown };
      if (d?.type !== 'doc' || d.version !== 1 || !Array.isArray(d.content)) errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format).';
    }
    if ('labels' in fields) {
      const bad = (fields.labels as string[]).find((l) => /\s/.test(l));
      if (bad !== undefined) errors.labels = `The label '${bad}' contains spaces which is invalid.`;
    }
    if ('assignee' in fields && fields.assignee !== null) {
      const id = (fields.assignee as { accountId?: string }).accountId;
      if (!id || !(id in this.users)) errors.assignee = `User '${id}' cannot be assigned issues.`;
    }
    if ('priority' in fields && fields.priority !== null) {
      const name = (fields.priority as { name?: string }).name;
      if (!['Highest', 'High', 'Medium', 'Low', 'Lowest'].includes(name ?? '')) errors.priority = `Specify a valid 'name' for Priority`;
    }
    return errors;
  }

  #apply(i: FakeIssue, fields: Record<string, unknown>): void {
    if ('summary' in fields) i.fields.summary = fields.summary as string;
    if ('description' in fields) i.fields.description = fields.description;
    if ('labels' in fields) i.fields.labels = [...(fields.labels as string[])];
    if ('assignee' in fields) i.fields.assignee = fields.assignee === null ? null : (fields.assignee as { accountId: string }).accountId;
    if ('priority' in fields) i.fields.priority = fields.priority === null ? null : (fields.priority as { name: string }).name;
  }

  #create(body: unknown): [number, unknown] {
    const fields = ((body ?? {}) as { fields?: Record<string, unknown> }).fields ?? {};
    const errors = this.#check(fields);
    if ((fields.project as { key?: string })?.key !== this.project) errors.project = 'Specify a valid project ID or key';
    if ((fields.issuetype as { name?: string })?.name !== 'Task') errors.issuetype = 'Specify an issue type';
    if (!('summary' in fields)) errors.summary = 'You must specify a summary of the issue.';
    if (Object.keys(errors).length) return [400, { errorMessages: [], errors }];
    const issue = this.seed({ summary: fields.summary as string });
    this.#apply(issue, { labels: [], ...fields });
    return [201, { id: issue.id, key: issue.key, self: `${this.baseUrl}/rest/api/3/issue/${issue.id}` }];
  }

  #edit(i: FakeIssue, body: unknown): [number, unknown] {
    const b = (body ?? {}) as { fields?: Record<string, unknown>; update?: Record<string, { add?: string; remove?: string; set?: unknown }[]> };
    const fields = b.fields ?? {};
    const errors = this.#check(fields);
    for (const op of b.update?.labels ?? []) if (op.add !== undefined && /\s/.test(op.add)) errors.labels = `The label '${op.add}' contains spaces which is invalid.`;
    if (Object.keys(errors).length) return [400, { errorMessages: [], errors }];
    this.#apply(i, fields);
    for (const op of b.update?.labels ?? []) {
      if (op.add !== undefined && !i.fields.labels.includes(op.add)) i.fields.labels.push(op.add);
      if (op.remove !== undefined) i.fields.labels = i.fields.labels.filter((l) => l !== op.remove);
    }
    i.updated = this.tick();
    return [204, undefined];
  }

  #transition(i: FakeIssue, body: unknown): [number, unknown] {
    const id = (body as { transition?: { id?: string } })?.transition?.id;
    const to = this.transitionsFrom(i.fields.status).find((s) => this.#transitionJson(s).id === id);
    if (!to) return [400, { errorMessages: [`Transition id '${id}' is not valid for this issue.`], errors: {} }];
    i.fields.status = to;
    i.updated = this.tick();
    return [204, undefined];
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Jira's timestamp form: `2026-11-22T03:08:57.490+0000`. */
export function jiraStamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** The UTC instant of a wall-clock time in an IANA zone (as Jira reads JQL dates in the user's zone). */
function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, zone: string): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const offset = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(at);
    const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
    return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute')) - Math.floor(at / 60_000) * 60_000;
  };
  const guess = wall - offset(wall);
  return wall - offset(guess);
}
