/**
 * A fake Linear GraphQL API on 127.0.0.1 for the provider's tests. It keeps real issues, teams,
 * workflow states, labels and users; checks the Authorization header as Linear does for a personal
 * API key (the raw key, no "Bearer"); validates every operation against the part of Linear's schema
 * it serves and rejects anything else; answers in Linear's shapes (connections with pageInfo,
 * payloads with `success`, GraphQL errors with HTTP 200 or 400); and, on demand, answers 429,
 * RATELIMITED, 5xx, loses a response after acting on it, or runs a test's edit just before an operation
 * or right after its answer.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { complexity, evaluateArgs, GraphqlValidationError, Operation, parseOperation, project, Schema, validate } from './graphqlLite';

const S = 'String';
const CMP = { eq: S, neq: S, in: '[String!]', nin: '[String!]', eqIgnoreCase: S, neqIgnoreCase: S, contains: S, containsIgnoreCase: S, notContains: S, startsWith: S, endsWith: S };
const ID_CMP = { eq: 'ID', neq: 'ID', in: '[ID!]', nin: '[ID!]' };
const PAGE = { first: 'Int', after: 'String', last: 'Int', before: 'String', includeArchived: 'Boolean', orderBy: 'PaginationOrderBy' };

/** The part of Linear's published schema these operations touch, with its real names and types. */
export const LINEAR_SCHEMA: Schema = {
  scalars: ['String', 'Int', 'Float', 'Boolean', 'ID', 'DateTime', 'DateTimeOrDuration', 'TimelessDate'],
  enums: { PaginationOrderBy: ['createdAt', 'updatedAt'] },
  inputs: {
    StringComparator: CMP,
    NullableStringComparator: { ...CMP, null: 'Boolean' },
    IDComparator: ID_CMP,
    DateComparator: { eq: 'DateTimeOrDuration', neq: 'DateTimeOrDuration', gt: 'DateTimeOrDuration', gte: 'DateTimeOrDuration', lt: 'DateTimeOrDuration', lte: 'DateTimeOrDuration' },
    NullableNumberComparator: { eq: 'Float', neq: 'Float', gt: 'Float', gte: 'Float', lt: 'Float', lte: 'Float', null: 'Boolean' },
    TeamFilter: { id: 'IDComparator', key: 'StringComparator', name: 'StringComparator', and: '[TeamFilter!]', or: '[TeamFilter!]' },
    NullableTeamFilter: { id: 'IDComparator', key: 'StringComparator', name: 'StringComparator', null: 'Boolean' },
    IssueIDComparator: ID_CMP,
    BooleanComparator: { eq: 'Boolean', neq: 'Boolean' },
    IssueFilter: {
      id: 'IssueIDComparator',
      title: 'StringComparator',
      description: 'NullableStringComparator',
      priority: 'NullableNumberComparator',
      createdAt: 'DateComparator',
      updatedAt: 'DateComparator',
      team: 'TeamFilter',
      and: '[IssueFilter!]',
      or: '[IssueFilter!]',
    },
    IssueLabelFilter: { id: 'IDComparator', name: 'StringComparator', isGroup: 'BooleanComparator', team: 'NullableTeamFilter', parent: 'IssueLabelFilter', and: '[IssueLabelFilter!]', or: '[IssueLabelFilter!]' },
    UserFilter: { id: 'IDComparator', name: 'StringComparator', displayName: 'StringComparator', email: 'StringComparator', and: '[UserFilter!]', or: '[UserFilter!]' },
    IssueCreateInput: {
      id: S,
      title: S,
      description: S,
      teamId: 'String!',
      priority: 'Int',
      stateId: S,
      assigneeId: S,
      labelIds: '[String!]',
      parentId: S,
      projectId: S,
      estimate: 'Int',
      dueDate: 'TimelessDate',
    },
    IssueUpdateInput: {
      title: S,
      description: S,
      priority: 'Int',
      stateId: S,
      assigneeId: S,
      labelIds: '[String!]',
      addedLabelIds: '[String!]',
      removedLabelIds: '[String!]',
      teamId: S,
      parentId: S,
      projectId: S,
      estimate: 'Int',
      dueDate: 'TimelessDate',
    },
    IssueLabelCreateInput: { name: 'String!', teamId: S, color: S, description: S, parentId: S },
  },
  objects: {
    Query: {
      issues: { type: 'IssueConnection!', args: { ...PAGE, filter: 'IssueFilter' } },
      issue: { type: 'Issue!', args: { id: 'String!' } },
      teams: { type: 'TeamConnection!', args: { ...PAGE, filter: 'TeamFilter' } },
      issueLabels: { type: 'IssueLabelConnection!', args: { ...PAGE, filter: 'IssueLabelFilter' } },
      users: { type: 'UserConnection!', args: { ...PAGE, filter: 'UserFilter', includeDisabled: 'Boolean' } },
    },
    Mutation: {
      issueCreate: { type: 'IssuePayload!', args: { input: 'IssueCreateInput!' } },
      issueUpdate: { type: 'IssuePayload!', args: { id: 'String!', input: 'IssueUpdateInput!' } },
      issueLabelCreate: { type: 'IssueLabelPayload!', args: { input: 'IssueLabelCreateInput!', replaceTeamLabels: 'Boolean' } },
    },
    Issue: {
      id: { type: 'ID!' },
      identifier: { type: 'String!' },
      number: { type: 'Float!' },
      url: { type: 'String!' },
      title: { type: 'String!' },
      description: { type: 'String' },
      priority: { type: 'Float!' },
      priorityLabel: { type: 'String!' },
      createdAt: { type: 'DateTime!' },
      updatedAt: { type: 'DateTime!' },
      archivedAt: { type: 'DateTime' },
      trashed: { type: 'Boolean' },
      team: { type: 'Team!' },
      state: { type: 'WorkflowState!' },
      assignee: { type: 'User' },
      labels: { type: 'IssueLabelConnection!', args: { ...PAGE, filter: 'IssueLabelFilter' } },
    },
    IssueConnection: { nodes: { type: '[Issue!]!' }, pageInfo: { type: 'PageInfo!' } },
    PageInfo: { hasNextPage: { type: 'Boolean!' }, hasPreviousPage: { type: 'Boolean!' }, startCursor: { type: 'String' }, endCursor: { type: 'String' } },
    Team: {
      id: { type: 'ID!' },
      key: { type: 'String!' },
      name: { type: 'String!' },
      states: { type: 'WorkflowStateConnection!', args: { ...PAGE } },
    },
    TeamConnection: { nodes: { type: '[Team!]!' }, pageInfo: { type: 'PageInfo!' } },
    WorkflowState: { id: { type: 'ID!' }, name: { type: 'String!' }, type: { type: 'String!' }, position: { type: 'Float!' }, color: { type: 'String!' } },
    WorkflowStateConnection: { nodes: { type: '[WorkflowState!]!' }, pageInfo: { type: 'PageInfo!' } },
    IssueLabel: { id: { type: 'ID!' }, name: { type: 'String!' }, color: { type: 'String!' }, isGroup: { type: 'Boolean!' }, team: { type: 'Team' } },
    IssueLabelConnection: { nodes: { type: '[IssueLabel!]!' }, pageInfo: { type: 'PageInfo!' } },
    User: { id: { type: 'ID!' }, name: { type: 'String!' }, displayName: { type: 'String!' }, email: { type: 'String!' }, active: { type: 'Boolean!' } },
    UserConnection: { nodes: { type: '[User!]!' }, pageInfo: { type: 'PageInfo!' } },
    IssuePayload: { success: { type: 'Boolean!' }, issue: { type: 'Issue' }, lastSyncId: { type: 'Float!' } },
    IssueLabelPayload: { success: { type: 'Boolean!' }, issueLabel: { type: 'IssueLabel!' }, lastSyncId: { type: 'Float!' } },
  },
};

