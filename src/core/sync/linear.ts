/**
 * Linear as a sync provider: one team's issues, read and written through Linear's GraphQL API and
 * mapped into the local vocabulary (see linearMapping.ts). The engine merges and writes local files.
 *
 * Decisions worth knowing:
 * - The marker is the description's last line, `` `ai-trackdown:TSK-0001` ``, stripped when read back;
 *   `findByLocalId` finds it with an issue filter on the description, which sees an issue as soon as
 *   it exists, so a create whose answer was lost is found again instead of being made twice.
 * - Labels are matched by name (case aside) among the team's and the workspace's labels; a label
 *   Linear does not have yet is created as a team label, so that a label set locally is never dropped.
 * - Workflow states are read once per team and provider; build a new provider to see renamed states.
 * - Linear has no conditional update: an update reads the issue first and writes nothing if it moved
 *   since the engine read it, sends labels as additions and removals, and reads the issue again after.
 */
import { State } from '../model';
import { HttpOptions } from './http';
import { LinearError, LinearGraphql } from './linearGraphql';
import {
  LinearState,
  localStateOf,
  markerSearchText,
  priorityFromLinear,
  priorityToLinear,
  remoteStateFor,
  splitMarker,
  withMarker,
} from './linearMapping';
import { assertUnmoved, CallOptions, labelChanges, RemoteItem, stateCategory, SYNC_FIELDS, SyncField, SyncFields, SyncProvider, UpdateOptions } from './provider';

export interface LinearProviderOptions {
  /** Default https://api.linear.app/graphql. */
  apiUrl?: string;
  /** A personal API key. */
  apiKey: string;
  /** The team whose issues are synced, by its key (`ENG`). */
  teamKey: string;
  /** Local name → Linear user id or email. */
  users?: Record<string, string>;
  http?: HttpOptions;
}

/**
 * Labels per issue in a listing. Linear refuses a query scoring over 10,000 complexity points, and a
 * connection multiplies its children by its page size: 50 issues × 50 labels scores about 6,400,
 * while 250 labels would not pass. An issue with more labels has the rest read on their own (IssueLabels).
 */
const LABEL_PAGE = 50;

const ISSUE_FIELDS = `
  id identifier url title description priority createdAt updatedAt trashed
  team { id key }
  state { id name type }
  assignee { id name displayName email }
  labels(first: ${LABEL_PAGE}) { nodes { id name } pageInfo { hasNextPage endCursor } }
`;

interface IssueNode {
  id: string;
  identifier: string;
  url?: string;
  title: string;
  description?: string | null;
  priority?: number | null;
  createdAt: string;
  updatedAt: string;
  trashed?: boolean | null;
  team: { id: string; key: string };
  state: { id: string; name: string; type: string };
  assignee?: { id: string; name?: string; displayName?: string; email?: string } | null;
  labels: Connection<{ id: string; name: string }>;
}

interface Connection<T> {
  nodes: T[];
  pageInfo?: { hasNextPage: boolean; endCursor?: string | null };
}

interface Team {
  id: string;
  key: string;
  states: LinearState[];
}

interface LabelNode {
  id: string;
  name: string;
  /** A label group only holds labels; an issue cannot carry it. */
  isGroup?: boolean;
  team?: { id: string } | null;
}

interface UserNode {
  id: string;
  name?: string;
  displayName?: string;
  email?: string;
}

const PAGE_SIZE = 50;

const LIST_ISSUES = `query ListIssues($filter: IssueFilter!, $after: String) {
  issues(filter: $filter, orderBy: updatedAt, first: ${PAGE_SIZE}, after: $after) {
    nodes { ${ISSUE_FIELDS} }
    pageInfo { hasNextPage endCursor }
  }
}`;

const FIND_BY_MARKER = `query FindIssueByMarker($filter: IssueFilter!) {
  issues(filter: $filter, first: ${PAGE_SIZE}) { nodes { ${ISSUE_FIELDS} } }
}`;

const ISSUE_LABELS = `query IssueLabels($id: String!, $after: String) {
  issue(id: $id) { labels(first: 250, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } } }
}`;

const GET_ISSUE = `query GetIssue($id: String!) { issue(id: $id) { ${ISSUE_FIELDS} } }`;

const TEAM = `query TeamStates($filter: TeamFilter!) {
  teams(filter: $filter, first: 1) { nodes { id key states(first: 100) { nodes { id name type position } } } }
}`;

const FIND_LABELS = `query FindLabels($filter: IssueLabelFilter!) {
  issueLabels(filter: $filter, first: 250) { nodes { id name isGroup team { id } } }
}`;

const CREATE_LABEL = `mutation CreateLabel($input: IssueLabelCreateInput!) {
  issueLabelCreate(input: $input) { success issueLabel { id name team { id } } }
}`;

