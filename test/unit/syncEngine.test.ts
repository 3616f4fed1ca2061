import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from '../../src/core/index';
import { loadProject } from '../../src/core/project';
import { resolveConflict, runSync, SyncRunOptions } from '../../src/core/sync/engine';
import { GitHubProvider } from '../../src/core/sync/github';
import { loadSyncState, syncStateFile, SyncStateError } from '../../src/core/sync/state';
import { FileStore, LocalStore } from '../../src/core/sync/store';
import { tempFolders } from './helpers';
import { FakeGitHub } from './support/fakeGitHub';
import { copyProject, editFile, frontmatter, issueFile, issueFiles, quietRun } from './support/syncFiles';
import { syncOutline } from './support/syncOutline';

describe('sync engine against a GitHub server', function () {
  const temp = tempFolders();
  let gh: FakeGitHub;
  let root: string;
  let project: Project;
  let waits: number[];

  beforeEach(async () => {
    gh = await new FakeGitHub().start();
    root = copyProject(temp('sync'));
    project = await loadProject(root);
    waits = [];
  });
  afterEach(() => gh.stop());

  /** The accounts the corpus's people map to. */
  const LOGINS = { alice: 'alice-gh', bob: 'bobby' } as const;
  const provider = () =>
    new GitHubProvider({
      apiUrl: gh.url,
      owner: gh.owner,
      repo: gh.repo,
      token: gh.token,
      users: LOGINS,
      http: { sleep: async (ms) => void waits.push(ms), backoffMs: 1, timeoutMs: 3000 },
    });
  const sync = (extra: Partial<SyncRunOptions> = {}) => runSync({ project, provider: provider(), store: new FileStore(project), now: () => new Date('2026-12-01T10:00:00.000Z'), ...extra });
  const byMarker = (id: string) => [...gh.issues.values()].filter((i) => (i.body ?? '').includes(`<!-- ai-trackdown:${id} -->`));
  /** The next run sends nothing and changes no byte. */
  const quiet = () => quietRun(root, () => sync(), { clear: () => void (gh.log.length = 0), writes: () => gh.writes() });

  syncOutline({
    id: 'github',
    root: () => root,
    sync: () => sync(),
    syncOnly: (id) => sync({ only: [id] }),
    quiet: () => quiet(),
    resolve: (localId, field, value) => resolveConflict({ project, provider: provider(), store: new FileStore(project), localId, field, value }),
    server: {
      refs: (id) => byMarker(id).map((i) => i.number),
      count: () => gh.issues.size,
      clear: () => void (gh.log.length = 0),
      writes: () => gh.writes().map((w) => [w.method, w.path, w.body]),
      titleWrite: (n, title) => ['PATCH', `/repos/${gh.owner}/${gh.repo}/issues/${n}`, { title }],
      creates: () => gh.log.filter((l) => l.method === 'POST').length,
      title: (n) => gh.issues.get(Number(n))!.title,
      assignee: (n) => (Object.keys(LOGINS) as (keyof typeof LOGINS)[]).find((p) => LOGINS[p] === gh.issues.get(Number(n))!.assignee?.login),
      setTitle: (n, title) => void gh.edit(Number(n), { title }),
      setAssignee: (n, who) => void gh.edit(Number(n), { assignees: [LOGINS[who]] }),
      loseNextCreateResponse: () => gh.fault({ method: 'POST', drop: true, afterAct: true }),
      beforeWrite: (n, fn) => gh.afterGet(Number(n), fn),
      afterWrite: (n, fn) => gh.afterPatch(Number(n), fn),
      loseNextWriteResponse: (n, then) => gh.fault({ method: 'PATCH', path: new RegExp(`/issues/${n}$`), drop: true, afterAct: true, then }),
      labels: (n) => gh.issues.get(Number(n))!.labels.map((l) => l.name),
      addLabel: (n, label) => void gh.edit(Number(n), { labels: [...gh.issues.get(Number(n))!.labels.map((l) => l.name), label] }),
    },
  });

  it('first sync: pushes local issues, imports remote issues, skips pull requests', async () => {
    gh.add({ title: 'Checkout crashes on Safari', body: 'Steps:\r\n1. Open checkout\r\n2. Pay', labels: ['bug'], assignee: 'bobby' });
    gh.add({ title: 'Bump wallet SDK', body: 'PR body', pr: true });
    gh.add({ title: 'Old idea', state: 'closed', state_reason: 'not_planned' });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.created.sort(), ['ISS-0001', 'ISS-0002', 'ISS-0003']);
    assert.deepEqual(s.imported.sort(), ['ISS-0004', 'ISS-0005']);
    // Tasks and epics are not pushed by default; pull requests are not imported.
    assert.equal(byMarker('TSK-0001').length, 0);
    assert.equal(issueFiles(root).length, 5);

    const cart = byMarker('ISS-0001')[0];
    assert.equal(cart.title, 'Cart page');
    assert.equal(cart.state, 'open');
    assert.deepEqual(cart.labels.map((l) => l.name), ['frontend']);
    assert.equal(cart.assignee?.login, 'alice-gh');
    assert.ok(cart.body!.startsWith('# Issue: Cart page\n'));
    const synonyms = byMarker('ISS-0003')[0];
    assert.equal(synonyms.state, 'closed');
    assert.equal(synonyms.state_reason, 'not_planned');

    // The finer local state survives GitHub's "open".
    const fm1 = frontmatter(issueFile(root, 'ISS-0001'));
    assert.equal(fm1.state, 'ready_for_qa');
    assert.deepEqual(fm1.sync, { github: cart.number });
    assert.equal(fm1.sync_status, 'synced');

    const imported = frontmatter(issueFile(root, 'ISS-0004'));
    assert.equal(imported.title, 'Checkout crashes on Safari');
    assert.deepEqual(imported.tags, ['bug']);
    assert.equal(imported.assignee, 'bob');
    assert.deepEqual(imported.sync, { github: 1 });
    const importedText = fs.readFileSync(issueFile(root, 'ISS-0004'), 'utf8');
    assert.ok(importedText.endsWith('---\n\nSteps:\n1. Open checkout\n2. Pay'), importedText);
    const closed = frontmatter(issueFile(root, 'ISS-0005'));
    assert.equal(closed.state, 'won_t_do');
    assert.equal((closed.state_metadata as Record<string, unknown>).automation_source, 'sync');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, '.ai-trackdown', 'counters.json'), 'utf8')).issue, 6);
    // Every create went out exactly once.
    assert.equal(gh.log.filter((l) => l.method === 'POST').length, 3);
    assert.ok(gh.log.every((l) => l.auth === `Bearer ${gh.token}`));
  });

  it('a file that is not UTF-8 is reported and not sent; the others are', async () => {
    const file = path.join(root, 'tasks', 'issues', issueFiles(root)[0]);
    const bytes = Buffer.concat([fs.readFileSync(file), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]);
    fs.writeFileSync(file, bytes);
    const s = await sync();
    assert.deepEqual(s.errors.map((e) => e.item), [path.basename(file)]);
    assert.match(s.errors[0].message, /not valid UTF-8/);
    assert.ok(s.created.length > 0, 'the other issues are created');
    assert.ok(![...gh.issues.values()].some((i) => (i.body ?? '').includes('\uFFFD') || (i.title ?? '').includes('\uFFFD')), 'no replacement character sent');
    assert.ok(fs.readFileSync(file).equals(bytes), 'the file keeps its bytes');
  });

  it('a second sync with nothing changed sends nothing and writes nothing', async () => {
    gh.add({ title: 'Remote one', body: 'x' });
    await sync();
    const s = await quiet();
    assert.deepEqual([s.pulled, s.pushed, s.created, s.imported, s.errors], [[], [], [], [], []]);
  });

  it('edits of different fields on both sides are both kept', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0001');
    const n = byMarker('ISS-0001')[0].number;
    editFile(file, [{ key: 'title', value: 'Cart page v2' }]);
    gh.edit(n, { assignees: ['bobby'] });
    gh.log.length = 0;
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.equal(gh.issues.get(n)!.title, 'Cart page v2');
    assert.equal(gh.issues.get(n)!.assignee?.login, 'bobby');
    assert.equal(frontmatter(file).title, 'Cart page v2');
    assert.equal(frontmatter(file).assignee, 'bob');
    assert.deepEqual(gh.writes().map((w) => w.body), [{ title: 'Cart page v2' }]);
  });

  it('the same field changed differently on both sides is a conflict: neither side is overwritten', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const n = byMarker('ISS-0002')[0].number;
    editFile(file, [{ key: 'title', value: 'Local title' }]);
    const before = fs.readFileSync(file, 'utf8');
    gh.edit(n, { title: 'Remote title' });
    gh.log.length = 0;
    const s = await sync();
    assert.deepEqual(s.conflicts.map((c) => [c.localId, c.field, c.base, c.local, c.remote]), [['ISS-0002', 'title', 'Wallet payments', 'Local title', 'Remote title']]);
    assert.equal(gh.issues.get(n)!.title, 'Remote title');
    assert.deepEqual(gh.writes(), []);
    // Only sync_status changed in the file.
    assert.equal(fs.readFileSync(file, 'utf8'), before.replace('sync_status: synced', 'sync_status: conflict'));
    const state = await loadSyncState(root, 'github');
    assert.equal(state.conflicts.length, 1);

    // The next run holds the field, but still syncs the others.
    editFile(file, [{ key: 'priority', value: 'high' }, { key: 'tags', value: ['payments'] }]);
    gh.log.length = 0;
    const again = await sync();
    assert.equal(again.conflicts.length, 1);
    assert.deepEqual(gh.writes().map((w) => w.body), [{ labels: ['payments'] }]);
    assert.equal(gh.issues.get(n)!.title, 'Remote title');

    // Resolved by taking the remote value: the file takes it, nothing is pushed for it, the conflict is gone.
    gh.log.length = 0;
    const resolved = await resolveConflict({ project, provider: provider(), store: new FileStore(project), localId: 'ISS-0002', field: 'title', value: 'Remote title' });
    assert.deepEqual(resolved.conflicts, []);
    assert.deepEqual(gh.writes(), []);
    assert.equal(frontmatter(file).title, 'Remote title');
    assert.equal(frontmatter(file).sync_status, 'synced');
  });

  it('labels merge as sets: adds and removes from both sides', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0001');
    const n = byMarker('ISS-0001')[0].number;
    editFile(file, [{ key: 'tags', value: ['cart', 'ux'] }]); // removed frontend, added cart and ux
    gh.edit(n, { labels: ['frontend', 'ux', 'bug'] }); // added ux and bug
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.deepEqual(frontmatter(file).tags, ['cart', 'ux', 'bug']);
    assert.deepEqual(gh.issues.get(n)!.labels.map((l) => l.name).sort(), ['bug', 'cart', 'ux']);
  });

  it('the body merges line by line when the edits do not overlap', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0001');
    const n = byMarker('ISS-0001')[0].number;
    editFile(file, [], (b) => b.replace('Editable cart with quantity steppers', 'Editable cart with steppers'));
    const remote = gh.issues.get(n)!.body!.replace('- [ ] Quantities update the total without a reload', '- [ ] Quantities update the total live');
    gh.edit(n, { body: remote });
    const s = await sync();
    assert.deepEqual([s.errors, s.conflicts], [[], []]);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.includes('Editable cart with steppers and a running total\n'));
    assert.ok(text.includes('- [ ] Quantities update the total live'));
    const body = gh.issues.get(n)!.body!;
    assert.ok(body.includes('Editable cart with steppers and a running total\n') && body.includes('update the total live'));
    assert.ok(body.endsWith('<!-- ai-trackdown:ISS-0001 -->'), 'the marker stays');
  });

  it('overlapping body edits are a conflict', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0001');
    const n = byMarker('ISS-0001')[0].number;
    editFile(file, [], (b) => b.replace('Editable cart with quantity steppers', 'Local words'));
    gh.edit(n, { body: gh.issues.get(n)!.body!.replace('Editable cart with quantity steppers', 'Remote words') });
    const s = await sync();
    assert.deepEqual(s.conflicts.map((c) => c.field), ['body']);
    assert.ok(fs.readFileSync(file, 'utf8').includes('Local words'));
    assert.ok(gh.issues.get(n)!.body!.includes('Remote words'));
  });

  it('rate limits (429 Retry-After) and server errors mid-run: the run completes, nothing lost or doubled', async () => {
    gh.fault({ method: 'POST', status: 429, headers: { 'retry-after': '2' } });
    gh.fault({ method: 'GET', path: /\/issues\/\d+$/, status: 502, times: 2 });
    gh.fault({ method: 'PATCH', status: 503 });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.equal(gh.issues.size, 3);
    for (const id of ['ISS-0001', 'ISS-0002', 'ISS-0003']) assert.equal(byMarker(id).length, 1, id);
    assert.ok(waits.includes(2000), `waited ${waits}`);
    assert.equal(gh.issues.get(byMarker('ISS-0003')[0].number)!.state, 'closed');
  });

  it('a rate limit longer than we wait for stops the run; the next run does the rest', async () => {
    gh.add({ title: 'Remote', body: 'r' });
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    gh.fault({ method: 'POST', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } });
    const s = await sync({ provider: new GitHubProvider({ apiUrl: gh.url, owner: gh.owner, repo: gh.repo, token: gh.token, http: { sleep: async () => undefined, maxWaitMs: 1000 } }) });
    assert.equal(s.errors.length, 2);
    assert.match(s.errors[1].message, /rate limit allows the next request at/);
    const again = await sync();
    assert.deepEqual(again.errors, []);
    assert.equal(gh.issues.size, 4);
    for (const id of ['ISS-0001', 'ISS-0002', 'ISS-0003']) assert.equal(byMarker(id).length, 1, id);
    assert.equal(issueFiles(root).length, 4);
  });

  it('closing on GitHub pulls done; reopening locally and unassigning push state and assignee', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const n = byMarker('ISS-0002')[0].number;
    gh.edit(n, { state: 'closed', state_reason: 'completed' });
    await sync();
    assert.equal(frontmatter(file).state, 'done');
    assert.equal(frontmatter(file).status, 'completed');
    editFile(file, [{ key: 'state', value: 'active' }, { key: 'status', value: 'active' }, { key: 'assignee', value: 'unassigned' }]);
    gh.log.length = 0;
    await sync();
    assert.deepEqual(gh.writes().map((w) => w.body), [{ state: 'open', state_reason: 'reopened', assignees: [] }]);
    assert.equal(gh.issues.get(n)!.state, 'open');
    assert.equal(gh.issues.get(n)!.assignee, null);
    assert.equal(frontmatter(file).state, 'active', 'the finer local state stays');
  });

  it('lists every page (Link headers) and imports each issue once', async function () {
    this.timeout(30_000);
    for (let i = 1; i <= 201; i++) gh.add({ title: `Remote ${i}`, body: `Body ${i}` });
    project = await loadProject(root);
    const s = await sync({ provider: provider() });
    assert.deepEqual(s.errors, []);
    assert.equal(s.imported.length, 201);
    const pages = gh.log.filter((l) => l.method === 'GET' && l.path.startsWith(`/repos/${gh.owner}/${gh.repo}/issues?`));
    assert.equal(pages.length, 3);
    const titles = new Set(issueFiles(root).map((f) => frontmatter(path.join(root, 'tasks', 'issues', f)).title));
    assert.equal(titles.size, 204);
  });

  it('a remote edit landing between our read and our write is kept', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const n = byMarker('ISS-0002')[0].number;
    editFile(file, [{ key: 'title', value: 'Wallets' }]);
    gh.afterGet(n, () => gh.edit(n, { labels: ['payments'], body: `Remote rewrite\n\n<!-- ai-trackdown:ISS-0002 -->` }));
    const s = await sync();
    assert.deepEqual(s.errors, []);
    const issue = gh.issues.get(n)!;
    assert.equal(issue.title, 'Wallets');
    assert.deepEqual(issue.labels.map((l) => l.name), ['payments']);
    assert.ok(issue.body!.startsWith('Remote rewrite'));
    assert.deepEqual(frontmatter(file).tags, ['payments']);
    assert.ok(fs.readFileSync(file, 'utf8').endsWith('---\n\nRemote rewrite'));
    // And the next run has nothing left to do.
    await quiet();
  });

  it('a local edit between our read and our write is kept', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const n = byMarker('ISS-0002')[0].number;
    gh.edit(n, { title: 'Wallet payments (remote)' });
    const inner = new FileStore(project);
    let raced = false;
    const store: LocalStore = {
      list: () => inner.list(),
      read: (f) => inner.read(f),
      create: (f, t) => inner.create(f, t),
      async write(f, expected, text) {
        if (!raced && f === file) {
          raced = true;
          editFile(file, [{ key: 'priority', value: 'critical' }]);
        }
        return inner.write(f, expected, text);
      },
    };
    const s = await sync({ store });
    assert.deepEqual(s.errors, []);
    assert.ok(raced);
    const fm = frontmatter(file);
    assert.equal(fm.title, 'Wallet payments (remote)');
    assert.equal(fm.priority, 'critical');
  });

  it('cancelled mid-run: the state stays consistent and the next run finishes without twins', async () => {
    const ac = new AbortController();
    const s = await sync({
      signal: ac.signal,
      progress: (p) => {
        if (p.done === 1) ac.abort();
      },
    });
    assert.equal(s.cancelled, true);
    const state = await loadSyncState(root, 'github');
    for (const [id, rec] of Object.entries(state.items)) assert.deepEqual(frontmatter(issueFile(root, id)).sync, { github: Number(rec.remoteId) });
    assert.ok(Object.keys(state.items).length >= 1 && Object.keys(state.items).length < 3);
    const again = await sync();
    assert.deepEqual(again.errors, []);
    assert.equal(gh.issues.size, 3);
    for (const id of ['ISS-0001', 'ISS-0002', 'ISS-0003']) assert.equal(byMarker(id).length, 1, id);
  });

  it('a corrupt state file is an error, kept aside, never reset', async () => {
    const file = syncStateFile(root, 'github');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"version": 1, "items": ');
    await assert.rejects(sync(), SyncStateError);
    assert.equal(fs.readFileSync(file, 'utf8'), '{"version": 1, "items": ');
    assert.ok(fs.readdirSync(path.dirname(file)).some((f) => f.startsWith('github.json.bad-')));
    assert.equal(gh.log.length, 0);
    fs.writeFileSync(file, JSON.stringify({ version: 99, provider: 'github', items: {}, pending: {}, conflicts: [] }));
    await assert.rejects(sync(), /newer version/);
  });

  it('a lost state file: the links in the files are kept, and a difference is a conflict, not an overwrite', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const n = byMarker('ISS-0002')[0].number;
    fs.rmSync(syncStateFile(root, 'github'));
    gh.edit(n, { title: 'Edited on GitHub', labels: ['remote-label'] });
    gh.log.length = 0;
    const s = await sync();
    assert.deepEqual(s.imported, [], 'nothing imported twice');
    assert.deepEqual(s.conflicts.map((c) => [c.localId, c.field, c.local, c.remote]), [['ISS-0002', 'title', 'Wallet payments', 'Edited on GitHub']]);
    assert.equal(gh.issues.get(n)!.title, 'Edited on GitHub');
    assert.equal(frontmatter(file).title, 'Wallet payments');
    // Labels are united: nothing either side has is dropped.
    assert.deepEqual(frontmatter(file).tags, ['remote-label']);
    assert.deepEqual(gh.issues.get(n)!.labels.map((l) => l.name), ['remote-label']);
    assert.equal(gh.issues.size, 3);
  });

  it('without a base, labels of both sides are united on both sides', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0001');
    const n = byMarker('ISS-0001')[0].number;
    fs.rmSync(syncStateFile(root, 'github'));
    editFile(file, [{ key: 'tags', value: ['frontend', 'local-only'] }]);
    gh.edit(n, { labels: ['frontend', 'remote-only'] });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.deepEqual(frontmatter(file).tags, ['frontend', 'local-only', 'remote-only']);
    // Labels on GitHub have no order that means anything.
    assert.deepEqual(gh.issues.get(n)!.labels.map((l) => l.name).sort(), ['frontend', 'local-only', 'remote-only']);
  });

  it('a conflict both sides settle the same way on their own is cleared', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const n = byMarker('ISS-0002')[0].number;
    editFile(file, [{ key: 'title', value: 'Local' }]);
    gh.edit(n, { title: 'Remote' });
    assert.equal((await sync()).conflicts.length, 1);
    editFile(file, [{ key: 'title', value: 'Remote' }]);
    const s = await sync();
    assert.deepEqual(s.conflicts, []);
    assert.equal(frontmatter(file).sync_status, 'synced');
  });

  it('a linked file deleted locally is not brought back by a remote change', async () => {
    await sync();
    const n = byMarker('ISS-0002')[0].number;
    fs.rmSync(issueFile(root, 'ISS-0002'));
    gh.edit(n, { title: 'Changed remotely' });
    const s = await sync();
    assert.deepEqual([s.imported, s.errors], [[], []]);
    assert.ok(!fs.readdirSync(path.join(root, 'tasks', 'issues')).some((f) => f.startsWith('ISS-0004')));
  });

  it('a remote twin carrying the marker of an item linked elsewhere is reported, not imported', async () => {
    await sync();
    gh.add({ title: 'Cart page', body: 'copy\n\n<!-- ai-trackdown:ISS-0001 -->' });
    const s = await sync();
    assert.deepEqual(s.imported, []);
    assert.match(s.errors[0].message, /carries the marker of ISS-0001/);
  });

  it('a refused create (4xx) is an error for that item only', async () => {
    gh.fault({ method: 'POST', status: 422 });
    const s = await sync();
    assert.equal(s.errors.length, 1);
    assert.match(s.errors[0].message, /HTTP 422/);
    assert.equal(gh.issues.size, 2);
    assert.deepEqual((await loadSyncState(root, 'github')).pending, {});
  });
});
