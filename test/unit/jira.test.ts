/**
 * JiraProvider against a fake Jira Cloud on 127.0.0.1 that keeps issues and speaks REST v3's shapes.
 */
import * as assert from 'assert/strict';
import { markdownToAdf } from '../../src/core/sync/adf';
import { CancelledError, outcomeUnknown, RateLimitError } from '../../src/core/sync/http';
import { JiraError, JiraProvider, jqlTime } from '../../src/core/sync/jira';
import { RemoteItem, SyncFields } from '../../src/core/sync/provider';
import { DEFAULT_STATUSES, FakeJira, FakeIssue } from './support/fakeJira';

const USERS = { alice: 'acc-alice', bob: 'acc-bob' };

async function all(items: AsyncIterable<RemoteItem>): Promise<RemoteItem[]> {
  const out: RemoteItem[] = [];
  for await (const i of items) out.push(i);
  return out;
}

describe('JiraProvider', () => {
  let jira: FakeJira;
  let provider: JiraProvider;
  let waits: number[];

  const make = (over: Partial<ConstructorParameters<typeof JiraProvider>[0]> = {}) =>
    new JiraProvider({
      baseUrl: jira.baseUrl,
      projectKey: 'ACME',
      email: jira.email,
      apiToken: jira.token,
      users: USERS,
      // Retries wait no real time; the waits asked for are recorded.
      http: { sleep: async (ms) => void waits.push(ms), backoffMs: 1, attempts: 4 },
      ...over,
    });

  beforeEach(async () => {
    jira = await new FakeJira().start();
    waits = [];
    provider = make();
  });
  afterEach(() => jira.stop());

  const seedFull = (): FakeIssue =>
    jira.seed({
      summary: 'Cart page',
      description: markdownToAdf('## Description\nEditable cart with **steppers**'),
      status: jira.status('In Progress'),
      labels: ['frontend', 'aitrackdown-ISS-0001'],
      assignee: 'acc-alice',
      priority: 'High',
    });

  describe('the contract', () => {
    it('is the Jira provider with every sync field', () => {
      assert.equal(provider.id, 'jira');
      assert.equal(provider.label, 'Jira');
      assert.deepEqual([...provider.fields].sort(), ['assignee', 'body', 'labels', 'priority', 'state', 'title']);
    });

    it('refuses a site that is not https (loopback excepted) and a malformed project key', () => {
      assert.throws(() => make({ baseUrl: 'http://acme.atlassian.net' }), /must be an https/);
      assert.throws(() => make({ baseUrl: 'not a url' }), /not a Jira site/);
      assert.throws(() => make({ projectKey: 'acme" OR 1=1' }), /not a Jira project key/);
    });
  });

  describe('reading', () => {
    it('maps an issue into the local vocabulary', async () => {
      const issue = seedFull();
      const item = await provider.get(issue.key);
      assert.deepEqual(item, {
        remoteId: 'ACME-1',
        key: 'ACME-1',
        url: `${jira.baseUrl}/browse/ACME-1`,
        updatedAt: new Date(issue.updated).toISOString(),
        localId: 'ISS-0001',
        fields: {
          title: 'Cart page',
          body: '## Description\nEditable cart with **steppers**',
          state: 'active',
          labels: ['frontend'],
          assignee: 'alice',
          priority: 'high',
        },
      });
    });

    it('maps unmapped users to their display name, Lowest to low and a status category to a state', async () => {
      jira.seed({ summary: 'a', assignee: 'acc-carol', priority: 'Lowest', status: jira.status("Won't Do") });
      jira.seed({ summary: 'b', priority: 'Highest', status: jira.status('Done') });
      jira.seed({ summary: 'c', priority: null, status: jira.status('Ready for QA') });
      jira.seed({ summary: 'd', status: jira.status('To Do') });
      const [a, b, c, d] = await all(provider.listChanged(undefined));
      assert.deepEqual([a.fields.assignee, a.fields.priority, a.fields.state], ['Carol Unmapped', 'low', 'won_t_do']);
      assert.deepEqual([b.fields.assignee, b.fields.priority, b.fields.state], [undefined, 'critical', 'done']);
      assert.deepEqual([c.fields.priority, c.fields.state], [undefined, 'ready_for_qa']);
      assert.equal(d.fields.state, 'planning');
    });

    it('returns undefined for an issue that does not exist', async () => {
      assert.equal(await provider.get('ACME-99'), undefined);
    });

    it('lists every issue across pages of the enhanced JQL search, oldest change first', async () => {
      jira.pageSize = 2;
      for (let k = 1; k <= 5; k++) jira.seed({ summary: `Issue ${k}` });
      jira.edit('ACME-2', { summary: 'Issue 2, edited' }); // now the newest
      const items = await all(provider.listChanged(undefined));
      assert.deepEqual(items.map((i) => i.key), ['ACME-1', 'ACME-3', 'ACME-4', 'ACME-5', 'ACME-2']);
      const searches = jira.requests('GET', '/rest/api/3/search/jql');
      assert.equal(searches.length, 3);
      assert.equal(searches[0].query.get('nextPageToken'), null);
      assert.ok(searches[1].query.get('nextPageToken'));
      assert.equal(searches[0].query.get('jql'), 'project = "ACME" ORDER BY updated ASC');
      assert.deepEqual(searches[0].query.get('fields')!.split(',').sort(), ['assignee', 'description', 'issuetype', 'labels', 'priority', 'status', 'summary', 'updated']);
      assert.equal(jira.requests('GET', '/rest/api/3/search').filter((r) => r.path === '/rest/api/3/search').length, 0);
    });

    it('asks for changes since a time in the user\'s time zone, a few minutes early, at JQL\'s minute precision', async () => {
      jira.clock = Date.parse('2026-11-22T03:00:00.000Z');
      jira.seed({ summary: 'long before' }); // 03:00:01
      jira.clock = Date.parse('2026-11-22T04:58:00.000Z');
      jira.seed({ summary: 'just before' }); // 04:58:01, inside the margin
      jira.clock = Date.parse('2026-11-22T05:10:00.000Z');
      jira.seed({ summary: 'after' });
      const items = await all(provider.listChanged('2026-11-22T05:00:30.000Z'));
      assert.deepEqual(items.map((i) => i.fields.title), ['just before', 'after']);
      // 05:00:30Z minus five minutes is 15:55 in Sydney (UTC+11 in November).
      assert.equal(jira.requests('GET', '/rest/api/3/search/jql')[0].query.get('jql'), 'project = "ACME" AND updated >= "2026/11/22 15:55" ORDER BY updated ASC');
    });

    it('widens the margin to every zone when Jira does not say the user\'s', async () => {
      jira.timeZone = '';
      await all(provider.listChanged('2026-11-22T05:00:30.000Z'));
      assert.match(jira.requests('GET', '/rest/api/3/search/jql')[0].query.get('jql')!, /updated >= "2026\/11\/21 14:55"/);
    });

    it('formats JQL times in any zone', () => {
      const at = new Date('2026-07-01T23:59:59.999Z');
      assert.equal(jqlTime(at, 'UTC'), '2026/07/01 23:59');
      assert.equal(jqlTime(at, 'America/Los_Angeles'), '2026/07/01 16:59');
      assert.equal(jqlTime(at, 'Asia/Kolkata'), '2026/07/02 05:29');
    });
  });

  describe('creating', () => {
    const fields: SyncFields = {
      title: 'Wallet button',
      body: '## Steps\n- [x] Apple Pay\n- [ ] Google Pay',
      state: 'active',
      labels: ['needs review', 'frontend'],
      assignee: 'bob',
      priority: 'critical',
    };

    it('creates an issue with a marker the search finds, and sets its state by a transition', async () => {
      const item = await provider.create('TSK-0004', fields);
      assert.equal(item.key, 'ACME-1');
      assert.equal(item.localId, 'TSK-0004');
      assert.deepEqual(item.fields, { ...fields, labels: ['needs-review', 'frontend'] });
      const stored = jira.issues.get('ACME-1')!;
      assert.deepEqual(stored.fields.labels, ['needs-review', 'frontend', 'aitrackdown-TSK-0004']);
      assert.equal(stored.fields.status.name, 'In Progress');
      assert.equal(stored.fields.priority, 'Highest');
      assert.equal(stored.fields.assignee, 'acc-bob');

      const found = await provider.findByLocalId('TSK-0004');
      assert.equal(found?.key, 'ACME-1');
      assert.equal(await provider.findByLocalId('TSK-0005'), undefined);
    });

    it('sends a create once; when its response is lost, findByLocalId finds the issue and no twin is made', async () => {
      jira.dropResponse((r) => r.method === 'POST' && r.path === '/rest/api/3/issue');
      await assert.rejects(provider.create('TSK-0007', { ...fields, state: 'planning' }), JiraError);
      assert.equal(jira.requests('POST', '/rest/api/3/issue').filter((r) => r.path === '/rest/api/3/issue').length, 1);
      assert.equal(jira.issues.size, 1);
      const found = await provider.findByLocalId('TSK-0007');
      assert.equal(found?.key, 'ACME-1');
      assert.equal(found?.fields.title, 'Wallet button');
      assert.equal(jira.issues.size, 1);
    });

    it('does not resend a create that got a 5xx', async () => {
      jira.fail(1, 503, {}, (r) => r.method === 'POST');
      await assert.rejects(provider.create('TSK-0001', fields), /HTTP 503/);
      assert.equal(jira.requests('POST', '/rest/api/3/issue').length, 1);
    });

    it('refuses an assignee with no Jira account before sending anything', async () => {
      await assert.rejects(provider.create('TSK-0001', { ...fields, assignee: 'dave' }), /no Jira account is mapped for the assignee "dave"/);
      assert.equal(jira.log.length, 0);
    });
  });

  describe('updating', () => {
    /** Each field alone, with someone editing another field in Jira between our read and our write. */
    const cases: { field: keyof SyncFields; change: Partial<SyncFields>; remote: Partial<FakeIssue['fields']>; check: (i: FakeIssue) => void }[] = [
      { field: 'title', change: { title: 'Cart page v2' }, remote: { priority: 'Low' }, check: (i) => assert.equal(i.fields.summary, 'Cart page v2') },
      {
        field: 'body',
        change: { body: 'New **body**' },
        remote: { summary: 'Renamed remotely' },
        check: (i) => assert.deepEqual(i.fields.description, markdownToAdf('New **body**')),
      },
      { field: 'assignee', change: { assignee: 'bob' }, remote: { summary: 'Renamed remotely' }, check: (i) => assert.equal(i.fields.assignee, 'acc-bob') },
      { field: 'priority', change: { priority: 'low' }, remote: { summary: 'Renamed remotely' }, check: (i) => assert.equal(i.fields.priority, 'Low') },
      { field: 'labels', change: { labels: ['frontend', 'ux'] }, remote: { summary: 'Renamed remotely' }, check: (i) => assert.deepEqual(i.fields.labels, ['frontend', 'aitrackdown-ISS-0001', 'ux']) },
    ];
    for (const c of cases) {
      it(`writes ${c.field} alone and keeps a remote edit made meanwhile`, async () => {
        const issue = seedFull();
        const before = structuredClone(issue.fields);
        jira.before((r) => r.method === 'PUT', () => jira.edit(issue.key, c.remote));
        const item = await provider.update(issue.key, c.change);
        c.check(issue);
        const [remoteKey] = Object.keys(c.remote) as (keyof FakeIssue['fields'])[];
        assert.deepEqual(issue.fields[remoteKey], c.remote[remoteKey], 'the remote edit survives');
        for (const k of Object.keys(before) as (keyof FakeIssue['fields'])[]) {
          if (k === remoteKey || (c.field === 'title' && k === 'summary') || (c.field === 'body' && k === 'description') || k === c.field) continue;
          assert.deepEqual(issue.fields[k], before[k], `${k} is untouched`);
        }
        const [put] = jira.requests('PUT', '/rest/api/3/issue/');
        const sent = put.body as { fields?: object; update?: object };
        const keys = [...Object.keys(sent.fields ?? {}), ...Object.keys(sent.update ?? {})];
        assert.deepEqual(keys, [{ title: 'summary', body: 'description' }[c.field as string] ?? c.field]);
        assert.deepEqual(item, await provider.get(issue.key), 'returns the item as re-read');
      });
    }

    it('edits labels as additions and removals, so a label added remotely meanwhile stays', async () => {
      const issue = seedFull();
      jira.before((r) => r.method === 'PUT', () => jira.edit(issue.key, { labels: [...issue.fields.labels, 'remote-added'] }));
      const item = await provider.update(issue.key, { labels: ['needs review'] });
      assert.deepEqual(issue.fields.labels, ['aitrackdown-ISS-0001', 'remote-added', 'needs-review']);
      assert.deepEqual(item.fields.labels, ['remote-added', 'needs-review']);
      assert.equal(item.localId, 'ISS-0001');
    });

    it('clears the assignee and the description', async () => {
      const issue = seedFull();
      const item = await provider.update(issue.key, { assignee: undefined, body: '' });
      assert.equal(issue.fields.assignee, null);
      assert.equal(issue.fields.description, null);
      assert.equal(item.fields.assignee, undefined);
      assert.equal(item.fields.body, '');
    });

    it('refuses an unmapped assignee before writing anything', async () => {
      const issue = seedFull();
      await assert.rejects(provider.update(issue.key, { title: 'x', assignee: 'dave' }), /no Jira account is mapped for the assignee "dave"/);
      assert.equal(jira.requests('PUT', '/').length, 0);
      assert.equal(issue.fields.summary, 'Cart page');
    });

    it('explains what Jira refused', async () => {
      const issue = seedFull();
      jira.users = {}; // nobody can be assigned
      await assert.rejects(provider.update(issue.key, { assignee: 'bob' }), /HTTP 400.*assignee: User 'acc-bob' cannot be assigned issues/);
    });

    it('refuses what Jira cannot hold, before writing', async () => {
      const issue = seedFull();
      await assert.rejects(provider.update(issue.key, { labels: ['aitrackdown-TSK-0009'] }), /reserved for the sync marker/);
      await assert.rejects(provider.update(issue.key, { title: 'x'.repeat(256) }), /Jira holds at most 255/);
      await assert.rejects(provider.update(issue.key, { title: '  ' }), /needs a title/);
      assert.equal(jira.log.length, 0);
    });

    it('says so when the issue is gone', async () => {
      await assert.rejects(provider.update('ACME-42', { title: 'x' }), /ACME-42 no longer exists/);
    });
  });

  describe('state', () => {
    const moves: [string, Parameters<JiraProvider['update']>[1]['state'], string][] = [
      ['To Do', 'done', 'Done'],
      ['To Do', 'won_t_do', "Won't Do"],
      ['Done', 'planning', 'To Do'],
      ['To Do', 'ready_for_qa', 'Ready for QA'],
      ['To Do', 'ready_for_engineering', 'In Progress'],
      ['Done', 'archived', 'Done'],
    ];
    for (const [from, to, status] of moves) {
      it(`${from} → ${to} lands on ${status}`, async () => {
        const issue = jira.seed({ summary: 's', status: jira.status(from) });
        await provider.update(issue.key, { state: to });
        assert.equal(issue.fields.status.name, status);
        const posts = jira.requests('POST', `/rest/api/3/issue/${issue.key}/transitions`);
        assert.equal(posts.length, from === status ? 0 : 1, 'no transition when the status already stands for the state');
      });
    }

    it('reports a workflow with no transition to the wanted state, and writes nothing', async () => {
      const issue = jira.seed({ summary: 's', status: jira.status('To Do') });
      jira.transitionsFrom = (s) => jira.statuses.filter((t) => t.category !== 'done' && t.id !== s.id);
      await assert.rejects(provider.update(issue.key, { state: 'done', title: 'kept' }), /ACME-1: the Jira workflow offers no transition to a status for Done \(offered: In Progress → In Progress, Ready for QA → Ready for QA\)/);
      assert.equal(issue.fields.status.name, 'To Do');
      assert.equal(issue.fields.summary, 's');
      assert.equal(jira.requests('PUT', '/').length, 0);
    });

    it('tells won\'t-do from done only where the workflow has a status for it', async () => {
      await all(provider.listChanged(undefined));
      assert.equal(provider.sameState('done', 'won_t_do'), false);
      assert.equal(provider.sameState('active', 'ready_for_qa'), true);
      assert.equal(provider.sameState('planning', 'active'), false);

      jira.statuses = DEFAULT_STATUSES.filter((s) => s.name !== "Won't Do");
      const plain = make();
      assert.equal(plain.sameState('done', 'won_t_do'), false, 'unknown until the workflow is seen');
      await all(plain.listChanged(undefined));
      assert.equal(plain.sameState('done', 'won_t_do'), true);
      const issue = jira.seed({ summary: 's' });
      const item = await plain.update(issue.key, { state: 'won_t_do' });
      assert.equal(issue.fields.status.name, 'Done');
      assert.ok(plain.sameState(item.fields.state, 'won_t_do'));
    });
  });

  describe('failures', () => {
    it('waits out 429s as Retry-After says and completes', async () => {
      jira.seed({ summary: 's' });
      jira.fail(2, 429, { 'retry-after': '3' });
      const item = await provider.get('ACME-1');
      assert.equal(item?.fields.title, 's');
      assert.deepEqual(waits, [3000, 3000]);
    });

    it('retries 5xx on reads and completes', async () => {
      jira.pageSize = 1;
      jira.seed({ summary: 'a' });
      jira.seed({ summary: 'b' });
      jira.fail(2, 502, {}, (r) => r.path.endsWith('/search/jql') && r.query.has('nextPageToken'));
      assert.deepEqual((await all(provider.listChanged(undefined))).map((i) => i.fields.title), ['a', 'b']);
    });

    it('does not resend an edit after a 5xx or a lost answer: Jira may have made it, and an edit made since would be overwritten', async () => {
      jira.seed({ summary: 'a' });
      jira.fail(1, 503, {}, (r) => r.method === 'PUT');
      await assert.rejects(provider.update('ACME-1', { title: 'a2' }), (e: unknown) => e instanceof JiraError && e.status === 503 && outcomeUnknown(e));
      jira.dropResponse((r) => r.method === 'PUT');
      await assert.rejects(provider.update('ACME-1', { title: 'a3' }), (e: unknown) => outcomeUnknown(e));
      assert.equal(jira.requests('PUT', '/').length, 2);
      assert.equal(jira.issues.get('ACME-1')!.fields.summary, 'a3');
    });

    it('gives up on a rate limit longer than it will wait, saying when to come back', async () => {
      jira.fail(1, 429, { 'retry-after': '3600' });
      await assert.rejects(provider.get('ACME-1'), RateLimitError);
    });

    it('stops when cancelled, sending nothing more', async () => {
      jira.pageSize = 1;
      jira.seed({ summary: 'a' });
      jira.seed({ summary: 'b' });
      const stop = new AbortController();
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const item of provider.listChanged(undefined, { signal: stop.signal })) {
            seen.push(item.key);
            stop.abort();
          }
        })(),
        CancelledError,
      );
      assert.deepEqual(seen, ['ACME-1']);
      assert.equal(jira.requests('GET', '/rest/api/3/search/jql').length, 1);
    });

    it('says clearly when the credentials are wrong', async () => {
      const wrong = make({ apiToken: 'nope' });
      await assert.rejects(all(wrong.listChanged(undefined)), (e: JiraError) => {
        assert.equal(e.status, 401);
        assert.match(e.message, /did not accept the email and API token/);
        assert.ok(!e.message.includes('nope'), 'the token is never in a message');
        return true;
      });
      await assert.rejects(wrong.get('ACME-1'), /HTTP 401/);
    });
  });
});