const FIND_USERS = `query FindUsers($filter: UserFilter!) { users(filter: $filter, first: 2) { nodes { id name displayName email } } }`;

const CREATE_ISSUE = `mutation CreateIssue($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { ${ISSUE_FIELDS} } }
}`;

const UPDATE_ISSUE = `mutation UpdateIssue($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { ${ISSUE_FIELDS} } }
}`;

type IssueInput = Record<string, unknown>;

export class LinearProvider implements SyncProvider {
  readonly id = 'linear' as const;
  readonly label = 'Linear';
  readonly fields: ReadonlySet<SyncField> = new Set(SYNC_FIELDS);

  private readonly api: LinearGraphql;
  private readonly teamKey: string;
  private readonly users: Record<string, string>;
  private readonly teams = new Map<string, Promise<Team>>();
  private readonly userIds = new Map<string, Promise<string>>();

  constructor(options: LinearProviderOptions) {
    if (!options.apiKey) throw new Error('Linear needs an API key.');
    if (!options.teamKey) throw new Error('Linear needs the key of the team to sync (for example ENG).');
    this.api = new LinearGraphql({ apiUrl: options.apiUrl, apiKey: options.apiKey, http: options.http });
    this.teamKey = options.teamKey;
    this.users = options.users ?? {};
  }

