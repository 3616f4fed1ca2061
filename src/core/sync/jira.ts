/**
 * Jira Cloud (REST API v3) as a sync provider: issues of one project, mapped into the local vocabulary.
 *
 * Mapping decisions, each a limit of what Jira can hold:
 * - Body ↔ description in Atlassian Document Format (see adf.ts).
 * - State ↔ status through the workflow's transitions, chosen by status category (To Do / In Progress /
 *   Done), preferring a status named like the local state; won't-do goes to a done status named like
 *   Won't Do / Cancelled / Rejected when the workflow has one.
 * - Priority: Highest ↔ critical, High ↔ high, Medium ↔ medium, Low ↔ low; Lowest reads as low (lossy).
 * - Labels: Jira labels hold no whitespace, so a local label's spaces are written as hyphens and come
 *   back hyphenated.
 * - Assignee: through the users map (local name → accountId); a Jira user not in the map reads as
 *   their display name; a local name not in the map is refused with an error for that item before
 *   anything is written.
 * - The marker of `create` is a label `aitrackdown-<local id>`, which JQL can search and which never
 *   shows among the item's labels.
 * - Jira has no conditional edit: an update reads the issue right before it writes, sends labels as
 *   additions and removals, and reads the issue again after.
 */
import { State, STATE_LABELS } from '../model';
import { adfToMarkdown, markdownToAdf } from './adf';
import { CancelledError, HttpError, HttpOptions, RateLimitError, request } from './http';
import {
  assertUnmoved,
  CallOptions,
  labelChanges,
  Priority,
  RemoteItem,
  StateCategory,
  stateCategory,
  SYNC_FIELDS,
  SyncField,
  SyncFields,
  SyncProvider,
  UpdateOptions,
} from './provider';

export interface JiraOptions {
  /** The site, e.g. https://acme.atlassian.net. */
  baseUrl: string;
  projectKey: string;
  email: string;
  apiToken: string;
  /** The issue type new items are created as; default 'Task'. */
  issueType?: string;
  /** Local name → Jira accountId. */
  users?: Record<string, string>;
  http?: HttpOptions;
}

/** A Jira call that failed, with what Jira said about it. */
export class JiraError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or 0 when no request was made (a value Jira cannot hold, say). */
    readonly status = 0,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

interface JiraStatus {
  name?: string;
  statusCategory?: { key?: string };
}

interface JiraIssue {
  id: string;
  key: string;
  fields: {
    summary?: string;
    description?: unknown;
    status?: JiraStatus;
    labels?: string[];
    assignee?: { accountId?: string; displayName?: string } | null;
    priority?: { name?: string } | null;
    updated?: string;
  };
}

interface JiraTransition {
  id: string;
  name?: string;
  to?: JiraStatus;
}

const FIELDS = ['summary', 'description', 'status', 'labels', 'assignee', 'priority', 'updated', 'issuetype'];
const PAGE_SIZE = 100;
const MARKER_PREFIX = 'aitrackdown-';
const MARKER = /^aitrackdown-([A-Za-z][A-Za-z0-9]*-\d+)$/;
const LOCAL_ID = /^[A-Za-z][A-Za-z0-9]*-\d+$/;
const ISSUE_KEY = /^(?:[A-Z][A-Z0-9_]*-\d+|\d+)$/;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;
const SUMMARY_MAX = 255;
const LABEL_MAX = 255;

/**
 * How far before `since` listChanged asks for. JQL compares at minute precision (seconds are dropped)
 * and Jira's search index lags a moment behind writes; asking a few minutes early costs a few items the
 * engine already has, which its updatedAt comparison passes over.
 */
const SINCE_MARGIN_MS = 5 * 60_000;
/** Without the user's time zone, JQL times could be read in any zone from UTC−12 to UTC+14. */
const UNKNOWN_ZONE_MARGIN_MS = 14 * 3_600_000;

const TO_JIRA_PRIORITY: Record<Priority, string> = { critical: 'Highest', high: 'High', medium: 'Medium', low: 'Low' };
const FROM_JIRA_PRIORITY: Record<string, Priority> = {
  highest: 'critical',
  blocker: 'critical',
  critical: 'critical',
  high: 'high',
  major: 'high',
  medium: 'medium',
  low: 'low',
  minor: 'low',
  lowest: 'low',
  trivial: 'low',
};

