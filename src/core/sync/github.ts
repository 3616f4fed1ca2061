/**
 * GitHub Issues over the REST API. GitHub knows open and closed (with a reason), labels by name and
 * assignees by login; it has no priority. Pull requests come back from the issues endpoints too and
 * are skipped. A create leaves a hidden marker line in the body naming the local id, so a create
 * whose response was lost is found again instead of made twice. GitHub has no conditional write: an
 * update reads the issue right before it writes, sends labels one by one (so a label someone else adds
 * or removes meanwhile stays), and reads the issue again after.
 */
import { State } from '../model';
import { HttpError, HttpOptions, outcomeUnknown, request } from './http';
import { assertUnmoved, CallOptions, labelChanges, RemoteItem, stateCategory, SyncField, SyncFields, SyncProvider, UpdateOptions } from './provider';

export interface GitHubOptions {
  /** Default https://api.github.com; GitHub Enterprise uses https://<host>/api/v3. */
  apiUrl?: string;
  owner: string;
  repo: string;
  token: string;
  /** Local name → GitHub login. */
  users?: Record<string, string>;
  http?: HttpOptions;
}

/** The parts of GitHub's issue JSON that sync reads. */
export interface GitHubIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason?: 'completed' | 'not_planned' | 'reopened' | null;
  labels: (string | { name?: string })[];
  assignee?: { login: string } | null;
  assignees?: { login: string }[];
  updated_at: string;
  html_url: string;
  pull_request?: unknown;
}

const MARKER = /(?:\n\n)?<!-- ai-trackdown:([A-Za-z][A-Za-z0-9_]*-\d+) -->\n?/;

/** The body GitHub stores: the local body and the marker line. */
export function withMarker(body: string, localId: string): string {
  const line = `<!-- ai-trackdown:${localId} -->`;
  return body ? `${body}\n\n${line}` : line;
}

/** The body without the marker, and the local id the marker names. */
export function stripMarker(body: string): { body: string; localId?: string } {
  const m = MARKER.exec(body);
  if (!m) return { body };
  return { body: body.slice(0, m.index) + body.slice(m.index + m[0].length), localId: m[1] };
}

type GitHubState = 'open' | 'completed' | 'not_planned';

function gitHubState(state: State): GitHubState {
  const c = stateCategory(state);
  return c === 'completed' ? 'completed' : c === 'canceled' ? 'not_planned' : 'open';
}

