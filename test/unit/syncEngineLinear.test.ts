/**
 * The sync engine with the real Linear provider against the fake Linear GraphQL API, on real project folders.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import { Project } from '../../src/core/index';
import { loadProject } from '../../src/core/project';
import { resolveConflict, runSync, SyncRunOptions } from '../../src/core/sync/engine';
import { LinearProvider } from '../../src/core/sync/linear';
import { loadSyncState } from '../../src/core/sync/state';
import { FileStore } from '../../src/core/sync/store';
import { tempFolders } from './helpers';
import { FakeIssue, FakeLinear, FakeTeam, FakeUser } from './support/fakeLinear';
import { copyProject, editFile, frontmatter, issueFile, issueFiles, quietRun, snapshotTasks } from './support/syncFiles';
import { assertFirstSyncFiles, syncOutline } from './support/syncOutline';

/** The provider's clock; rate-limit resets are set against it. */
const NOW = Date.parse('2026-11-01T12:00:00.000Z');
const WRITES = new Set(['CreateIssue', 'UpdateIssue', 'CreateLabel']);

describe('sync engine against a Linear server', function () {
  const temp = tempFolders();
  let fake: FakeLinear;
  let eng: FakeTeam;
  let alice: FakeUser;
  let bob: FakeUser;
  let root: string;
  let project: Project;
  let waits: number[];

  beforeEach(async () => {
    fake = await FakeLinear.start();
    eng = fake.addTeam('ENG');
    fake.addTeam('OPS');
    alice = fake.addUser('alice', 'alice@example.com');
    bob = fake.addUser('bob', 'bob@example.com');
    root = copyProject(temp('sync-linear'));
    editFile(issueFile(root, 'ISS-0002'), [{ key: 'tags', value: ['payments', 'needs review'] }]);
    project = await loadProject(root);
    waits = [];
  });
  afterEach(() => fake.close());

  const provider = () =>
    new LinearProvider({
      apiUrl: fake.url,
      apiKey: fake.apiKey,
      teamKey: 'ENG',
      users: { alice: 'Alice@Example.com', bob: bob.id },
      http: { attempts: 4, backoffMs: 1, now: () => NOW, sleep: async (ms) => void waits.push(ms), timeoutMs: 3000 },
    });
  const sync = (extra: Partial<SyncRunOptions> = {}) => runSync({ project, provider: provider(), store: new FileStore(project), now: () => new Date('2026-12-01T10:00:00.000Z'), ...extra });
  const byMarker = (id: string): FakeIssue[] => fake.issues.filter((i) => (i.description ?? '').includes(`ai-trackdown:${id}\``));
  const writes = () => fake.calls.filter((c) => WRITES.has(c.operation));
  /** The next run sends nothing and changes no byte. */
  const quiet = () => quietRun(root, () => sync(), { clear: () => void (fake.calls.length = 0), writes });
  const stateName = (i: FakeIssue) => fake.states.find((s) => s.id === i.stateId)!.name;
  const labelNames = (i: FakeIssue) => i.labelIds.map((id) => fake.labels.find((l) => l.id === id)!.name).sort();

  syncOutline({
    id: 'linear',
    root: () => root,
    sync: () => sync(),
    syncOnly: (id) => sync({ only: [id] }),
    quiet: () => quiet(),
    resolve: (localId, field, value) => resolveConflict({ project, provider: provider(), store: new FileStore(project), localId, field, value }),
    server: {
      refs: (id) => byMarker(id).map((i) => i.identifier),
      count: () => fake.issues.length,
      clear: () => void (fake.calls.length = 0),
      writes: () => writes().map((w) => [w.operation, w.variables.input]),
      titleWrite: (_id, title) => ['UpdateIssue', { title }],
      creates: () => fake.operations().filter((o) => o === 'CreateIssue').length,
      title: (id) => fake.issue(String(id))!.title,
      assignee: (id) => ({ [alice.id]: 'alice', [bob.id]: 'bob' } as const)[fake.issue(String(id))!.assigneeId ?? ''],
      setTitle: (id, title) => void fake.edit(String(id), { title }),
      setAssignee: (id, who) => void fake.edit(String(id), { assigneeId: (who === 'alice' ? alice : bob).id }),
      loseNextCreateResponse: () => fake.fail({ kind: 'dropResponse' }, { operation: 'CreateIssue' }),
      beforeWrite: (_id, fn) => fake.before('UpdateIssue', fn),
      afterWrite: (_id, fn) => fake.after('UpdateIssue', fn),
      loseNextWriteResponse: (_id, then) => fake.fail({ kind: 'dropResponse', then }, { operation: 'UpdateIssue' }),
      labels: (id) => labelNames(fake.issue(String(id))!),
      addLabel: (id, name) => {
        const label = fake.labels.find((l) => l.name === name) ?? fake.addLabel(name, eng);
        fake.edit(String(id), { labelIds: [...fake.issue(String(id))!.labelIds, label.id] });
      },
    },
  });

  it('first sync: pushes local issues, imports remote issues, stores the identifiers in the files', async () => {
    const bug = fake.addLabel('bug', eng);
    fake.addIssue(eng, { title: 'Checkout crashes on Safari', description: 'Steps:\n\n1. Open checkout\n2. Pay **now**', labelIds: [bug.id], assigneeId: bob.id, priority: 2, stateId: fake.state(eng, 'In Progress').id });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.created.sort(), ['ISS-0001', 'ISS-0002', 'ISS-0003']);
    assert.deepEqual(s.imported, ['ISS-0004']);
    assert.equal(issueFiles(root).length, 4);

    const cart = byMarker('ISS-0001')[0];
    assert.equal(cart.title, 'Cart page');
    assert.equal(stateName(cart), 'In Progress');
    assert.equal(cart.assigneeId, alice.id);
    assert.equal(cart.priority, 2);
    assert.deepEqual(labelNames(cart), ['frontend']);
    assert.equal(stateName(byMarker('ISS-0003')[0]), 'Canceled');
    assert.deepEqual(labelNames(byMarker('ISS-0002')[0]), ['needs review', 'payments']);

    assertFirstSyncFiles({ id: 'linear', root: () => root }, cart.identifier, 'ENG-1');
    assert.equal(fake.operations().filter((o) => o === 'CreateIssue').length, 3);
  });

  it('a second sync right after sends nothing and changes no byte', async () => {
    const ux = fake.addLabel('needs design', eng);
    fake.addIssue(eng, { title: 'Remote one', description: '# Heading\n\n- a\n- b\n\n`code`  and *em*\n', labelIds: [ux.id], assigneeId: alice.id, priority: 4, stateId: fake.state(eng, 'Done').id });
    fake.addIssue(eng, { title: 'Remote two', description: null, priority: 1, stateId: fake.state(eng, 'Todo').id });
    const first = await sync();
    assert.deepEqual(first.errors, []);
    const s = await quiet();
    assert.deepEqual([s.pulled, s.pushed, s.created, s.imported, s.errors, s.conflicts], [[], [], [], [], [], []]);
    // And a third, after the cursor moved, still nothing.
    await quiet();
  });

  it('a 429 and 5xx mid-run: the run completes, nothing lost or doubled', async () => {
    fake.addIssue(eng, { title: 'Remote', description: 'r' });
    fake.fail({ kind: 'ratelimit429', resetAt: NOW + 2000 }, { operation: 'CreateIssue' });
    fake.fail({ kind: 'status', status: 503 }, { operation: 'GetIssue', times: 2 });
    fake.fail({ kind: 'status', status: 502 }, { operation: 'ListIssues' });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.ok(waits.includes(2000), `waited ${waits}`);
    assert.equal(fake.issues.length, 4);
    for (const id of ['ISS-0001', 'ISS-0002', 'ISS-0003']) assert.equal(byMarker(id).length, 1, id);
    assert.equal(issueFiles(root).length, 4);
    await quiet();
  });

  it('imports every page of the listing', async function () {
    this.timeout(30_000);
    for (let k = 1; k <= 120; k++) fake.addIssue(eng, { title: `Remote ${k}`, description: `Body ${k}` });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.equal(s.imported.length, 120);
    assert.equal(fake.operations().filter((o) => o === 'ListIssues').length, 3);
    const titles = new Set(issueFiles(root).map((f) => frontmatter(issueFile(root, f.slice(0, 8))).title));
    for (let k = 1; k <= 120; k++) assert.ok(titles.has(`Remote ${k}`), `Remote ${k}`);
    const again = await quiet();
    assert.deepEqual([again.imported, again.errors], [[], []]);
  });

  it('local edits of body, labels, state, priority and assignee go out, and the run after sends nothing', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const id = byMarker('ISS-0002')[0].identifier;
    editFile(file, [{ key: 'tags', value: ['payments', 'q4 launch'] }, { key: 'state', value: 'done' }, { key: 'status', value: 'completed' }, { key: 'priority', value: 'critical' }, { key: 'assignee', value: 'unassigned' }], (b) => b.replace('Apple Pay and Google Pay on the payment step', 'Apple Pay, then *Google Pay*:\n\n- [ ] sheet\n- [x] button\n\n> quoted'));
    const s = await sync();
    assert.deepEqual(s.errors, []);
    const issue = fake.issue(id)!;
    assert.equal(stateName(issue), 'Done');
    assert.equal(issue.priority, 1);
    assert.equal(issue.assigneeId, null);
    assert.deepEqual(labelNames(issue), ['payments', 'q4 launch']);
    const again = await quiet();
    assert.deepEqual([again.pulled, again.pushed, again.errors, again.conflicts], [[], [], [], []]);
  });

  it('remote state moves pull the state; a state of the same category keeps the finer local state', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0001');
    const id = byMarker('ISS-0001')[0].identifier;
    fake.edit(id, { title: 'Cart page', stateId: fake.state(eng, 'In Progress').id });
    fake.calls.length = 0;
    await sync();
    assert.deepEqual(writes(), []);
    assert.equal(frontmatter(file).state, 'ready_for_qa');
    const shipped = fake.addLabel('shipped', eng);
    fake.edit(id, { stateId: fake.state(eng, 'Done').id, labelIds: [...fake.issue(id)!.labelIds, shipped.id] });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.equal(frontmatter(file).state, 'done');
    assert.deepEqual(frontmatter(file).tags, ['frontend', 'shipped']);
    await quiet();
  });
  it('a description edited in Linear (CRLF, trailing blank lines) comes in, and the run after sends nothing', async () => {
    await sync();
    const id = byMarker('ISS-0002')[0].identifier;
    const marker = fake.issue(id)!.description!.split('\n').pop()!;
    fake.edit(id, { description: `Rewritten in Linear\r\n\r\n* one\r\n* two  \r\n\r\n\r\n${marker}` });
    const s = await sync();
    assert.deepEqual([s.errors, s.conflicts], [[], []]);
    assert.deepEqual(s.pulled, ['ISS-0002']);
    const again = await quiet();
    assert.deepEqual([again.pulled, again.pushed, again.errors], [[], [], []]);
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
    const carol = fake.addUser('carol', 'carol@example.com');
    const mixed = fake.addLabel('Frontend');
    fake.addIssue(eng, { title: 'No priority', priority: 0, assigneeId: carol.id });
    fake.addIssue(eng, { title: 'Empty', description: '', labelIds: [mixed.id] });
    const first = await sync();
    assert.deepEqual(first.errors, []);
    assert.equal(first.imported.length, 2);
    const s = await quiet();
    assert.deepEqual([s.pulled, s.pushed, s.errors, s.conflicts], [[], [], [], []]);
  });
  it('a workspace label that differs only in case from a local tag is used, and the run after sends nothing', async () => {
    fake.addLabel('Frontend');
    const first = await sync();
    assert.deepEqual(first.errors, []);
    const s = await quiet();
    assert.deepEqual([s.pulled, s.pushed, s.errors, s.conflicts], [[], [], [], []]);
    assert.equal(fake.labels.filter((l) => l.name.toLowerCase() === 'frontend').length, 1);
  });

  it('state changed differently on both sides is a conflict; resolving with the remote value writes the file only', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const id = byMarker('ISS-0002')[0].identifier;
    editFile(file, [{ key: 'state', value: 'won_t_do' }]);
    fake.edit(id, { stateId: fake.state(eng, 'Done').id });
    fake.calls.length = 0;
    const s = await sync();
    assert.deepEqual(s.conflicts.map((c) => [c.field, c.local, c.remote]), [['state', 'won_t_do', 'done']]);
    assert.deepEqual(writes(), []);
    assert.equal(stateName(fake.issue(id)!), 'Done');
    fake.calls.length = 0;
    const resolved = await resolveConflict({ project, provider: provider(), store: new FileStore(project), localId: 'ISS-0002', field: 'state', value: 'done' });
    assert.deepEqual([resolved.conflicts, resolved.errors], [[], []]);
    assert.deepEqual(writes(), []);
    assert.equal(frontmatter(file).state, 'done');
    const before = snapshotTasks(root);
    await sync();
    assert.deepEqual(writes(), []);
    assert.deepEqual(snapshotTasks(root), before);
  });
  it('a create whose response is lost, then edited in Linear before it is found again: the edit is a conflict, not overwritten', async () => {
    let id = '';
    fake.fail({ kind: 'dropResponse', then: () => (id = fake.edit(fake.issues.at(-1)!.identifier, { priority: 4 }).identifier) }, { operation: 'CreateIssue' });
    const s = await sync();
    assert.deepEqual(s.errors, []);
    const lost = /ai-trackdown:([A-Z]+-\d+)/.exec(fake.issue(id)!.description!)![1];
    assert.deepEqual(s.conflicts.map((c) => [c.localId, c.field, c.remote]), [[lost, 'priority', 'low']]);
    assert.equal(fake.issue(id)!.priority, 4);
    assert.equal(fake.issues.length, 3);
    assert.deepEqual((await loadSyncState(root, 'linear')).pending, {});
  });
  it('a label added in Linear comes in beside a local tag matched to a label of other case, which keeps its spelling', async () => {
    fake.addLabel('Frontend');
    await sync();
    const file = issueFile(root, 'ISS-0001');
    const id = byMarker('ISS-0001')[0].identifier;
    const urgent = fake.addLabel('urgent', eng);
    fake.edit(id, { labelIds: [...fake.issue(id)!.labelIds, urgent.id] });
    const s = await sync();
    assert.deepEqual([s.errors, s.conflicts], [[], []]);
    assert.deepEqual(frontmatter(file).tags, ['frontend', 'urgent']);
    await quiet();
  });
  it('a 5xx on an update: the edit is made by this run or the next, once, and nothing else moves', async () => {
    await sync();
    const file = issueFile(root, 'ISS-0002');
    const id = byMarker('ISS-0002')[0].identifier;
    editFile(file, [{ key: 'title', value: 'Wallets' }]);
    fake.fail({ kind: 'status', status: 502 }, { operation: 'UpdateIssue' });
    const s = await sync();
    if (s.errors.length) await sync();
    assert.equal(fake.issue(id)!.title, 'Wallets');
    assert.equal(frontmatter(file).title, 'Wallets');
    fake.calls.length = 0;
    const quiet = await sync();
    assert.deepEqual([quiet.errors, quiet.conflicts], [[], []]);
    assert.deepEqual(writes(), []);
  });
});
