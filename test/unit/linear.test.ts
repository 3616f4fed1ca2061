import * as assert from 'assert/strict';
import { CancelledError, HttpError, HttpOptions, outcomeUnknown, RateLimitError } from '../../src/core/sync/http';
import { LinearProvider, LinearProviderOptions } from '../../src/core/sync/linear';
import { LinearError } from '../../src/core/sync/linearGraphql';
import { RemoteItem, SyncField, SyncFields } from '../../src/core/sync/provider';
import { FakeLinear, FakeTeam, FakeUser } from './support/fakeLinear';

/** The provider's clock; the fake's rate-limit resets are set against it, so waits are exact. */
const NOW = Date.parse('2026-11-01T12:00:00.000Z');

async function all(items: AsyncIterable<RemoteItem>): Promise<RemoteItem[]> {
  const out: RemoteItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('LinearProvider', () => {
  let fake: FakeLinear;
  let eng: FakeTeam;
  let ops: FakeTeam;
  let alice: FakeUser;
  let bob: FakeUser;
  let waits: number[];

  function provider(overrides: Partial<LinearProviderOptions> = {}, http: HttpOptions = {}): LinearProvider {
    const options: LinearProviderOptions = {
      apiUrl: fake.url,
      apiKey: fake.apiKey,
      teamKey: 'ENG',
      users: { alice: 'Alice@Example.com', bob: bob.id },
      http: { attempts: 4, backoffMs: 1, now: () => NOW, sleep: async (ms) => void waits.push(ms), ...http },
      ...overrides,
    };
    return new LinearProvider(options);
  }

  const FIELDS: SyncFields = { title: 'Fix the login', body: 'Steps:\n\n1. open\n2. log in', state: 'active', labels: ['bug'], assignee: 'alice', priority: 'high' };

  beforeEach(async () => {
    fake = await FakeLinear.start();
    eng = fake.addTeam('ENG');
    ops = fake.addTeam('OPS');
    alice = fake.addUser('alice', 'alice@example.com');
    bob = fake.addUser('bob', 'bob@example.com');
    waits = [];
  });
  afterEach(() => fake.close());

  it('is Linear, with every sync field', () => {
    const p = provider();
    assert.equal(p.id, 'linear');
    assert.equal(p.label, 'Linear');
    assert.deepEqual([...p.fields].sort(), ['assignee', 'body', 'labels', 'priority', 'state', 'title']);
  });

  it('sends the personal API key as it is, and makes a refused key a clear error', async () => {
    fake.addIssue(eng, { title: 'One' });
    await provider().get('ENG-1');
    assert.equal(fake.calls[0].authorization, fake.apiKey);

    const wrong = provider({ apiKey: 'lin_api_wrong' });
    await assert.rejects(wrong.get('ENG-1'), (e: unknown) => {
      assert.ok(e instanceof LinearError);
      assert.ok(e.authentication);
      assert.match(e.message, /Linear did not accept the API key/);
      assert.doesNotMatch(e.message, /lin_api_wrong/);
      return true;
    });
  });

  describe('listChanged', () => {
    it('reads every page, oldest first, only the team’s issues, each once', async () => {
      for (let n = 1; n <= 120; n++) fake.addIssue(eng, { title: `Issue ${n}` });
      fake.addIssue(ops, { title: 'Another team' });
      const items = await all(provider().listChanged(undefined));
      assert.equal(items.length, 120);
      assert.deepEqual(
        items.map((i) => i.fields.title),
        Array.from({ length: 120 }, (_, k) => `Issue ${k + 1}`),
      );
      assert.equal(new Set(items.map((i) => i.remoteId)).size, 120);
      const pages = fake.calls.filter((c) => c.operation === 'ListIssues');
      assert.equal(pages.length, 3);
      assert.deepEqual(
        pages.map((c) => c.variables.after === undefined),
        [true, false, false],
      );
    });

    it('yields only what changed at or after `since`', async () => {
      const old = fake.addIssue(eng, { title: 'Old' });
      const edge = fake.addIssue(eng, { title: 'Edge' });
      fake.addIssue(eng, { title: 'New' });
      fake.edit(old.identifier, { title: 'Old, edited' });
      const items = await all(provider().listChanged(edge.updatedAt));
      assert.deepEqual(
        items.map((i) => i.fields.title),
        ['Edge', 'New', 'Old, edited'],
      );
      assert.deepEqual(fake.calls[0].variables.filter, { team: { key: { eq: 'ENG' } }, updatedAt: { gte: edge.updatedAt } });
    });

    it('leaves out issues in the trash', async () => {
      fake.addIssue(eng, { title: 'Kept' });
      fake.addIssue(eng, { title: 'Deleted', trashed: true });
      assert.deepEqual(
        (await all(provider().listChanged(undefined))).map((i) => i.fields.title),
        ['Kept'],
      );
    });
  });

  describe('get', () => {
    it('maps an issue into the local fields', async () => {
      const bug = fake.addLabel('bug');
      const ui = fake.addLabel('ui', eng);
      fake.addIssue(eng, {
        title: 'Crash on start',
        description: 'It crashes.\n\n`ai-trackdown:TSK-0042`',
        priority: 1,
        stateId: fake.state(eng, 'In Progress').id,
        assigneeId: alice.id,
        labelIds: [bug.id, ui.id],
      });
      const item = await provider().get('ENG-1');
      assert.deepEqual(item, {
        remoteId: 'ENG-1',
        key: 'ENG-1',
        url: 'https://linear.app/example/issue/eng-1',
        updatedAt: fake.issue('ENG-1')!.updatedAt,
        localId: 'TSK-0042',
        fields: { title: 'Crash on start', body: 'It crashes.', state: 'active', labels: ['bug', 'ui'], assignee: 'alice', priority: 'critical' },
      });
    });

    it('reads every label of an issue with more labels than a listing carries', async () => {
      const many = Array.from({ length: 120 }, (_, k) => fake.addLabel(`label-${String(k).padStart(3, '0')}`, eng));
      fake.addIssue(eng, { title: 'Labelled', labelIds: many.map((l) => l.id) });
      const names = many.map((l) => l.name);
      assert.deepEqual((await provider().get('ENG-1'))?.fields.labels, names);
      assert.deepEqual((await all(provider().listChanged(undefined)))[0].fields.labels, names);
      assert.equal(fake.operations().filter((o) => o === 'IssueLabels').length, 2);
    });

    it('is undefined when Linear says the issue does not exist, or it is in the trash', async () => {
      fake.addIssue(eng, { title: 'Gone', trashed: true });
      assert.equal(await provider().get('ENG-404'), undefined);
      assert.equal(await provider().get('ENG-1'), undefined);
    });
  });

  describe('create and findByLocalId', () => {
    it('creates the issue with every field and a marker, and finds it again by the local id', async () => {
      fake.addLabel('bug');
      const p = provider();
      const created = await p.create('TSK-0001', FIELDS);
      const stored = fake.issue(created.remoteId)!;
      assert.equal(stored.description, 'Steps:\n\n1. open\n2. log in\n\n`ai-trackdown:TSK-0001`');
      assert.equal(stored.assigneeId, alice.id);
      assert.equal(stored.priority, 2);
      assert.equal(stored.stateId, fake.state(eng, 'In Progress').id);
      assert.deepEqual(created.fields, FIELDS);
      assert.equal(created.localId, 'TSK-0001');
      assert.equal(created.key, 'ENG-1');

      assert.deepEqual(await p.findByLocalId('TSK-0001'), created);
      assert.equal(await p.findByLocalId('TSK-0002'), undefined);
      // The filter matches substrings; the marker must name exactly the id.
      assert.equal(await p.findByLocalId('TSK-000'), undefined);
    });

    it('does not send a create twice when its answer is lost, and finds the issue it made', async () => {
      const p = provider();
      fake.fail({ kind: 'dropResponse' }, { operation: 'CreateIssue' });
      await assert.rejects(p.create('TSK-0007', { ...FIELDS, labels: [] }), HttpError);
      assert.equal(fake.operations().filter((o) => o === 'CreateIssue').length, 1);
      assert.equal(fake.issues.length, 1);
      const found = await p.findByLocalId('TSK-0007');
      assert.equal(found?.remoteId, fake.issues[0].identifier);
      assert.equal(found?.fields.title, FIELDS.title);
      assert.equal(fake.issues.length, 1);
    });

    it('keeps syncing the first of twins made earlier', async () => {
      fake.addIssue(eng, { title: 'First', description: '`ai-trackdown:TSK-0009`' });
      fake.addIssue(eng, { title: 'Twin', description: '`ai-trackdown:TSK-0009`' });
      assert.equal((await provider().findByLocalId('TSK-0009'))?.fields.title, 'First');
    });

    it('says clearly when the team key names no team', async () => {
      await assert.rejects(provider({ teamKey: 'NOPE' }).create('TSK-0001', FIELDS), /Linear has no team with the key NOPE/);
    });
  });

  describe('update', () => {
    const ORIGINAL = { title: 'Original', body: 'Original body', state: 'planning', labels: ['bug'], assignee: 'alice', priority: 'low' } as const;
    const CHANGES: { [F in SyncField]: [Partial<SyncFields>, string, Partial<SyncFields>] } = {
      // field: [our change, the Linear input key it must send, what another field was edited to on Linear meanwhile]
      title: [{ title: 'Ours' }, 'title', { priority: 'critical' }],
      body: [{ body: 'Our body' }, 'description', { title: 'Theirs' }],
      state: [{ state: 'done' }, 'stateId', { body: 'Their body' }],
      // As an addition, so that a label someone else adds or removes meanwhile stays as they left it.
      labels: [{ labels: ['bug', 'ui'] }, 'addedLabelIds', { state: 'active' }],
      assignee: [{ assignee: 'bob' }, 'assigneeId', { labels: [] }],
      priority: [{ priority: 'critical' }, 'priority', { assignee: undefined }],
    };

    for (const field of Object.keys(CHANGES) as SyncField[]) {
      it(`writes ${field} alone; an edit made on Linear between our read and our write stays`, async () => {
        fake.addLabel('bug');
        fake.addLabel('ui', eng);
        const p = provider();
        const created = await p.create('TSK-0001', { ...ORIGINAL, labels: [...ORIGINAL.labels] });
        const [ours, inputKey, theirs] = CHANGES[field];
        // Their edit, as Linear's UI would make it, lands after the provider read the issue.
        fake.before('UpdateIssue', () => {
          const i = fake.issue(created.remoteId)!;
          if ('title' in theirs) fake.edit(i.identifier, { title: theirs.title });
          if ('priority' in theirs) fake.edit(i.identifier, { priority: 1 });
          if ('body' in theirs) fake.edit(i.identifier, { description: `${theirs.body}\n\n\`ai-trackdown:TSK-0001\`` });
          if ('state' in theirs) fake.edit(i.identifier, { stateId: fake.state(eng, 'In Progress').id });
          if ('labels' in theirs) fake.edit(i.identifier, { labelIds: [] });
          if ('assignee' in theirs) fake.edit(i.identifier, { assigneeId: null });
        });

        const after = await p.update(created.remoteId, ours);
        const sent = fake.calls.filter((c) => c.operation === 'UpdateIssue');
        assert.equal(sent.length, 1);
        assert.deepEqual(Object.keys(sent[0].variables.input as object), [inputKey]);
        const expected: SyncFields = { ...ORIGINAL, labels: [...ORIGINAL.labels], ...theirs, ...ours };
        if (expected.assignee === undefined) delete expected.assignee;
        assert.deepEqual(after.fields, expected);
        assert.deepEqual((await p.get(created.remoteId))?.fields, expected);
      });
    }

    it('keeps the marker when the body changes', async () => {
      const p = provider();
      const created = await p.create('TSK-0003', { ...FIELDS, labels: [] });
      const after = await p.update(created.remoteId, { body: 'New body\n' });
      assert.equal(fake.issue(created.remoteId)!.description, 'New body\n\n`ai-trackdown:TSK-0003`');
      assert.equal(after.localId, 'TSK-0003');
      assert.equal(after.fields.body, 'New body');
      assert.equal((await p.findByLocalId('TSK-0003'))?.remoteId, created.remoteId);
    });

    it('clears the assignee and the priority when they are given as undefined', async () => {
      const p = provider();
      const created = await p.create('TSK-0004', { ...FIELDS, labels: [] });
      const after = await p.update(created.remoteId, { assignee: undefined, priority: undefined });
      assert.equal(fake.issue(created.remoteId)!.assigneeId, null);
      assert.equal(fake.issue(created.remoteId)!.priority, 0);
      assert.equal(after.fields.assignee, undefined);
      assert.equal(after.fields.priority, undefined);
    });

    it('says clearly that an issue that is gone cannot be updated', async () => {
      await assert.rejects(provider().update('ENG-77', { title: 'x' }), /Linear has no issue ENG-77/);
    });
  });

  describe('workflow states', () => {
    it('writes each local state to the team’s state of its category, and reads it back', async () => {
      const p = provider();
      const cases = [
        ['planning', 'Backlog', 'planning'],
        ['active', 'In Progress', 'active'],
        ['ready_for_qa', 'In Progress', 'active'],
        ['done', 'Done', 'done'],
        ['won_t_do', 'Canceled', 'won_t_do'],
      ] as const;
      for (const [local, remoteName, back] of cases) {
        const item = await p.create(`TSK-${local}`, { ...FIELDS, labels: [], state: local });
        const stored = fake.issue(item.remoteId)!;
        assert.equal(fake.states.find((s) => s.id === stored.stateId)!.name, remoteName, local);
        assert.equal(item.fields.state, back, local);
        assert.ok(p.sameState(local, back));
      }
      // Read once per team and provider.
      assert.equal(fake.operations().filter((o) => o === 'TeamStates').length, 1);
    });

    it('uses a state named for the local state, and reads that name back as it', async () => {
      fake.teams.splice(0);
      eng = fake.addTeam('ENG', [
        ['In Review', 'started'],
        ['Ready for Deployment', 'started'],
      ]);
      const p = provider();
      const qa = await p.create('TSK-0001', { ...FIELDS, labels: [], state: 'ready_for_qa' });
      assert.equal(fake.states.find((s) => s.id === fake.issue(qa.remoteId)!.stateId)!.name, 'In Review');
      assert.equal(qa.fields.state, 'ready_for_qa');
      const deploy = await p.update(qa.remoteId, { state: 'ready_for_deployment' });
      assert.equal(deploy.fields.state, 'ready_for_deployment');
      fake.edit(qa.remoteId, { stateId: fake.state(eng, 'Todo').id });
      assert.equal((await p.get(qa.remoteId))?.fields.state, 'planning');
    });

    it('writes the state of an issue moved to another team with that team’s states', async () => {
      const p = provider();
      const created = await p.create('TSK-0001', { ...FIELDS, labels: [] });
      fake.edit(created.remoteId, { teamId: ops.id, identifier: 'OPS-1', stateId: fake.state(ops, 'Backlog').id });
      const after = await p.update('OPS-1', { state: 'done' });
      assert.equal(fake.issue('OPS-1')!.stateId, fake.state(ops, 'Done').id);
      assert.equal(after.fields.state, 'done');
      assert.equal(after.key, 'OPS-1');
    });

    it('compares states by category', () => {
      const p = provider();
      assert.ok(p.sameState('active', 'ready_for_qa'));
      assert.ok(p.sameState('done', 'archived'));
      assert.ok(!p.sameState('planning', 'active'));
      assert.ok(!p.sameState('done', 'won_t_do'));
    });
  });

  describe('labels', () => {
    it('uses existing labels by name, case aside, prefers the team’s own, never a group, and creates the missing ones for the team', async () => {
      const workspaceBug = fake.addLabel('Bug');
      const teamUi = fake.addLabel('ui', eng);
      fake.addLabel('ui');
      fake.addLabel('infra', ops);
      fake.addLabel('new one', undefined, true);
      const item = await provider().create('TSK-0001', { ...FIELDS, labels: ['bug', 'ui', 'infra', 'new one'] });
      const stored = fake.issue(item.remoteId)!;
      assert.equal(stored.labelIds[0], workspaceBug.id);
      assert.equal(stored.labelIds[1], teamUi.id);
      const created = fake.labels.filter((l) => l.teamId === eng.id && l.id !== teamUi.id);
      assert.deepEqual(
        created.map((l) => l.name),
        ['infra', 'new one'],
      );
      assert.deepEqual(item.fields.labels, ['Bug', 'ui', 'infra', 'new one']);
      // The next write finds the labels it made instead of making them again.
      await provider().update(item.remoteId, { labels: ['infra', 'new one'] });
      assert.equal(fake.operations().filter((o) => o === 'CreateLabel').length, 2);
    });
  });

  describe('assignees', () => {
    it('maps local names through the users map (email or id), falls back to the display name, and reads back the local name', async () => {
      const carol = fake.addUser('carol', 'carol@example.com');
      const p = provider();
      const a = await p.create('TSK-0001', { ...FIELDS, labels: [], assignee: 'alice' });
      const b = await p.create('TSK-0002', { ...FIELDS, labels: [], assignee: 'bob' });
      const c = await p.create('TSK-0003', { ...FIELDS, labels: [], assignee: 'carol' });
      assert.deepEqual(
        [a, b, c].map((i) => fake.issue(i.remoteId)!.assigneeId),
        [alice.id, bob.id, carol.id],
      );
      assert.deepEqual(
        [a, b, c].map((i) => i.fields.assignee),
        ['alice', 'bob', 'carol'],
      );
    });

    it('says clearly when no Linear user matches', async () => {
      await assert.rejects(provider().create('TSK-0001', { ...FIELDS, labels: [], assignee: 'zed' }), /Linear has no user named "zed"; map the assignee/);
      await assert.rejects(provider({ users: { alice: 'nobody@example.com' } }).create('TSK-0001', { ...FIELDS, labels: [] }), /no user with the email nobody@example.com/);
      assert.equal(fake.issues.length, 0);
    });
  });

  describe('rate limits, server errors and GraphQL errors', () => {
    it('waits out a 429 until Linear’s reset time and completes', async () => {
      fake.addIssue(eng, { title: 'One' });
      fake.fail({ kind: 'ratelimit429', resetAt: NOW + 1500 }, { operation: 'ListIssues' });
      const items = await all(provider().listChanged(undefined));
      assert.equal(items.length, 1);
      assert.deepEqual(waits, [1500]);
    });

    for (const status of [400, 200] as const) {
      it(`treats a RATELIMITED error in an HTTP ${status} body as a rate limit, also for a create`, async () => {
        fake.fail({ kind: 'ratelimitedBody', status, resetAt: NOW + 2000 }, { operation: 'CreateIssue' });
        const item = await provider().create('TSK-0001', { ...FIELDS, labels: [] });
        assert.deepEqual(waits, [2000]);
        assert.equal(fake.issues.length, 1);
        assert.equal(item.remoteId, fake.issues[0].identifier);
      });
    }

    it('gives up with a RateLimitError when the reset is further off than it will wait', async () => {
      fake.fail({ kind: 'ratelimitedBody', status: 400, resetAt: NOW + 3_600_000 });
      await assert.rejects(provider({}, { maxWaitMs: 60_000 }).get('ENG-1'), RateLimitError);
      assert.deepEqual(waits, []);
    });

    it('retries queries on 5xx and completes', async () => {
      fake.addIssue(eng, { title: 'One' });
      fake.fail({ kind: 'status', status: 503 }, { operation: 'GetIssue', times: 2 });
      const after = await provider().update('ENG-1', { title: 'Two' });
      assert.equal(after.fields.title, 'Two');
      assert.equal(waits.length, 2);
    });

    it('does not resend an update after a 5xx or a lost answer: Linear may have made it, and an edit made since would be overwritten', async () => {
      fake.addIssue(eng, { title: 'One' });
      fake.fail({ kind: 'status', status: 502 }, { operation: 'UpdateIssue' });
      await assert.rejects(provider().update('ENG-1', { title: 'Two' }), (e: unknown) => e instanceof HttpError && e.status === 502);
      fake.fail({ kind: 'dropResponse' }, { operation: 'UpdateIssue' });
      await assert.rejects(provider().update('ENG-1', { title: 'Three' }), (e: unknown) => outcomeUnknown(e));
      assert.equal(fake.operations().filter((o) => o === 'UpdateIssue').length, 2);
      assert.equal(fake.issue('ENG-1')!.title, 'Three');
    });

    it('does not retry a create after a 5xx: the server may have acted', async () => {
      fake.fail({ kind: 'status', status: 500 }, { operation: 'CreateIssue' });
      await assert.rejects(provider().create('TSK-0001', { ...FIELDS, labels: [] }), (e: unknown) => e instanceof HttpError && e.status === 500);
      assert.equal(fake.operations().filter((o) => o === 'CreateIssue').length, 1);
    });

    it('turns GraphQL errors into clear errors with Linear’s message', async () => {
      fake.addIssue(eng, { title: 'One' });
      fake.fail(
        {
          kind: 'graphqlError',
          status: 200,
          error: { message: 'Argument Validation Error', extensions: { type: 'invalid input', code: 'INPUT_ERROR', userPresentableMessage: 'Title is too long.' } },
        },
        { operation: 'UpdateIssue' },
      );
      await assert.rejects(provider().update('ENG-1', { title: 'x' }), (e: unknown) => {
        assert.ok(e instanceof LinearError);
        assert.equal(e.message, 'Linear UpdateIssue failed: Title is too long.');
        assert.equal(e.operation, 'UpdateIssue');
        return true;
      });
      fake.fail({ kind: 'graphqlError', status: 400, error: { message: 'Forbidden', extensions: { type: 'forbidden', code: 'FORBIDDEN' } } });
      await assert.rejects(provider().get('ENG-1'), /^Error: Linear GetIssue failed: Forbidden$/);
    });

    it('stops when cancelled', async () => {
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(provider().get('ENG-1', { signal: ac.signal }), CancelledError);
      assert.equal(fake.calls.length, 0);
    });
  });

  describe('the fake', () => {
    async function post(query: string, variables: Record<string, unknown> = {}, authorization = fake.apiKey) {
      const res = await fetch(fake.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: (await res.json()) as { errors?: { message: string }[]; data?: unknown } };
    }

    it('refuses what Linear would refuse', async () => {
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ['query Nope { nope { id } }', {}, /Cannot query field "nope" on type "Query"/],
        ['query I($id: String!) { issue(id: $id) { id status } }', { id: 'ENG-1' }, /Cannot query field "status" on type "Issue"/],
        ['query I($id: ID!) { issue(id: $id) { id } }', { id: 'ENG-1' }, /type "ID!" used in position expecting type "String!"/],
        ['mutation U($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success } }', { id: 'ENG-1', input: { stateName: 'Done' } }, /Field "stateName" is not defined by type "IssueUpdateInput"/],
        ['query I($id: String!) { issue(id: $id) { id team } }', { id: 'ENG-1' }, /must have a selection of subfields/],
        ['{ issues { nodes { id } } }', {}, /named operations only/],
        ['query Big { issues(first: 50) { nodes { id labels(first: 250) { nodes { id name } } } } }', {}, /Query too complex/],
      ];
      for (const [query, variables, message] of cases) {
        const { status, body } = await post(query, variables);
        assert.equal(status, 400, query);
        assert.match(body.errors?.[0].message ?? '', message, query);
      }
      assert.equal((await post('query V { teams { nodes { id } } }', {}, `Bearer ${fake.apiKey}`)).status, 400);
      assert.equal(fake.calls.length, 0);
    });
  });
});
