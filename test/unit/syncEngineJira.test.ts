/**
 * The sync engine with the real Jira provider against the fake Jira Cloud, on real project folders.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import { Project } from '../../src/core/index';
import { loadProject } from '../../src/core/project';
import { markdownToAdf } from '../../src/core/sync/adf';
import { resolveConflict, runSync, SyncRunOptions } from '../../src/core/sync/engine';
import { JiraProvider } from '../../src/core/sync/jira';
import { loadSyncState } from '../../src/core/sync/state';
import { FileStore } from '../../src/core/sync/store';
import { tempFolders } from './helpers';
import { FakeIssue, FakeJira } from './support/fakeJira';
import { copyProject, editFile, frontmatter, issueFile, issueFiles, quietRun, snapshotTasks } from './support/syncFiles';
import { assertFirstSyncFiles, syncOutline } from './support/syncOutline';

describe('sync engine against a Jira server', function () {
  const temp = tempFolders();
  let jira: FakeJira;
  let root: string;
  let project: Project;
  let waits: number[];

  beforeEach(async () => {
    jira = await new FakeJira().start();
    root = copyProject(temp('sync-jira'));
    // A tag with a space, which Jira cannot hold as it is.
    editFile(issueFile(root, 'ISS-0002'), [{ key: 'tags', value: ['payments', 'needs review'] }]);
    project = await loadProject(root);
    waits = [];
  });
  afterEach(() => jira.stop());

  /** The accounts the corpus's people map to. */
  const ACCOUNTS = { alice: 'acc-alice', bob: 'acc-bob' } as const;
  const provider = () =>
    new JiraProvider({
      baseUrl: jira.baseUrl,
      projectKey: jira.project,
      email: jira.email,
      apiToken: jira.token,
      users: ACCOUNTS,
      http: { sleep: async (ms) => void waits.push(ms), backoffMs: 1, attempts: 4, timeoutMs: 3000 },
    });
  const sync = (extra: Partial<SyncRunOptions> = {}) => runSync({ project, provider: provider(), store: new FileStore(project), now: () => new Date('2026-12-01T10:00:00.000Z'), ...extra });
  const byMarker = (id: string): FakeIssue[] => [...jira.issues.values()].filter((i) => i.fields.labels.includes(`aitrackdown-${id}`));
  const writes = () => jira.log.filter((r) => r.method !== 'GET');
  /** The next run sends nothing and changes no byte. */
  const quiet = () => quietRun(root, () => sync(), { clear: () => void (jira.log.length = 0), writes });

  const isCreate = (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/rest/api/3/issue';
  syncOutline({
    id: 'jira',
    root: () => root,
    sync: () => sync(),
    syncOnly: (id) => sync({ only: [id] }),
    quiet: () => quiet(),
    resolve: (localId, field, value) => resolveConflict({ project, provider: provider(), store: new FileStore(project), localId, field, value }),
    server: {
      refs: (id) => byMarker(id).map((i) => i.key),
      count: () => jira.issues.size,
      clear: () => void (jira.log.length = 0),
      writes: () => writes().map((w) => [w.method, w.path, w.body]),
      titleWrite: (key, title) => ['PUT', `/rest/api/3/issue/${key}`, { fields: { summary: title } }],
      creates: () => jira.log.filter(isCreate).length,
      title: (key) => jira.issues.get(String(key))!.fields.summary,
      assignee: (key) => (Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]).find((p) => ACCOUNTS[p] === jira.issues.get(String(key))!.fields.assignee),
      setTitle: (key, summary) => jira.edit(String(key), { summary }),
      setAssignee: (key, who) => jira.edit(String(key), { assignee: ACCOUNTS[who] }),
      loseNextCreateResponse: () => jira.dropResponse(isCreate),
      // Right after the service answered a full read of the issue (the read a write is planned on).
      beforeWrite: (key, fn) => jira.after((r) => r.method === 'GET' && r.path === `/rest/api/3/issue/${key}` && (r.query.get('fields') ?? '').includes('summary'), fn),
      afterWrite: (key, fn) => jira.after((r) => r.method === 'PUT' && r.path === `/rest/api/3/issue/${key}`, fn),
      loseNextWriteResponse: (key, then) => jira.dropResponse((r) => r.method === 'PUT' && r.path === `/rest/api/3/issue/${key}`, then),
      labels: (key) => jira.issues.get(String(key))!.fields.labels.filter((l) => !l.startsWith('aitrackdown-')),
      addLabel: (key, label) => jira.edit(String(key), { labels: [...jira.issues.get(String(key))!.fields.labels, label] }),
    },
  });

  it('first sync: pushes local issues, imports remote issues, stores the keys in the files', async () => {
    jira.seed({ summary: 'Checkout crashes on Safari', description: markdownToAdf('Steps:\n\n1. Open checkout\n2. Pay **now**'), labels: ['bug'], assignee: 'acc-bob', priority: 'High', status: jira.status('In Progress') });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.created.sort(), ['ISS-0001', 'ISS-0002', 'ISS-0003']);
    assert.deepEqual(s.imported, ['ISS-0004']);
    assert.equal(issueFiles(root).length, 4);

    const cart = byMarker('ISS-0001')[0];
    assert.equal(cart.fields.summary, 'Cart page');
    assert.equal(cart.fields.status.name, 'Ready for QA');
    assert.equal(cart.fields.assignee, 'acc-alice');
    assert.equal(cart.fields.priority, 'High');
    assert.deepEqual(cart.fields.labels.filter((l) => !l.startsWith('aitrackdown-')), ['frontend']);
    assert.equal(byMarker('ISS-0003')[0].fields.status.name, "Won't Do");
    assert.equal(byMarker('ISS-0002')[0].fields.status.name, 'To Do');

    assertFirstSyncFiles({ id: 'jira', root: () => root }, cart.key, 'ACME-1');
    assert.equal(jira.requests('POST', '/rest/api/3/issue').filter((r) => r.path === '/rest/api/3/issue').length, 3);
  });

  it('a second sync right after sends nothing and changes no byte', async () => {
    jira.seed({ summary: 'Remote one', description: markdownToAdf('# Heading\n\n- a\n- b\n\n`code` and *em*'), labels: ['ux'], assignee: 'acc-alice', priority: 'Lowest', status: jira.status('Done') });
    const first = await sync();
    assert.deepEqual(first.errors, []);
    const s = await quiet();
    assert.deepEqual([s.pulled, s.pushed, s.created, s.imported, s.errors, s.conflicts], [[], [], [], [], [], []]);
    // And a third, after the cursor moved, still nothing.
    await quiet();
  });

  it('a 429 with Retry-After and 5xx mid-run: the run completes, nothing lost or doubled', async () => {
    jira.seed({ summary: 'Remote', description: markdownToAdf('r') });
    jira.fail(1, 429, { 'retry-after': '2' }, (r) => r.method === 'POST' && r.path === '/rest/api/3/issue');
    jira.fail(2, 503, {}, (r) => r.method === 'GET' && /^\/rest\/api\/3\/issue\/[^/]+$/.test(r.path));
    jira.fail(1, 502, {}, (r) => r.method === 'GET' && r.path === '/rest/api/3/search/jql');
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.ok(waits.includes(2000), `waited ${waits}`);
    assert.equal(jira.issues.size, 4);
    for (const id of ['ISS-0001', 'ISS-0002', 'ISS-0003']) assert.equal(byMarker(id).length, 1, id);
    assert.equal(byMarker('ISS-0003')[0].fields.status.name, "Won't Do");
    assert.equal(byMarker('ISS-0001')[0].fields.status.name, 'Ready for QA');
    assert.equal(issueFiles(root).length, 4);
    await quiet();
  });

  it('a 5xx on the transition after a create: the run links it without a twin, and the state is a conflict, not overwritten', async () => {
    jira.fail(1, 502, {}, (r) => r.method === 'POST' && r.path.endsWith('/transitions'));
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.equal(jira.issues.size, 3);
    for (const id of ['ISS-0001', 'ISS-0002', 'ISS-0003']) assert.equal(byMarker(id).length, 1, id);
    assert.equal(frontmatter(issueFile(root, 'ISS-0001')).state, 'ready_for_qa', 'the local state is kept');
    assert.deepEqual(s.conflicts.map((c) => [c.localId, c.field, c.local, c.remote]), [['ISS-0001', 'state', 'ready_for_qa', 'planning']]);
    assert.deepEqual((await loadSyncState(root, 'jira')).pending, {});
    const resolved = await resolveConflict({ project, provider: provider(), store: new FileStore(project), localId: 'ISS-0001', field: 'state', value: 'ready_for_qa' });
    assert.deepEqual([resolved.conflicts, resolved.errors], [[], []]);
    assert.equal(byMarker('ISS-0001')[0].fields.status.name, 'Ready for QA');
    await quiet();
  });

  it('imports every page of the search', async () => {
    jira.pageSize = 3;
    for (let k = 1; k <= 10; k++) jira.seed({ summary: `Remote ${k}`, description: markdownToAdf(`Body ${k}`) });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.equal(s.imported.length, 10);
    assert.ok(jira.requests('GET', '/rest/api/3/search/jql').length >= 4);
    const titles = new Set(issueFiles(root).map((f) => frontmatter(issueFile(root, f.slice(0, 8))).title));
    for (let k = 1; k <= 10; k++) assert.ok(titles.has(`Remote ${k}`), `Remote ${k}`);
    const again = await quiet();
    assert.deepEqual([again.imported, again.errors], [[], []]);
  });

  it('local edits of body, labels, state, priority and assignee go out, and the run after sends nothing', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const key = byMarker('ISS-0002')[0].key;
    editFile(file, [{ key: 'tags', value: ['payments', 'needs review', 'q4 launch'] }, { key: 'state', value: 'done' }, { key: 'status', value: 'completed' }, { key: 'priority', value: 'low' }, { key: 'assignee', value: 'unassigned' }], (b) => b.replace('Apple Pay and Google Pay on the payment step', 'Apple Pay, then *Google Pay*:\n\n- [ ] sheet\n- [x] button\n\n> quoted'));
    const s = await sync();
    assert.deepEqual(s.errors, []);
    const issue = jira.issues.get(key)!;
    assert.equal(issue.fields.status.name, 'Done');
    assert.equal(issue.fields.priority, 'Low');
    assert.equal(issue.fields.assignee, null);
    assert.equal(issue.fields.labels.filter((l) => !l.startsWith('aitrackdown-')).length, 3);
    const again = await quiet();
    assert.deepEqual([again.pulled, again.pushed, again.errors, again.conflicts], [[], [], [], []]);
  });

  it('remote status moves pull the state; a status of the same category keeps the finer local state', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0001');
    const key = byMarker('ISS-0001')[0].key;
    jira.edit(key, { status: jira.status('In Progress') });
    jira.log.length = 0;
    await sync();
    assert.deepEqual(writes(), []);
    jira.edit(key, { status: jira.status('Done'), labels: ['frontend', 'shipped', 'aitrackdown-ISS-0001'] });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.equal(frontmatter(file).state, 'done');
    assert.deepEqual(frontmatter(file).tags, ['frontend', 'shipped']);
    await quiet();
  });
  it('a body edited in Jira (hard breaks, marks, a code block) comes in, and the run after sends nothing', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const key = byMarker('ISS-0002')[0].key;
    jira.edit(key, {
      description: {
        type: 'doc',
        version: 1,
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'Line one' }, { type: 'hardBreak' }, { type: 'text', text: 'line two ', marks: [{ type: 'strong' }] }, { type: 'text', text: 'end' }] },
          { type: 'codeBlock', attrs: { language: 'ts' }, content: [{ type: 'text', text: 'const a = 1;\n\nconst b = 2;' }] },
          { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'item' }] }] }] },
        ],
      },
    });
    const s = await sync();
    assert.deepEqual([s.errors, s.conflicts], [[], []]);
    assert.deepEqual(s.pulled, ['ISS-0002']);
    const again = await quiet();
    assert.deepEqual([again.pulled, again.pushed, again.errors], [[], [], []]);
    // A local edit of another line then goes out and comes back the same.
    editFile(file, [], (b) => b.replace('item', 'item, edited'));
    const third = await sync();
    assert.deepEqual([third.errors, third.conflicts, third.pushed], [[], [], ['ISS-0002']]);
    const after = snapshotTasks(root);
    jira.log.length = 0;
    await sync();
    assert.deepEqual(writes(), []);
    assert.deepEqual(snapshotTasks(root), after);
  });

  it('a file with CRLF line ends and trailing spaces is pushed and the run after sends nothing', async () => {
    const file = issueFile(root, 'ISS-0001');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n').replace('## Tasks', '## Tasks  ') + '\r\n\r\n');
    const first = await sync();
    assert.deepEqual(first.errors, []);
    const s = await quiet();
    assert.deepEqual([s.pulled, s.pushed, s.errors, s.conflicts], [[], [], [], []]);
  });
  it('an issue without priority, with an unmapped assignee or an empty description imports, and the run after sends nothing', async () => {
    jira.seed({ summary: 'No priority', priority: null, assignee: 'acc-carol' });
    jira.seed({ summary: 'Empty', description: { type: 'doc', version: 1, content: [] }, labels: ['Mixed-Case'] });
    const first = await sync();
    assert.deepEqual(first.errors, []);
    assert.equal(first.imported.length, 2);
    const s = await quiet();
    assert.deepEqual([s.pulled, s.pushed, s.errors, s.conflicts], [[], [], [], []]);
  });
  it('a priority cleared in Jira reads as medium; a local priority then goes out', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0001');
    const key = byMarker('ISS-0001')[0].key;
    jira.edit(key, { priority: null });
    jira.log.length = 0;
    const s = await sync();
    assert.deepEqual([s.errors, s.conflicts, s.pulled], [[], [], ['ISS-0001']]);
    assert.deepEqual(writes(), []);
    assert.equal(frontmatter(file).priority, 'medium');
    jira.log.length = 0;
    assert.deepEqual((await sync()).pulled, []);
    assert.deepEqual(writes(), []);
    editFile(file, [{ key: 'priority', value: 'critical' }]);
    const pushed = await sync();
    assert.deepEqual([pushed.errors, pushed.pushed], [[], ['ISS-0001']]);
    assert.equal(jira.issues.get(key)!.fields.priority, 'Highest');
  });
  it('a rate limit longer than the client waits stops the run; the next run does the rest without twins', async () => {
    jira.seed({ summary: 'Remote', description: markdownToAdf('r') });
    jira.fail(1, 429, { 'retry-after': '3600' }, (r) => r.method === 'POST' && r.path === '/rest/api/3/issue');
    const limited = new JiraProvider({ baseUrl: jira.baseUrl, projectKey: jira.project, email: jira.email, apiToken: jira.token, users: ACCOUNTS, http: { sleep: async () => undefined, maxWaitMs: 1000 } });
    const s = await sync({ provider: limited });
    assert.ok(s.errors.length >= 1);
    assert.ok(s.errors.some((e) => /rate limit/i.test(e.message)), JSON.stringify(s.errors));
    const again = await sync();
    assert.deepEqual(again.errors, []);
    assert.equal(jira.issues.size, 4);
    for (const id of ['ISS-0001', 'ISS-0002', 'ISS-0003']) assert.equal(byMarker(id).length, 1, id);
    assert.equal(issueFiles(root).length, 4);
  });
  it('a create whose response is lost, then edited in Jira before it is found again: the edit is a conflict, not overwritten', async () => {
    let key = '';
    jira.dropResponse(isCreate, () => {
      key = [...jira.issues.values()].at(-1)!.key;
      jira.edit(key, { summary: 'Renamed in Jira' });
    });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    const lost = jira.issues.get(key)!.fields.labels.find((l) => l.startsWith('aitrackdown-'))!.slice('aitrackdown-'.length);
    // The state too: the lost response left the create before its transition.
    assert.deepEqual(s.conflicts.map((c) => [c.localId, c.field, c.remote]).sort(), [[lost, 'state', 'planning'], [lost, 'title', 'Renamed in Jira']]);
    assert.equal(frontmatter(issueFile(root, lost)).title, 'Cart page');
    assert.equal(jira.issues.get(key)!.fields.summary, 'Renamed in Jira');
    assert.equal(jira.issues.size, 3);
    assert.deepEqual(frontmatter(issueFile(root, lost)).sync, { jira: key });
    assert.deepEqual((await loadSyncState(root, 'jira')).pending, {});
  });
  it('a label added in Jira comes in beside a local tag with a space, which stays as it is', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const key = byMarker('ISS-0002')[0].key;
    jira.edit(key, { labels: [...jira.issues.get(key)!.fields.labels, 'urgent'] });
    const s = await sync();
    assert.deepEqual([s.errors, s.conflicts], [[], []]);
    assert.deepEqual(frontmatter(file).tags, ['payments', 'needs review', 'urgent']);
    await quiet();
  });
  it('a 5xx on an edit: the edit is made by this run or the next, once, and nothing else moves', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const key = byMarker('ISS-0002')[0].key;
    editFile(file, [{ key: 'title', value: 'Wallets' }]);
    jira.fail(1, 503, {}, (r) => r.method === 'PUT');
    const s = await sync();
    if (s.errors.length) await sync();
    assert.equal(jira.issues.get(key)!.fields.summary, 'Wallets');
    assert.equal(frontmatter(file).title, 'Wallets');
    jira.log.length = 0;
    const quiet = await sync();
    assert.deepEqual([quiet.errors, quiet.conflicts], [[], []]);
    assert.deepEqual(writes(), []);
  });
  it('a create whose response is lost, with Jira unreachable right after, then edited locally before the next run: the edit goes out', async () => {
    // The search that would find it again fails too, so the create stays pending for the next run.
    jira.dropResponse(isCreate, () => jira.fail(4, 503, {}, (r) => r.path === '/rest/api/3/search/jql'));
    const first = await sync();
    assert.ok((await loadSyncState(root, 'jira')).pending[first.errors[0].item], 'the create is still pending');
    const lost = first.errors[0].item;
    const key = byMarker(lost)[0].key;
    editFile(issueFile(root, lost), [{ key: 'title', value: 'Renamed here' }]);
    const second = await sync();
    assert.deepEqual(second.errors, []);
    assert.equal(jira.issues.get(key)!.fields.summary, 'Renamed here');
    // Only the state, which the lost response left unset, is in doubt.
    assert.deepEqual(second.conflicts.map((c) => [c.localId, c.field]), [[lost, 'state']]);
    assert.equal(jira.issues.size, 3);
  });
});