export interface FakeTeam {
  id: string;
  key: string;
  name: string;
  nextNumber: number;
}
export interface FakeState {
  id: string;
  teamId: string;
  name: string;
  type: string;
  position: number;
}
export interface FakeLabel {
  id: string;
  name: string;
  teamId: string | null;
  isGroup?: boolean;
}
export interface FakeUser {
  id: string;
  name: string;
  displayName: string;
  email: string;
}
export interface FakeIssue {
  id: string;
  identifier: string;
  teamId: string;
  title: string;
  description: string | null;
  priority: number;
  stateId: string;
  assigneeId: string | null;
  labelIds: string[];
  createdAt: string;
  updatedAt: string;
  trashed: boolean;
}

export type Fault =
  | { kind: 'status'; status: number }
  /** HTTP 429 with Linear's rate-limit headers; `resetAt` in epoch ms. */
  | { kind: 'ratelimit429'; resetAt: number }
  /** A RATELIMITED GraphQL error in a body with this status (Linear uses 400; 200 is tolerated too). */
  | { kind: 'ratelimitedBody'; status: 200 | 400; resetAt: number }
  | { kind: 'graphqlError'; status: 200 | 400; error: Record<string, unknown> }
  /** Runs the operation, then drops the connection without answering (and runs `then`). */
  | { kind: 'dropResponse'; then?: () => void };