/** Jira's status category key for each local category (canceled work is done work in Jira). */
const JIRA_CATEGORY: Record<StateCategory, string> = { unstarted: 'new', started: 'indeterminate', completed: 'done', canceled: 'done' };

/** Status names that mean the work was dropped rather than finished. */
export function isCanceledName(name: string | undefined): boolean {
  return /won'?t[\s_-]*(do|fix)|cancel|reject|declin|abandon|obsolete|invalid|duplicate|not[\s_-]*(doing|needed|planned)/i.test(name ?? '');
}

const norm = (s: string | undefined) => (s ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '');

/** The local state a Jira status stands for: its category, refined by a name that matches a local state. */
export function stateFromStatus(status: JiraStatus | undefined): State {
  const category = status?.statusCategory?.key;
  const byName = (Object.keys(STATE_LABELS) as State[]).find((s) => norm(STATE_LABELS[s]) === norm(status?.name));
  if (category === 'done') {
    if (isCanceledName(status?.name)) return 'won_t_do';
    return byName === 'archived' ? 'archived' : 'done';
  }
  if (category === 'indeterminate') {
    return byName && stateCategory(byName) === 'started' ? byName : 'active';
  }
  return 'planning';
}

/** The transition that takes an issue to a status standing for `target`, if the workflow offers one. */
export function chooseTransition(transitions: readonly JiraTransition[], target: State): JiraTransition | undefined {
  const category = stateCategory(target);
  let candidates = transitions.filter((t) => t.to?.statusCategory?.key === JIRA_CATEGORY[category]);
  if (category === 'canceled' || category === 'completed') {
    const canceled = candidates.filter((t) => isCanceledName(t.to?.name) || isCanceledName(t.name));
    const finished = candidates.filter((t) => !canceled.includes(t));
    // Won't-do prefers a canceled-like status and falls back to any done one; done never picks a canceled-like one if it can help it.
    candidates = category === 'canceled' ? (canceled.length ? canceled : finished) : finished.length ? finished : canceled;
  }
  const label = norm(STATE_LABELS[target]);
  return candidates.find((t) => norm(t.to?.name) === label) ?? candidates.find((t) => norm(t.name) === label) ?? candidates[0];
}

/** Jira's `2026-11-22T03:08:57.490+0000` as an ISO time in UTC. */
export function jiraTime(value: string | undefined): string {
  if (!value) return new Date(0).toISOString();
  const t = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

/** A time as JQL reads it: `yyyy/MM/dd HH:mm` in the given IANA zone. */
export function jqlTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '00';
  return `${p('year')}/${p('month')}/${p('day')} ${p('hour')}:${p('minute')}`;
}

/** A local label as Jira can hold it. */
export function jiraLabel(label: string): string {
  return label.trim().replace(/\s+/g, '-');
}

const jqlString = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

function validZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || !zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What Jira said in an error body (`{errorMessages: [...], errors: {field: message}}`). */
function jiraDetail(body: unknown): string {
  const b = body as { errorMessages?: unknown; errors?: unknown; message?: unknown } | undefined;
  const parts: string[] = [];
  if (Array.isArray(b?.errorMessages)) parts.push(...b.errorMessages.filter((m): m is string => typeof m === 'string'));
  if (b?.errors && typeof b.errors === 'object' && !Array.isArray(b.errors)) {
    for (const [field, msg] of Object.entries(b.errors as Record<string, unknown>)) parts.push(`${field}: ${String(msg)}`);
  }
  if (!parts.length && typeof b?.message === 'string') parts.push(b.message);
  if (!parts.length && typeof body === 'string') parts.push(body.slice(0, 200));
  return parts.join('; ');
}

export class JiraProvider implements SyncProvider {
  readonly id = 'jira' as const;
  readonly label = 'Jira';
  readonly fields: ReadonlySet<SyncField> = new Set(SYNC_FIELDS);

  readonly #base: string;
  readonly #host: string;
  readonly #project: string;
  readonly #issueType: string;
  readonly #auth: string;
  readonly #accountOf: Map<string, string>;
  readonly #nameOf: Map<string, string>;
  readonly #http: HttpOptions;
  #timeZone: Promise<string | undefined> | undefined;
  /** Whether this project's workflows have a done status for dropped work (so won't-do and done differ remotely). */
  #tellsCanceled: boolean | undefined;
  #statusesChecked = false;