/** The `Link` header's `rel="next"` URL, if any. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

export class GitHubProvider implements SyncProvider {
  readonly id = 'github' as const;
  readonly label = 'GitHub Issues';
  readonly fields: ReadonlySet<SyncField> = new Set<SyncField>(['title', 'body', 'state', 'labels', 'assignee']);
  private readonly api: string;
  private readonly logins: Map<string, string>;
  private readonly names: Map<string, string>;
  /** The local id each issue's marker names, so a body update keeps the marker. */
  private readonly markers = new Map<string, string>();

  constructor(private readonly o: GitHubOptions) {
    this.api = (o.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    if (!/^[\w.-]+$/.test(o.owner) || !/^[\w.-]+$/.test(o.repo)) throw new Error(`"${o.owner}/${o.repo}" is not a GitHub repository name.`);
    this.logins = new Map(Object.entries(o.users ?? {}));
    this.names = new Map(Object.entries(o.users ?? {}).map(([name, login]) => [login.toLowerCase(), name]));
  }

  private get repoUrl(): string {
    return `${this.api}/repos/${this.o.owner}/${this.o.repo}`;
  }

  private async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, json: unknown, opts?: CallOptions) {
    // Only ever to the configured API host: a `next` link elsewhere would carry the token away.
    if (new URL(url).origin !== new URL(this.api).origin) throw new Error(`GitHub sent a link to another host (${new URL(url).host}); not followed.`);
    return request<T>(
      {
        method,
        url,
        json,
        signal: opts?.signal,
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          authorization: `Bearer ${this.o.token}`,
        },
      },
      this.o.http,
    );
  }

  /** An issue in the local vocabulary. */
  toItem(issue: GitHubIssue): RemoteItem {
    const { body, localId } = stripMarker((issue.body ?? '').replace(/\r\n/g, '\n'));
    const remoteId = String(issue.number);
    if (localId) this.markers.set(remoteId, localId);
    const state: State = issue.state === 'open' ? 'planning' : issue.state_reason === 'not_planned' ? 'won_t_do' : 'done';
    const login = issue.assignee?.login ?? issue.assignees?.[0]?.login;
    const labels = issue.labels.map((l) => (typeof l === 'string' ? l : l.name ?? '')).filter(Boolean);
    const fields: SyncFields = { title: issue.title, body, state, labels };
    if (login) fields.assignee = this.names.get(login.toLowerCase()) ?? login;
    return { remoteId, key: `#${issue.number}`, url: issue.html_url, updatedAt: issue.updated_at, localId, fields };
  }

  async *listChanged(since: string | undefined, opts?: CallOptions): AsyncIterable<RemoteItem> {
    const q = new URLSearchParams({ state: 'all', sort: 'updated', direction: 'asc', per_page: '100' });
    if (since) q.set('since', since);
    let url: string | undefined = `${this.repoUrl}/issues?${q}`;
    while (url) {
      const res: { body: GitHubIssue[]; headers: Headers } = await this.call<GitHubIssue[]>('GET', url, undefined, opts);
      if (!Array.isArray(res.body)) throw new Error(`GitHub answered ${url} with something other than a list of issues.`);
      for (const issue of res.body) if (!issue.pull_request) yield this.toItem(issue);
      url = nextLink(res.headers.get('link'));
    }
  }

  async get(remoteId: string, opts?: CallOptions): Promise<RemoteItem | undefined> {
    if (!/^\d+$/.test(remoteId)) throw new Error(`"${remoteId}" is not a GitHub issue number.`);
    try {
      const res = await this.call<GitHubIssue>('GET', `${this.repoUrl}/issues/${remoteId}`, undefined, opts);
      return res.body.pull_request ? undefined : this.toItem(res.body);
    } catch (e) {
      if (e instanceof HttpError && (e.status === 404 || e.status === 410)) return undefined;
      throw e;
    }
  }

  async findByLocalId(localId: string, opts?: CallOptions): Promise<RemoteItem | undefined> {
    const marker = `ai-trackdown:${localId}`;
    const q = `repo:${this.o.owner}/${this.o.repo} is:issue in:body "${marker}"`;
    const res = await this.call<{ items?: GitHubIssue[] }>('GET', `${this.api}/search/issues?${new URLSearchParams({ q, per_page: '100' })}`, undefined, opts);
    const hit = (res.body.items ?? []).map((i) => this.toItem(i)).find((i) => i.localId === localId);
    if (hit) return hit;
    // The search index lags behind a create by seconds to minutes: the newest issues are read directly.
    const recent = new URLSearchParams({ state: 'all', sort: 'created', direction: 'desc', per_page: '100' });
    let url: string | undefined = `${this.repoUrl}/issues?${recent}`;
    for (let page = 0; url && page < 3; page++) {
      const r: { body: GitHubIssue[]; headers: Headers } = await this.call<GitHubIssue[]>('GET', url, undefined, opts);
      for (const issue of r.body) {
        if (issue.pull_request) continue;
        const item = this.toItem(issue);
        if (item.localId === localId) return item;
      }
      url = nextLink(r.headers.get('link'));
    }
    return undefined;
  }

  /** The JSON of a create or update for the given fields. */
  private payload(changes: Partial<SyncFields>, localId: string | undefined, creating: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (changes.title !== undefined) out.title = changes.title;
    if (changes.body !== undefined) out.body = localId ? withMarker(changes.body, localId) : changes.body;
    if (changes.labels !== undefined) out.labels = changes.labels;
    if ('assignee' in changes) out.assignees = changes.assignee ? [this.logins.get(changes.assignee) ?? changes.assignee] : [];
    if (changes.state !== undefined && !creating) {
      const s = gitHubState(changes.state);
      if (s === 'open') Object.assign(out, { state: 'open', state_reason: 'reopened' });
      else Object.assign(out, { state: 'closed', state_reason: s });
    }
    return out;
  }

  async create(localId: string, fields: SyncFields, opts?: CallOptions): Promise<RemoteItem> {
    const body = this.payload({ ...fields, body: fields.body }, localId, true);
    const res = await this.call<GitHubIssue>('POST', `${this.repoUrl}/issues`, body, opts);
    const created = this.toItem(res.body);
    if (gitHubState(fields.state) === 'open') return created;
    // GitHub opens every new issue; a closed one is closed by a second request. Its answer lost, the
    // issue is read again and closed only if it is still open.
    try {
      return await this.update(created.remoteId, { state: fields.state }, opts);
    } catch (e) {
      if (!outcomeUnknown(e)) throw e;
      const now = await this.get(created.remoteId, opts);
      if (now && this.sameState(now.fields.state, fields.state)) return now;
      return this.update(created.remoteId, { state: fields.state }, { ...opts, basis: now });
    }
  }

  async update(remoteId: string, changes: Partial<SyncFields>, opts?: UpdateOptions): Promise<RemoteItem> {
    const now = await this.get(remoteId, opts);
    if (!now) throw new Error(`GitHub issue #${remoteId} is gone (deleted, transferred or no longer visible).`);
    assertUnmoved(now, opts?.basis);
    const url = `${this.repoUrl}/issues/${remoteId}`;
    const { labels, ...rest } = changes;
    const payload = this.payload(rest, this.markers.get(remoteId), false);
    if (Object.keys(payload).length) await this.call('PATCH', url, payload, opts);
    if (labels !== undefined) {
      // GitHub matches label names without case.
      const { add, remove } = labelChanges((opts?.basis ?? now).fields.labels, labels, (l) => l.toLowerCase());
      if (add.length) await this.call('POST', `${url}/labels`, { labels: add }, opts);
      for (const label of remove) {
        try {
          await this.call('DELETE', `${url}/labels/${encodeURIComponent(label)}`, undefined, opts);
        } catch (e) {
          // Already gone: someone removed it too.
          if (!(e instanceof HttpError && e.status === 404)) throw e;
        }
      }
    }
    const after = await this.get(remoteId, opts);
    if (!after) throw new Error(`GitHub issue #${remoteId} was written but cannot be read back.`);
    return after;
  }

  sameState(a: State, b: State): boolean {
    return gitHubState(a) === gitHubState(b);
  }
}