interface PendingFault {
  fault: Fault;
  operation?: string;
  times: number;
}

class OperationError extends Error {
  constructor(
    message: string,
    readonly extensions: Record<string, unknown>,
    readonly path: string[],
  ) {
    super(message);
  }
}

const notFound = (entity: string, path: string) =>
  new OperationError(`Entity not found: ${entity}`, { type: 'invalid input', code: 'INPUT_ERROR', userError: true, userPresentableMessage: `Could not find referenced ${entity}.` }, [path]);

const invalidInput = (message: string, path: string) =>
  new OperationError('Argument Validation Error', { type: 'invalid input', code: 'INPUT_ERROR', userError: true, userPresentableMessage: message }, [path]);

export interface Call {
  operation: string;
  variables: Record<string, unknown>;
  authorization?: string;
}

export class FakeLinear {
  readonly teams: FakeTeam[] = [];
  readonly states: FakeState[] = [];
  readonly labels: FakeLabel[] = [];
  readonly users: FakeUser[] = [];
  readonly issues: FakeIssue[] = [];
  /** Every request that reached an operation, in order. */
  readonly calls: Call[] = [];
  private faults: PendingFault[] = [];
  private hooks: { operation: string; run: () => void }[] = [];
  private afterHooks: { operation: string; run: () => void }[] = [];
  private ids = 0;
  private clock = Date.parse('2026-11-01T09:00:00.000Z');

  private constructor(
    private readonly server: http.Server,
    readonly apiKey: string,
  ) {}