  /**
   * Linear orders by update time newest first and pages forward only, so the pages are gathered and
   * handed out oldest first: an engine that remembers the last time it saw can then stop anywhere.
   */
  async *listChanged(since: string | undefined, opts: CallOptions = {}): AsyncIterable<RemoteItem> {
    const filter: Record<string, unknown> = { team: { key: { eq: this.teamKey } } };
    if (since !== undefined) filter.updatedAt = { gte: since };
    const nodes: IssueNode[] = [];
    let after: string | undefined;
    for (;;) {
      const data = await this.api.run<{ issues: Connection<IssueNode> }>('ListIssues', LIST_ISSUES, { filter, after }, { idempotent: true, signal: opts.signal });
      nodes.push(...data.issues.nodes);
      const page = data.issues.pageInfo;
      if (!page?.hasNextPage || !page.endCursor) break;
      after = page.endCursor;
    }
    // An issue edited while the pages are read moves up the order and can show up twice: keep its newest copy.
    const newest = new Map<string, IssueNode>();
    for (const n of nodes) {
      const seen = newest.get(n.id);
      if (!n.trashed && (!seen || Date.parse(n.updatedAt) > Date.parse(seen.updatedAt))) newest.set(n.id, n);
    }
    const items = [...newest.values()].sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt));
    for (const n of items) yield this.toItem(await this.withAllLabels(n, opts));
  }

  async get(remoteId: string, opts: CallOptions = {}): Promise<RemoteItem | undefined> {
    const node = await this.readIssue(remoteId, opts);
    return node && this.toItem(await this.withAllLabels(node, opts));
  }

  async findByLocalId(localId: string, opts: CallOptions = {}): Promise<RemoteItem | undefined> {
    const filter = { team: { key: { eq: this.teamKey } }, description: { contains: markerSearchText(localId) } };
    const data = await this.api.run<{ issues: Connection<IssueNode> }>('FindIssueByMarker', FIND_BY_MARKER, { filter }, { idempotent: true, signal: opts.signal });
    // The filter is a substring match: keep only issues whose marker names exactly this id; of twins
    // made before this provider existed, the first one created is the one to keep syncing.
    const match = data.issues.nodes
      .filter((n) => !n.trashed && splitMarker(n.description).localId === localId)
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))[0];
    return match && this.toItem(await this.withAllLabels(match, opts));
  }

  async create(localId: string, fields: SyncFields, opts: CallOptions = {}): Promise<RemoteItem> {
    const team = await this.team(this.teamKey, opts);
    const input: IssueInput = {
      teamId: team.id,
      title: fields.title,
      description: withMarker(fields.body, localId),
      stateId: this.stateId(team, fields.state),
      priority: priorityToLinear(fields.priority),
      labelIds: await this.labelIds(team, fields.labels, opts),
    };
    if (fields.assignee !== undefined) input.assigneeId = await this.userId(fields.assignee, opts);
    const data = await this.api.run<{ issueCreate: { success: boolean; issue?: IssueNode | null } }>('CreateIssue', CREATE_ISSUE, { input }, { idempotent: false, signal: opts.signal });
    if (!data.issueCreate.success || !data.issueCreate.issue) throw new Error(`Linear did not create the issue for ${localId}.`);
    return this.toItem(await this.withAllLabels(data.issueCreate.issue, opts));
  }

  /**
   * Reads the issue first (to see that it has not moved since the engine read it, and for its team's
   * states and labels and the marker a new description must keep), then sends only the changed fields,
   * so an edit made on Linear to any other field stays, and reads the issue again.
   */
  async update(remoteId: string, changes: Partial<SyncFields>, opts: UpdateOptions = {}): Promise<RemoteItem> {
    const read = await this.readIssue(remoteId, opts);
    if (!read) throw new Error(`Linear has no issue ${remoteId} (deleted, or not visible to this API key).`);
    const current = await this.withAllLabels(read, opts);
    const now = this.toItem(current);
    assertUnmoved(now, opts.basis);
    const has = (f: SyncField) => Object.prototype.hasOwnProperty.call(changes, f);
    // States and labels belong to the issue's team, which is not the configured one if it was moved.
    const team = () => this.team(current.team.key, opts);
    const input: IssueInput = {};
    if (has('title') && changes.title !== undefined) input.title = changes.title;
    if (has('body')) {
      const { localId } = splitMarker(current.description);
      input.description = localId ? withMarker(changes.body ?? '', localId) : (changes.body ?? '').trimEnd();
    }
    if (has('state') && changes.state !== undefined) input.stateId = this.stateId(await team(), changes.state);
    if (has('labels')) {
      // Additions and removals against what the write was planned on, so a label added or removed meanwhile stays.
      const { add, remove } = labelChanges((opts.basis ?? now).fields.labels, changes.labels ?? [], (l) => l.toLowerCase());
      if (add.length) input.addedLabelIds = await this.labelIds(await team(), add, opts);
      const removed = new Set(remove.map((l) => l.toLowerCase()));
      const removedIds = current.labels.nodes.filter((l) => removed.has(l.name.toLowerCase())).map((l) => l.id);
      if (removedIds.length) input.removedLabelIds = removedIds;
    }
    if (has('assignee')) input.assigneeId = changes.assignee === undefined ? null : await this.userId(changes.assignee, opts);
    if (has('priority')) input.priority = priorityToLinear(changes.priority);
    if (Object.keys(input).length === 0) return now;

    // Not idempotent: sent again after a lost answer, it would overwrite an edit made in between.
    const data = await this.api.run<{ issueUpdate: { success: boolean; issue?: IssueNode | null } }>(
      'UpdateIssue',
      UPDATE_ISSUE,
      { id: current.id, input },
      { idempotent: false, signal: opts.signal },
    );
    if (!data.issueUpdate.success || !data.issueUpdate.issue) throw new Error(`Linear did not update ${current.identifier}.`);
    const after = await this.get(current.identifier, opts);
    if (!after) throw new Error(`Linear updated ${current.identifier} but it cannot be read back.`);
    return after;
  }

  /** Labels are matched by name without case, as they are found and created. */
  labelKey(label: string): string {
    return label.toLowerCase();
  }

  sameState(a: State, b: State): boolean {
    return stateCategory(a) === stateCategory(b);
  }

  private async readIssue(remoteId: string, opts: CallOptions): Promise<IssueNode | undefined> {
    try {
      const data = await this.api.run<{ issue: IssueNode | null }>('GetIssue', GET_ISSUE, { id: remoteId }, { idempotent: true, signal: opts.signal });
      return data.issue && !data.issue.trashed ? data.issue : undefined;
    } catch (e) {
      if (e instanceof LinearError && e.notFound) return undefined;
      throw e;
    }
  }

  /** The issue with every label, read page by page past the first LABEL_PAGE: a label cut off would read as removed. */
  private async withAllLabels(n: IssueNode, opts: CallOptions): Promise<IssueNode> {
    let page: Connection<unknown>['pageInfo'] = n.labels.pageInfo;
    if (!page?.hasNextPage) return n;
    const labels = [...n.labels.nodes];
    while (page?.hasNextPage && page.endCursor) {
      const data: { issue: { labels: Connection<{ id: string; name: string }> } } = await this.api.run(
        'IssueLabels',
        ISSUE_LABELS,
        { id: n.id, after: page.endCursor },
        { idempotent: true, signal: opts.signal },
      );
      labels.push(...data.issue.labels.nodes);
      page = data.issue.labels.pageInfo;
    }
    return { ...n, labels: { nodes: labels } };
  }

  private toItem(n: IssueNode): RemoteItem {
    const { body, localId } = splitMarker(n.description);
    const fields: SyncFields = {
      title: n.title,
      body,
      state: localStateOf(n.state),
      labels: n.labels.nodes.map((l) => l.name),
    };
    const assignee = n.assignee ? this.localUser(n.assignee) : undefined;
    if (assignee !== undefined) fields.assignee = assignee;
    const priority = priorityFromLinear(n.priority);
    if (priority !== undefined) fields.priority = priority;
    const item: RemoteItem = { remoteId: n.identifier, key: n.identifier, updatedAt: n.updatedAt, fields };
    if (n.url) item.url = n.url;
    if (localId !== undefined) item.localId = localId;
    return item;
  }

  /** Teams (with their workflow states) by key, read once; a failed read is tried again next time. */
  private team(key: string, opts: CallOptions): Promise<Team> {
    let team = this.teams.get(key);
    if (!team) {
      team = this.api
        .run<{ teams: Connection<{ id: string; key: string; states: Connection<LinearState> }> }>('TeamStates', TEAM, { filter: { key: { eq: key } } }, { idempotent: true, signal: opts.signal })
        .then((data) => {
          const t = data.teams.nodes[0];
          if (!t) throw new Error(`Linear has no team with the key ${key} that this API key can see.`);
          return { id: t.id, key: t.key, states: t.states.nodes };
        });
      team.catch(() => this.teams.delete(key));
      this.teams.set(key, team);
    }
    return team;
  }

  private stateId(team: Team, state: State): string {
    const remote = remoteStateFor(state, team.states);
    if (!remote) throw new Error(`Linear team ${team.key} has no workflow state for "${state}" (it needs one of type ${stateCategory(state)}).`);
    return remote.id;
  }

  /** Label ids for names, case aside, preferring the team's label to a workspace one; missing ones are created. */
  private async labelIds(team: Team, names: readonly string[], opts: CallOptions): Promise<string[]> {
    const wanted = [...new Map(names.map((n) => [n.toLowerCase(), n])).values()];
    if (wanted.length === 0) return [];
    const filter = { or: wanted.map((n) => ({ name: { eqIgnoreCase: n } })) };
    const data = await this.api.run<{ issueLabels: Connection<LabelNode> }>('FindLabels', FIND_LABELS, { filter }, { idempotent: true, signal: opts.signal });
    const usable = data.issueLabels.nodes.filter((l) => !l.isGroup && (!l.team || l.team.id === team.id));
    const ids: string[] = [];
    for (const name of wanted) {
      const same = usable.filter((l) => l.name.toLowerCase() === name.toLowerCase());
      const found = same.find((l) => l.team?.id === team.id && l.name === name) ?? same.find((l) => l.team?.id === team.id) ?? same.find((l) => l.name === name) ?? same[0];
      ids.push(found ? found.id : await this.createLabel(team, name, opts));
    }
    return ids;
  }

  /** Not retried: were the answer lost, the next write finds the label by name instead of making a twin. */
  private async createLabel(team: Team, name: string, opts: CallOptions): Promise<string> {
    const data = await this.api.run<{ issueLabelCreate: { success: boolean; issueLabel?: LabelNode | null } }>(
      'CreateLabel',
      CREATE_LABEL,
      { input: { name, teamId: team.id } },
      { idempotent: false, signal: opts.signal },
    );
    if (!data.issueLabelCreate.success || !data.issueLabelCreate.issueLabel) throw new Error(`Linear did not create the label "${name}".`);
    return data.issueLabelCreate.issueLabel.id;
  }

  /**
   * The Linear user for a local name: the users map gives an id or an email; a name not in the map is
   * looked up as a Linear display name, which is often the same handle.
   */
  private userId(local: string, opts: CallOptions): Promise<string> {
    let id = this.userIds.get(local);
    if (!id) {
      id = this.lookUpUser(local, opts);
      id.catch(() => this.userIds.delete(local));
      this.userIds.set(local, id);
    }
    return id;
  }

  private async lookUpUser(local: string, opts: CallOptions): Promise<string> {
    const mapped = this.users[local];
    if (mapped !== undefined && !mapped.includes('@')) return mapped;
    const filter = mapped !== undefined ? { email: { eqIgnoreCase: mapped } } : { displayName: { eqIgnoreCase: local } };
    const data = await this.api.run<{ users: Connection<UserNode> }>('FindUsers', FIND_USERS, { filter }, { idempotent: true, signal: opts.signal });
    const found = data.users.nodes;
    if (found.length === 1) return found[0].id;
    if (mapped !== undefined) throw new Error(`Linear has no user with the email ${mapped} (mapped from assignee "${local}").`);
    throw new Error(
      found.length === 0
        ? `Linear has no user named "${local}"; map the assignee to a Linear user id or email in the Linear users setting.`
        : `Several Linear users are named "${local}"; map the assignee to a Linear user id or email in the Linear users setting.`,
    );
  }

  /** The local name of a Linear user: the users map read backwards, else the user's display name. */
  private localUser(user: UserNode): string | undefined {
    const email = user.email?.toLowerCase();
    const mapped = Object.entries(this.users).find(([, v]) => v === user.id || (email !== undefined && v.toLowerCase() === email));
    return mapped?.[0] ?? user.displayName ?? user.name;
  }
}