  constructor(options: JiraOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new JiraError(`"${options.baseUrl}" is not a Jira site address (e.g. https://acme.atlassian.net).`);
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new JiraError(`The Jira site must be an https:// address; got ${url.origin}.`);
    }
    if (!PROJECT_KEY.test(options.projectKey)) {
      throw new JiraError(`"${options.projectKey}" is not a Jira project key (capital letters, digits and underscores, starting with a letter).`);
    }
    if (!options.email || !options.apiToken) throw new JiraError('Jira needs the account email and an API token.');
    // Requests go to this origin only: the credential belongs to it.
    this.#base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.#host = url.host;
    this.#project = options.projectKey;
    this.#issueType = options.issueType?.trim() || 'Task';
    this.#auth = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`, 'utf8').toString('base64')}`;
    this.#accountOf = new Map(Object.entries(options.users ?? {}));
    this.#nameOf = new Map();
    for (const [name, account] of this.#accountOf) if (!this.#nameOf.has(account)) this.#nameOf.set(account, name);
    this.#http = options.http ?? {};
  }

  async *listChanged(since: string | undefined, opts: CallOptions = {}): AsyncIterable<RemoteItem> {
    let jql = `project = ${jqlString(this.#project)}`;
    if (since !== undefined) {
      const at = Date.parse(since);
      if (Number.isNaN(at)) throw new JiraError(`"${since}" is not a time to list Jira changes from.`);
      const zone = await this.#userTimeZone(opts);
      const from = new Date(at - SINCE_MARGIN_MS - (zone ? 0 : UNKNOWN_ZONE_MARGIN_MS));
      jql += ` AND updated >= "${jqlTime(from, zone ?? 'UTC')}"`;
    }
    jql += ' ORDER BY updated ASC';
    await this.#learnStatuses(opts);
    const seen = new Set<string>();
    let token: string | undefined;
    for (;;) {
      const query: Record<string, string> = { jql, fields: FIELDS.join(','), maxResults: String(PAGE_SIZE) };
      if (token) query.nextPageToken = token;
      const res = await this.#call<{ issues?: JiraIssue[]; nextPageToken?: string | null; isLast?: boolean }>('GET', '/rest/api/3/search/jql', { query, signal: opts.signal });
      for (const issue of res.issues ?? []) yield this.#toItem(issue);
      const next = res.nextPageToken ?? undefined;
      if (res.isLast !== false || !next) return;
      if (seen.has(next)) throw new JiraError('Jira returned the same search page twice; stopped listing to avoid a loop.');
      seen.add(next);
      token = next;
    }
  }

  async get(remoteId: string, opts: CallOptions = {}): Promise<RemoteItem | undefined> {
    const issue = await this.#read(remoteId, FIELDS, opts);
    return issue && this.#toItem(issue);
  }