  static async start(apiKey = 'lin_api_test_0123456789'): Promise<FakeLinear> {
    const server = http.createServer();
    const fake = new FakeLinear(server, apiKey);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Time on Linear's side: every write moves it on by a minute, so updatedAt values are distinct and ordered. */
  tick(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  private newId(prefix: string): string {
    this.ids++;
    return `${prefix}-${String(this.ids).padStart(4, '0')}-0000-4000-8000-000000000000`;
  }

  /** A team with Linear's default workflow, plus any extra states given as [name, type]. */
  addTeam(key: string, extraStates: [string, string][] = []): FakeTeam {
    const team: FakeTeam = { id: this.newId('team'), key, name: `${key} team`, nextNumber: 1 };
    this.teams.push(team);
    const defaults: [string, string][] = [
      ['Backlog', 'backlog'],
      ['Todo', 'unstarted'],
      ['In Progress', 'started'],
      ['Done', 'completed'],
      ['Canceled', 'canceled'],
    ];
    [...defaults, ...extraStates].forEach(([name, type], position) => this.states.push({ id: this.newId('state'), teamId: team.id, name, type, position }));
    return team;
  }

  addLabel(name: string, team?: FakeTeam, isGroup = false): FakeLabel {
    const label = { id: this.newId('label'), name, teamId: team?.id ?? null, isGroup };
    this.labels.push(label);
    return label;
  }

  addUser(displayName: string, email: string): FakeUser {
    const user = { id: this.newId('user'), name: `${displayName[0].toUpperCase()}${displayName.slice(1)} Example`, displayName, email };
    this.users.push(user);
    return user;
  }

  state(team: FakeTeam, name: string): FakeState {
    const s = this.states.find((x) => x.teamId === team.id && x.name === name);
    if (!s) throw new Error(`no state ${name}`);
    return s;
  }

  /** An issue as if made in Linear's UI. */
  addIssue(team: FakeTeam, fields: Partial<Omit<FakeIssue, 'id' | 'identifier' | 'teamId'>> = {}): FakeIssue {
    const at = this.tick();
    const issue: FakeIssue = {
      id: this.newId('issue'),
      identifier: `${team.key}-${team.nextNumber++}`,
      teamId: team.id,
      title: 'Untitled',
      description: null,
      priority: 0,
      stateId: this.states.find((s) => s.teamId === team.id && s.type === 'backlog')!.id,
      assigneeId: null,
      labelIds: [],
      createdAt: at,
      updatedAt: at,
      trashed: false,
      ...fields,
    };
    this.issues.push(issue);
    return issue;
  }

  issue(idOrIdentifier: string): FakeIssue | undefined {
    return this.issues.find((i) => i.id === idOrIdentifier || i.identifier === idOrIdentifier);
  }

  /** An edit made in Linear's UI: the changed fields, and a new updatedAt. */
  edit(identifier: string, patch: Partial<FakeIssue>): FakeIssue {
    const issue = this.issue(identifier);
    if (!issue) throw new Error(`no issue ${identifier}`);
    Object.assign(issue, patch, { updatedAt: this.tick() });
    return issue;
  }

  /** The next `times` requests (of `operation`, if given) meet this fault. */
  fail(fault: Fault, opts: { operation?: string; times?: number } = {}): void {
    this.faults.push({ fault, operation: opts.operation, times: opts.times ?? 1 });
  }

  /** Runs `run` once, just before the next `operation` is carried out (after it was received and validated). */
  before(operation: string, run: () => void): void {
    this.hooks.push({ operation, run });
  }

  /** Runs `run` once, right after the next `operation` was answered (before the client's next request). */
  after(operation: string, run: () => void): void {
    this.afterHooks.push({ operation, run });
  }

  operations(): string[] {
    return this.calls.map((c) => c.operation);
  }

  private takeFault(operation: string): Fault | undefined {
    const pending = this.faults.find((f) => !f.operation || f.operation === operation);
    if (!pending) return undefined;
    if (--pending.times <= 0) this.faults.splice(this.faults.indexOf(pending), 1);
    return pending.fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const gqlError = (status: number, message: string, extensions: Record<string, unknown>) => send(status, { errors: [{ message, extensions }] });

    if (req.method !== 'POST' || req.url !== '/graphql') return gqlError(404, 'Not found', { code: 'NOT_FOUND' });
    if (!String(req.headers['content-type'] ?? '').includes('application/json')) return gqlError(400, 'Expected a JSON body', { code: 'BAD_REQUEST' });
    if (req.headers.authorization !== this.apiKey) {
      return gqlError(400, 'Authentication required, not authenticated', {
        type: 'authentication error',
        code: 'AUTHENTICATION_ERROR',
        userError: true,
        userPresentableMessage: 'You need to authenticate to access this operation.',
      });
    }
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    let op: Operation;
    const variables: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (typeof body.query !== 'string') throw new GraphqlValidationError('Must provide query string.');
      op = parseOperation(body.query);
      if (body.operationName !== undefined && body.operationName !== op.name) throw new GraphqlValidationError(`Unknown operation named "${String(body.operationName)}".`);
      Object.assign(variables, body.variables ?? {});
      validate(op, variables, LINEAR_SCHEMA);
      const score = complexity(op.selections, op.type === 'query' ? 'Query' : 'Mutation', LINEAR_SCHEMA, variables);
      if (score > MAX_COMPLEXITY) throw new GraphqlValidationError(`Query too complex: complexity ${Math.round(score)} is over the limit of ${MAX_COMPLEXITY}.`);
    } catch (e) {
      return gqlError(400, (e as Error).message, { type: 'graphql error', code: 'GRAPHQL_VALIDATION_FAILED', userError: true });
    }
    this.calls.push({ operation: op.name, variables, authorization: req.headers.authorization });

    const fault = this.takeFault(op.name);
    const limitHeaders = (resetAt: number) => ({ 'x-ratelimit-requests-limit': '1500', 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(resetAt) });
    const ratelimited = { message: 'Rate limit exceeded', extensions: { type: 'ratelimited', code: 'RATELIMITED', userError: true, userPresentableMessage: 'Too many requests; try again later.' } };
    if (fault?.kind === 'status') return send(fault.status, { errors: [{ message: `Upstream error ${fault.status}`, extensions: { type: 'internal error', code: 'INTERNAL_SERVER_ERROR' } }] });
    if (fault?.kind === 'ratelimit429') return send(429, { errors: [ratelimited] }, limitHeaders(fault.resetAt));
    if (fault?.kind === 'ratelimitedBody') return send(fault.status, { data: null, errors: [ratelimited] }, limitHeaders(fault.resetAt));
    if (fault?.kind === 'graphqlError') return send(fault.status, { data: null, errors: [fault.error] });

    for (const hook of this.hooks.filter((h) => h.operation === op.name)) {
      this.hooks.splice(this.hooks.indexOf(hook), 1);
      hook.run();
    }

    const root = op.type === 'query' ? 'Query' : 'Mutation';
    const data: Record<string, unknown> = {};
    try {
      for (const field of op.selections) {
        const value = this.resolve(op.type, field.name, evaluateArgs(field, variables));
        const type = LINEAR_SCHEMA.objects[root][field.name].type.replace(/[[\]!]/g, '');
        data[field.alias ?? field.name] = project(value, field.selections, type, LINEAR_SCHEMA, variables);
      }
    } catch (e) {
      if (e instanceof OperationError) return send(200, { data: null, errors: [{ message: e.message, path: e.path, extensions: e.extensions }] });
      return gqlError(500, `fake Linear: ${(e as Error).message}`, { code: 'INTERNAL_SERVER_ERROR' });
    }
    if (fault?.kind === 'dropResponse') {
      req.socket.destroy();
      fault.then?.();
      return;
    }
    send(200, { data });
    for (const hook of this.afterHooks.filter((h) => h.operation === op.name)) {
      this.afterHooks.splice(this.afterHooks.indexOf(hook), 1);
      hook.run();
    }
  }

  private resolve(type: 'query' | 'mutation', field: string, args: Record<string, unknown>): unknown {
    if (type === 'query') {
      if (field === 'issues') return this.listIssues(args);
      if (field === 'issue') {
        const issue = this.issue(String(args.id));
        if (!issue) throw notFound('Issue', 'issue');
        return this.view(issue);
      }
      if (field === 'teams') {
        const teams = this.teams.filter((t) => matches(args.filter, { key: t.key, id: t.id, name: t.name }));
        return paginate(teams, args, (t) => this.teamView(t));
      }
      if (field === 'issueLabels') return paginate(this.labels.filter((l) => this.labelMatches(args.filter, l)), args, (l) => this.labelView(l));
      if (field === 'users') return paginate(this.users.filter((u) => matches(args.filter, { id: u.id, name: u.name, displayName: u.displayName, email: u.email })), args);
    } else {
      if (field === 'issueCreate') return this.createIssue(args.input as Record<string, unknown>);
      if (field === 'issueUpdate') return this.updateIssue(String(args.id), args.input as Record<string, unknown>);
      if (field === 'issueLabelCreate') return this.createLabel(args.input as Record<string, unknown>);
    }
    throw new Error(`${type} ${field} is not served by this fake`);
  }

  /** Linear's order for `orderBy`: newest first. */
  private listIssues(args: Record<string, unknown>): unknown {
    const key = args.orderBy === 'updatedAt' ? 'updatedAt' : 'createdAt';
    const all = this.issues
      .filter((i) => (args.includeArchived === true || !i.trashed) && this.issueMatches(args.filter, i))
      .sort((a, b) => b[key].localeCompare(a[key]) || b.id.localeCompare(a.id));
    return paginate(all, args, (i) => this.view(i));
  }

  private issueMatches(filter: unknown, issue: FakeIssue): boolean {
    if (!filter) return true;
    const f = filter as Record<string, unknown>;
    for (const [k, v] of Object.entries(f)) {
      const ok =
        k === 'team'
          ? matches(v, { key: this.teams.find((t) => t.id === issue.teamId)!.key, id: issue.teamId })
          : k === 'updatedAt' || k === 'createdAt'
            ? compareDates(v as Record<string, string>, issue[k])
            : k === 'description' || k === 'title'
              ? compare(v as Record<string, unknown>, issue[k])
              : k === 'and'
                ? (v as unknown[]).every((x) => this.issueMatches(x, issue))
                : k === 'or'
                  ? (v as unknown[]).some((x) => this.issueMatches(x, issue))
                  : unsupported(`IssueFilter.${k}`);
      if (!ok) return false;
    }
    return true;
  }

  private labelMatches(filter: unknown, label: FakeLabel): boolean {
    if (!filter) return true;
    for (const [k, v] of Object.entries(filter as Record<string, unknown>)) {
      const ok =
        k === 'name'
          ? compare(v as Record<string, unknown>, label.name)
          : k === 'or'
            ? (v as unknown[]).some((x) => this.labelMatches(x, label))
            : k === 'and'
              ? (v as unknown[]).every((x) => this.labelMatches(x, label))
              : unsupported(`IssueLabelFilter.${k}`);
      if (!ok) return false;
    }
    return true;
  }

  private createIssue(input: Record<string, unknown>): unknown {
    const team = this.teams.find((t) => t.id === input.teamId);
    if (!team) throw notFound('Team', 'issueCreate');
    if (typeof input.title !== 'string' || !input.title.trim()) throw invalidInput('Title is required.', 'issueCreate');
    const checked = this.checkRefs(team, input, 'issueCreate');
    const issue = this.addIssue(team, { title: input.title, description: (input.description as string | undefined) ?? null, priority: (input.priority as number | undefined) ?? 0, ...checked });
    return { success: true, issue: this.view(issue), lastSyncId: this.ids };
  }

  private updateIssue(id: string, input: Record<string, unknown>): unknown {
    const issue = this.issue(id);
    if (!issue) throw notFound('Issue', 'issueUpdate');
    const team = this.teams.find((t) => t.id === issue.teamId)!;
    const patch: Partial<FakeIssue> = this.checkRefs(team, input, 'issueUpdate');
    if ('title' in input) patch.title = input.title as string;
    if ('description' in input) patch.description = input.description as string | null;
    if ('priority' in input) patch.priority = input.priority as number;
    if (input.addedLabelIds != null || input.removedLabelIds != null) {
      // Additions and removals apply to the labels the issue has when the mutation runs.
      if (input.labelIds != null) throw invalidInput('labelIds cannot be combined with addedLabelIds or removedLabelIds.', 'issueUpdate');
      const added = this.checkRefs(team, { labelIds: input.addedLabelIds ?? [] }, 'issueUpdate').labelIds!;
      const removed = new Set((input.removedLabelIds as string[] | undefined) ?? []);
      patch.labelIds = [...new Set([...issue.labelIds, ...added])].filter((l) => !removed.has(l));
    }
    for (const k of ['teamId', 'parentId', 'projectId', 'estimate', 'dueDate']) {
      if (k in input) unsupported(`IssueUpdateInput.${k}`);
    }
    Object.assign(issue, patch, { updatedAt: this.tick() });
    return { success: true, issue: this.view(issue), lastSyncId: this.ids };
  }

  /** State, labels and assignee as Linear checks them: they must exist, and the state must be the team's. */
  private checkRefs(team: FakeTeam, input: Record<string, unknown>, path: string): Partial<FakeIssue> {
    const out: Partial<FakeIssue> = {};
    if (input.stateId != null) {
      const state = this.states.find((s) => s.id === input.stateId);
      if (!state) throw notFound('WorkflowState', path);
      if (state.teamId !== team.id) throw invalidInput('The workflow state does not belong to the team of the issue.', path);
      out.stateId = state.id;
    }
    if (input.labelIds != null) {
      for (const l of input.labelIds as string[]) {
        const label = this.labels.find((x) => x.id === l);
        if (!label) throw notFound('IssueLabel', path);
        if (label.teamId && label.teamId !== team.id) throw invalidInput('The label does not belong to the team of the issue.', path);
        if (label.isGroup) throw invalidInput('A label group cannot be applied to an issue.', path);
      }
      out.labelIds = [...(input.labelIds as string[])];
    }
    if ('assigneeId' in input) {
      if (input.assigneeId !== null && !this.users.some((u) => u.id === input.assigneeId)) throw notFound('User', path);
      out.assigneeId = input.assigneeId as string | null;
    }
    return out;
  }

  private createLabel(input: Record<string, unknown>): unknown {
    const teamId = (input.teamId as string | undefined) ?? null;
    const name = String(input.name);
    if (this.labels.some((l) => l.teamId === teamId && l.name.toLowerCase() === name.toLowerCase())) throw invalidInput('A label with this name already exists.', 'issueLabelCreate');
    const label: FakeLabel = { id: this.newId('label'), name, teamId };
    this.labels.push(label);
    return { success: true, issueLabel: this.labelView(label), lastSyncId: this.ids };
  }

  private teamView(t: FakeTeam): unknown {
    const states = this.states.filter((s) => s.teamId === t.id).map(({ id, name, type, position }) => ({ id, name, type, position, color: '#bec2c8' }));
    return { id: t.id, key: t.key, name: t.name, states: (args: Record<string, unknown>) => paginate(states, args) };
  }

  private labelView(l: FakeLabel): unknown {
    const team = this.teams.find((t) => t.id === l.teamId);
    return { id: l.id, name: l.name, color: '#5e6ad2', isGroup: l.isGroup ?? false, team: team ? this.teamView(team) : null };
  }

  private view(i: FakeIssue): unknown {
    const team = this.teams.find((t) => t.id === i.teamId)!;
    const state = this.states.find((s) => s.id === i.stateId)!;
    const user = this.users.find((u) => u.id === i.assigneeId);
    const labels = i.labelIds.map((id) => this.labels.find((l) => l.id === id)!);
    return {
      id: i.id,
      identifier: i.identifier,
      number: Number(i.identifier.split('-')[1]),
      url: `https://linear.app/example/issue/${i.identifier.toLowerCase()}`,
      title: i.title,
      description: i.description,
      priority: i.priority,
      priorityLabel: ['No priority', 'Urgent', 'High', 'Medium', 'Low'][i.priority],
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
      archivedAt: i.trashed ? i.updatedAt : null,
      trashed: i.trashed ? true : null,
      team: this.teamView(team),
      state: { ...state, color: '#bec2c8' },
      assignee: user ? { ...user, active: true } : null,
      labels: (args: Record<string, unknown>) => paginate(labels, args, (l) => this.labelView(l)),
    };
  }
}

/** Linear refuses a query scoring more than this. */
const MAX_COMPLEXITY = 10_000;

/** One page of a connection, `first` (default 50) after the opaque cursor `after` (a node's id). */
function paginate<T extends { id: string }>(all: T[], args: Record<string, unknown>, view: (x: T) => unknown = (x) => x): unknown {
  const cursorOf = (x: T) => Buffer.from(`cursor:${x.id}`).toString('base64');
  const first = typeof args.first === 'number' ? args.first : 50;
  const start = typeof args.after === 'string' ? all.findIndex((x) => cursorOf(x) === args.after) + 1 : 0;
  if (typeof args.after === 'string' && start === 0) throw invalidInput('Invalid cursor', 'after');
  const page = all.slice(start, start + first);
  const last = page[page.length - 1];
  return {
    nodes: page.map(view),
    pageInfo: { hasNextPage: start + first < all.length, hasPreviousPage: start > 0, startCursor: page[0] ? cursorOf(page[0]) : null, endCursor: last ? cursorOf(last) : null },
  };
}

function unsupported(what: string): never {
  throw new Error(`${what} is not implemented by this fake`);
}

/** A filter over plain string fields (`{ key: { eq } }`, or/and). */
function matches(filter: unknown, values: Record<string, string>): boolean {
  if (!filter) return true;
  for (const [k, v] of Object.entries(filter as Record<string, unknown>)) {
    const ok =
      k === 'or'
        ? (v as unknown[]).some((x) => matches(x, values))
        : k === 'and'
          ? (v as unknown[]).every((x) => matches(x, values))
          : k in values
            ? compare(v as Record<string, unknown>, values[k])
            : unsupported(`filter field ${k}`);
    if (!ok) return false;
  }
  return true;
}

function compare(cmp: Record<string, unknown>, value: string | null): boolean {
  return Object.entries(cmp).every(([op, want]) => {
    const v = value ?? '';
    const w = String(want);
    switch (op) {
      case 'eq':
        return value === want;
      case 'eqIgnoreCase':
        return value !== null && v.toLowerCase() === w.toLowerCase();
      case 'contains':
        return value !== null && v.includes(w);
      case 'containsIgnoreCase':
        return value !== null && v.toLowerCase().includes(w.toLowerCase());
      case 'in':
        return (want as string[]).includes(v);
      case 'null':
        return (value === null) === want;
      default:
        return unsupported(`comparator ${op}`);
    }
  });
}

function compareDates(cmp: Record<string, string>, value: string): boolean {
  const t = Date.parse(value);
  return Object.entries(cmp).every(([op, want]) => {
    const w = Date.parse(want);
    if (Number.isNaN(w)) return unsupported(`date value ${want}`);
    switch (op) {
      case 'gte':
        return t >= w;
      case 'gt':
        return t > w;
      case 'lte':
        return t <= w;
      case 'lt':
        return t < w;
      default:
        return unsupported(`date comparator ${op}`);
    }
  });
}