  async findByLocalId(localId: string, opts: CallOptions = {}): Promise<RemoteItem | undefined> {
    const marker = this.#marker(localId);
    // Jira's search can trail a write by a moment; the marker is on the issue from its creation on.
    const jql = `project = ${jqlString(this.#project)} AND labels = ${jqlString(marker)} ORDER BY created ASC`;
    const res = await this.#call<{ issues?: JiraIssue[] }>('GET', '/rest/api/3/search/jql', {
      query: { jql, fields: FIELDS.join(','), maxResults: '10' },
      signal: opts.signal,
    });
    const issue = (res.issues ?? []).find((i) => (i.fields.labels ?? []).includes(marker));
    return issue && this.#toItem(issue);
  }

  async create(localId: string, fields: SyncFields, opts: CallOptions = {}): Promise<RemoteItem> {
    const marker = this.#marker(localId);
    const body: Record<string, unknown> = {
      project: { key: this.#project },
      issuetype: { name: this.#issueType },
      summary: this.#summary(fields.title, localId),
      labels: [...this.#labels(fields.labels, localId), marker],
    };
    if (fields.body.trim()) body.description = markdownToAdf(fields.body);
    if (fields.assignee !== undefined) body.assignee = { accountId: this.#account(fields.assignee, localId) };
    if (fields.priority !== undefined) body.priority = { name: TO_JIRA_PRIORITY[fields.priority] };
    // Not idempotent: http.ts sends it again only on a 429, when Jira has not acted on it.
    const created = await this.#call<{ id: string; key: string }>('POST', '/rest/api/3/issue', { json: { fields: body }, signal: opts.signal, idempotent: false });
    const key = created.key;
    try {
      await this.#learnStatuses(opts);
      const now = await this.#read(key, ['status'], opts);
      if (now && !this.#stateMatches(now.fields.status, fields.state)) await this.#transition(key, await this.#pickTransition(key, fields.state, opts), opts);
    } catch (e) {
      if (e instanceof CancelledError || e instanceof RateLimitError) throw e;
      throw new JiraError(`Created ${key} for ${localId}, but could not set its state: ${(e as Error).message}`, (e as JiraError).status ?? 0);
    }
    return this.#reread(key, opts);
  }

  async update(remoteId: string, changes: Partial<SyncFields>, opts: UpdateOptions = {}): Promise<RemoteItem> {
    const key = this.#key(remoteId);
    // Everything that can be refused locally is checked before the first write.
    const fields: Record<string, unknown> = {};
    if (changes.title !== undefined) fields.summary = this.#summary(changes.title, key);
    if ('body' in changes) fields.description = changes.body?.trim() ? markdownToAdf(changes.body) : null;
    if ('assignee' in changes) fields.assignee = changes.assignee === undefined ? null : { accountId: this.#account(changes.assignee, key) };
    if ('priority' in changes) fields.priority = changes.priority === undefined ? null : { name: TO_JIRA_PRIORITY[changes.priority] };
    const wanted = changes.labels !== undefined ? this.#labels(changes.labels, key) : undefined;

    if (changes.state !== undefined) await this.#learnStatuses(opts);
    const current = await this.#read(key, FIELDS, opts);
    if (!current) throw new JiraError(`${key} no longer exists in Jira, or this account cannot see it.`, 404);
    const now = this.#toItem(current);
    assertUnmoved(now, opts.basis);

    // Labels as additions and removals against what the write was planned on, so a label added or removed meanwhile stays.
    const update: Record<string, unknown> = {};
    if (wanted) {
      const { add, remove } = labelChanges((opts.basis ?? now).fields.labels, wanted);
      const ops = [...add.map((l) => ({ add: l })), ...remove.map((l) => ({ remove: l }))];
      if (ops.length) update.labels = ops;
    }
    const edit = async () => {
      if (!Object.keys(fields).length && !Object.keys(update).length) return;
      const json: Record<string, unknown> = {};
      if (Object.keys(fields).length) json.fields = fields;
      if (Object.keys(update).length) json.update = update;
      await this.#call('PUT', `/rest/api/3/issue/${encodeURIComponent(key)}`, { json, signal: opts.signal });
    };
    const target = changes.state;
    // The transition is chosen before any write, so a workflow that offers none leaves the issue untouched.
    const transition = target !== undefined && !this.#stateMatches(current.fields.status, target) ? await this.#pickTransition(key, target, opts) : undefined;
    // Workflows may lock done issues against edits: edit before closing, reopen before editing.
    if (transition && JIRA_CATEGORY[stateCategory(target!)] === 'done') {
      await edit();
      await this.#transition(key, transition, opts);
    } else {
      if (transition) await this.#transition(key, transition, opts);
      await edit();
    }
    return this.#reread(key, opts);
  }

  labelKey(label: string): string {
    return jiraLabel(label);
  }

  /** A summary holds one line; a description comes back as its document format reads as markdown. */
  asStored(field: SyncField, value: unknown): unknown {
    if (field === 'title' && typeof value === 'string') return value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    if (field === 'body') return typeof value === 'string' && value.trim() ? adfToMarkdown(markdownToAdf(value)) : '';
    return value;
  }

  sameState(a: State, b: State): boolean {
    const ca = stateCategory(a);
    const cb = stateCategory(b);
    if (ca === cb) return true;
    // A workflow with no status for dropped work shows won't-do as Done: then the two cannot be told apart.
    const pair = new Set([ca, cb]);
    return pair.has('completed') && pair.has('canceled') && this.#tellsCanceled === false;
  }

  // ── mapping ──

  #toItem(issue: JiraIssue): RemoteItem {
    const f = issue.fields ?? {};
    this.#noteStatus(f.status);
    const labels: string[] = [];
    let localId: string | undefined;
    for (const l of f.labels ?? []) {
      const m = MARKER.exec(l);
      if (m) localId ??= m[1];
      else labels.push(l);
    }
    const account = f.assignee?.accountId;
    const assignee = account ? (this.#nameOf.get(account) ?? f.assignee?.displayName ?? account) : undefined;
    const priority = f.priority?.name ? FROM_JIRA_PRIORITY[f.priority.name.toLowerCase()] : undefined;
    const fields: SyncFields = {
      title: f.summary ?? '',
      body: typeof f.description === 'string' ? f.description : f.description ? adfToMarkdown(f.description) : '',
      state: stateFromStatus(f.status),
      labels,
    };
    if (assignee !== undefined) fields.assignee = assignee;
    if (priority !== undefined) fields.priority = priority;
    const item: RemoteItem = { remoteId: issue.key, key: issue.key, url: `${this.#base}/browse/${issue.key}`, updatedAt: jiraTime(f.updated), fields };
    if (localId) item.localId = localId;
    return item;
  }

  #marker(localId: string): string {
    if (!LOCAL_ID.test(localId)) throw new JiraError(`"${localId}" is not an item id this sync can mark in Jira.`);
    return `${MARKER_PREFIX}${localId}`;
  }

  #key(remoteId: string): string {
    if (!ISSUE_KEY.test(remoteId)) throw new JiraError(`"${remoteId}" is not a Jira issue key.`);
    return remoteId;
  }

  #summary(title: string, item: string): string {
    const summary = title.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    if (!summary) throw new JiraError(`${item}: a Jira issue needs a title.`);
    if (summary.length > SUMMARY_MAX) throw new JiraError(`${item}: the title is ${summary.length} characters; Jira holds at most ${SUMMARY_MAX}.`);
    return summary;
  }

  #labels(labels: readonly string[], item: string): string[] {
    const out: string[] = [];
    for (const raw of labels) {
      const label = jiraLabel(raw);
      if (!label) continue;
      if (MARKER.test(label)) throw new JiraError(`${item}: the label "${raw}" is reserved for the sync marker; rename it.`);
      if (label.length > LABEL_MAX) throw new JiraError(`${item}: the label "${raw.slice(0, 40)}…" is longer than Jira's ${LABEL_MAX} characters.`);
      if (!out.includes(label)) out.push(label);
    }
    return out;
  }

  #account(name: string, item: string): string {
    const account = this.#accountOf.get(name);
    if (!account) throw new JiraError(`${item}: no Jira account is mapped for the assignee "${name}"; add "${name}" to the Jira users map.`);
    return account;
  }

  #stateMatches(status: JiraStatus | undefined, target: State): boolean {
    const category = stateCategory(target);
    if (status?.statusCategory?.key !== JIRA_CATEGORY[category]) return false;
    if (JIRA_CATEGORY[category] !== 'done') return true;
    return this.sameState(stateFromStatus(status), target);
  }

  #noteStatus(status: JiraStatus | undefined): void {
    if (status?.statusCategory?.key === 'done' && isCanceledName(status.name)) this.#tellsCanceled = true;
  }

  // ── requests ──

  async #pickTransition(key: string, target: State, opts: CallOptions): Promise<JiraTransition> {
    const path = `/rest/api/3/issue/${encodeURIComponent(key)}/transitions`;
    const res = await this.#call<{ transitions?: JiraTransition[] }>('GET', path, { signal: opts.signal });
    const transitions = res.transitions ?? [];
    for (const t of transitions) this.#noteStatus(t.to);
    const choice = chooseTransition(transitions, target);
    if (!choice) {
      const offered = transitions.map((t) => `${t.name ?? t.id} → ${t.to?.name ?? '?'}`).join(', ') || 'none';
      throw new JiraError(`${key}: the Jira workflow offers no transition to a status for ${STATE_LABELS[target]} (offered: ${offered}).`, 0);
    }
    return choice;
  }

  async #transition(key: string, transition: JiraTransition, opts: CallOptions): Promise<void> {
    const path = `/rest/api/3/issue/${encodeURIComponent(key)}/transitions`;
    // A transition sent twice could move the issue twice: never retried once Jira may have acted.
    await this.#call('POST', path, { json: { transition: { id: transition.id } }, signal: opts.signal, idempotent: false });
  }

  async #read(remoteId: string, fields: readonly string[], opts: CallOptions): Promise<JiraIssue | undefined> {
    const key = this.#key(remoteId);
    try {
      return await this.#call<JiraIssue>('GET', `/rest/api/3/issue/${encodeURIComponent(key)}`, { query: { fields: fields.join(',') }, signal: opts.signal });
    } catch (e) {
      if (e instanceof JiraError && e.status === 404) return undefined;
      throw e;
    }
  }

  async #reread(key: string, opts: CallOptions): Promise<RemoteItem> {
    const item = await this.get(key, opts);
    if (!item) throw new JiraError(`${key} was written but cannot be read back from Jira.`, 404);
    return item;
  }

  /** The signed-in user's time zone, which JQL dates are read in. Undefined when Jira does not say. */
  #userTimeZone(opts: CallOptions): Promise<string | undefined> {
    this.#timeZone ??= this.#call<{ timeZone?: unknown }>('GET', '/rest/api/3/myself', { signal: opts.signal }).then(
      (me) => (validZone(me.timeZone) ? me.timeZone : undefined),
      (e) => {
        this.#timeZone = undefined; // ask again next time
        throw e;
      },
    );
    return this.#timeZone;
  }

  /** Once per provider: whether any of the project's workflows has a done status for dropped work. */
  async #learnStatuses(opts: CallOptions): Promise<void> {
    if (this.#statusesChecked) return;
    try {
      const types = await this.#call<{ statuses?: JiraStatus[] }[]>('GET', `/rest/api/3/project/${encodeURIComponent(this.#project)}/statuses`, { signal: opts.signal });
      const statuses = (Array.isArray(types) ? types : []).flatMap((t) => t.statuses ?? []);
      const canceled = statuses.some((s) => s.statusCategory?.key === 'done' && isCanceledName(s.name));
      this.#tellsCanceled = canceled || this.#tellsCanceled === true;
      this.#statusesChecked = true;
    } catch (e) {
      // A project whose statuses this account may not read keeps the two distinct, the safe default;
      // anything else (cancelled, unreachable, bad credentials) is the caller's to know.
      if (!(e instanceof JiraError && [400, 403, 404].includes(e.status))) throw e;
    }
  }

  async #call<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    o: { query?: Record<string, string>; json?: unknown; signal?: AbortSignal; idempotent?: boolean },
  ): Promise<T> {
    const url = `${this.#base}${path}${o.query ? `?${new URLSearchParams(o.query)}` : ''}`;
    try {
      const res = await request<T>(
        { method, url, headers: { authorization: this.#auth }, json: o.json, signal: o.signal, idempotent: o.idempotent },
        this.#http,
      );
      return res.body;
    } catch (e) {
      // Cancellation and rate limits (which carry when to come back) pass through as they are.
      if (!(e instanceof HttpError) || e instanceof RateLimitError) throw e;
      throw this.#explain(e, method, path);
    }
  }

  #explain(e: HttpError, method: string, path: string): Error {
    const detail = jiraDetail(e.body);
    const what = `${method} ${path}`;
    // The cause keeps the HTTP failure, so callers can tell whether the request may have acted (outcomeUnknown).
    const cause = { cause: e };
    switch (e.status) {
      case 0:
        return new JiraError(`Could not reach Jira at ${this.#host}: ${e.message}`, 0, cause);
      case 401:
        return new JiraError(`Jira at ${this.#host} did not accept the email and API token (HTTP 401). Check both, or create a new token.`, 401, cause);
      case 403:
        return new JiraError(`Jira at ${this.#host} refused ${what} (HTTP 403)${detail ? `: ${detail}` : ''}. The account may lack permission in ${this.#project}.`, 403, cause);
      default:
        return new JiraError(`Jira ${what} failed (HTTP ${e.status})${detail ? `: ${detail}` : ''}`, e.status, cause);
    }
  }
}
