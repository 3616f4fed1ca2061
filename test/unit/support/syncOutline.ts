/**
 * What every sync provider must do the same way, run by each provider's engine suite against its own
 * fake server: one edit on one side moves only that field, a field edited on both sides is a conflict
 * until resolved, a lost create response makes no twin, a lost write response is never sent again over
 * someone else's edit, and a remote edit racing our write survives.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import { SyncSummary } from '../../../src/core/sync/engine';
import { loadSyncState, syncStateFile } from '../../../src/core/sync/state';
import { SyncField } from '../../../src/core/sync/provider';
import { editFile, frontmatter, issueFile } from './syncFiles';

/** A people name of the corpus project, mapped to an account in each suite's provider settings. */
type Person = 'alice' | 'bob';
type Ref = string | number;

/** The suite around the outline: read lazily, after its beforeEach has started the server and copied the project. */
export interface SyncSuite {
  /** The provider id: the state file and the key under `sync:` in the files. */
  id: 'github' | 'jira' | 'linear';
  root(): string;
  sync(): Promise<SyncSummary>;
  /** A run for one item (no listing), as "Sync This Item" makes. */
  syncOnly(localId: string): Promise<SyncSummary>;
  /** A run that must send nothing and change no byte (see quietRun). */
  quiet(): Promise<SyncSummary>;
  resolve(localId: string, field: SyncField, value: unknown): Promise<SyncSummary>;
  server: {
    /** The remote reference of each issue carrying the item's marker (the value under `sync:`). */
    refs(localId: string): Ref[];
    count(): number;
    /** Forget the requests so far. */
    clear(): void;
    /** The writes since clear(), as the server logged them. */
    writes(): unknown[];
    /** The one write a title change of the issue sends, as writes() shows it. */
    titleWrite(ref: Ref, title: string): unknown;
    /** How many creates were sent since clear(). */
    creates(): number;
    title(ref: Ref): string;
    assignee(ref: Ref): Person | undefined;
    setTitle(ref: Ref, title: string): void;
    setAssignee(ref: Ref, who: Person): void;
    /** The next create is made but its response never arrives. */
    loseNextCreateResponse(): void;
    /** Run `fn` once, after our last read of the issue and before our write to it. */
    beforeWrite(ref: Ref, fn: () => void): void;
    /** Run `fn` once, right after the service answered our write to the issue. */
    afterWrite(ref: Ref, fn: () => void): void;
    /** The next write to the issue takes effect but its response never arrives; `then` runs right after. */
    loseNextWriteResponse(ref: Ref, then: () => void): void;
    /** The issue's labels as the service spells them. */
    labels(ref: Ref): string[];
    /** A label added on the service. */
    addLabel(ref: Ref, label: string): void;
  };
}

/**
 * The files after a first sync that met one remote issue made as the suites seed it ("Checkout
 * crashes on Safari", labelled bug, bob's, high priority, in progress, a two-step body): ISS-0001
 * linked to `linked` with its finer local state kept, and the remote issue imported as ISS-0004.
 */
export function assertFirstSyncFiles(t: Pick<SyncSuite, 'id' | 'root'>, linked: Ref, imported: Ref): void {
  const fm = frontmatter(issueFile(t.root(), 'ISS-0001'));
  assert.deepEqual(fm.sync, { [t.id]: linked });
  assert.equal(fm.state, 'ready_for_qa');
  assert.equal(fm.sync_status, 'synced');

  const file = issueFile(t.root(), 'ISS-0004');
  const fm4 = frontmatter(file);
  assert.deepEqual([fm4.title, fm4.tags, fm4.assignee, fm4.priority, fm4.state], ['Checkout crashes on Safari', ['bug'], 'bob', 'high', 'active']);
  assert.deepEqual(fm4.sync, { [t.id]: imported });
  assert.ok(fs.readFileSync(file, 'utf8').endsWith('---\n\nSteps:\n\n1. Open checkout\n2. Pay **now**'));
}

export function syncOutline(t: SyncSuite): void {
  const ref = (localId: string) => {
    const refs = t.server.refs(localId);
    assert.equal(refs.length, 1, `one remote issue carries ${localId}: ${JSON.stringify(refs)}`);
    return refs[0];
  };
  const file = (id: string) => issueFile(t.root(), id);

  it('a local-only edit pushes only that field', async () => {
    await t.sync();
    editFile(file('ISS-0002'), [{ key: 'title', value: 'Wallet payments (Apple Pay first)' }]);
    t.server.clear();
    const s = await t.sync();
    assert.deepEqual([s.pushed, s.pulled, s.errors], [['ISS-0002'], [], []]);
    assert.deepEqual(t.server.writes(), [t.server.titleWrite(ref('ISS-0002'), 'Wallet payments (Apple Pay first)')]);
    assert.equal(t.server.title(ref('ISS-0002')), 'Wallet payments (Apple Pay first)');
    await t.quiet();
  });

  it('a remote-only edit pulls only that field and sends nothing', async () => {
    await t.sync();
    const before = fs.readFileSync(file('ISS-0002'), 'utf8');
    assert.equal(frontmatter(file('ISS-0002')).assignee, 'bob');
    t.server.setAssignee(ref('ISS-0002'), 'alice');
    t.server.clear();
    const s = await t.sync();
    assert.deepEqual([s.pulled, s.pushed, s.errors], [['ISS-0002'], [], []]);
    assert.deepEqual(t.server.writes(), []);
    // Only assignee and updated_date changed in the file.
    const strip = (text: string) => text.replace(/^assignee: .*$/m, '').replace(/^updated_date: .*$/m, '');
    assert.equal(strip(fs.readFileSync(file('ISS-0002'), 'utf8')), strip(before));
    assert.equal(frontmatter(file('ISS-0002')).assignee, 'alice');
    await t.quiet();
  });

  it('the same field changed differently on both sides is a conflict until resolved; resolving with the local value pushes it', async () => {
    await t.sync();
    const f = file('ISS-0002');
    const r = ref('ISS-0002');
    editFile(f, [{ key: 'title', value: 'Local title' }]);
    const before = fs.readFileSync(f, 'utf8');
    t.server.setTitle(r, 'Remote title');
    t.server.clear();
    const s = await t.sync();
    assert.deepEqual(s.conflicts.map((c) => [c.localId, c.field, c.base, c.local, c.remote]), [['ISS-0002', 'title', 'Wallet payments', 'Local title', 'Remote title']]);
    assert.deepEqual(t.server.writes(), []);
    assert.equal(t.server.title(r), 'Remote title');
    // Only sync_status changed in the file.
    assert.equal(fs.readFileSync(f, 'utf8'), before.replace('sync_status: synced', 'sync_status: conflict'));
    assert.equal((await t.sync()).conflicts.length, 1, 'the next run still holds it');

    t.server.clear();
    const resolved = await t.resolve('ISS-0002', 'title', 'Local title');
    assert.deepEqual([resolved.conflicts, resolved.errors], [[], []]);
    assert.deepEqual(t.server.writes(), [t.server.titleWrite(r, 'Local title')]);
    assert.equal(t.server.title(r), 'Local title');
    assert.equal(frontmatter(f).sync_status, 'synced');
    await t.quiet();
  });

  it('a create left pending by a run that stopped after sending it is linked on the next run, not made twice', async () => {
    await t.sync();
    const lost = 'ISS-0002';
    const r = ref(lost);
    // What a run that died right after sending the create leaves: the create recorded as pending, no link anywhere.
    const stateFile = syncStateFile(t.root(), t.id);
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    state.pending[lost] = { startedAt: '2026-12-01T09:59:00.000Z', fields: state.items[lost].base };
    delete state.items[lost];
    fs.writeFileSync(stateFile, JSON.stringify(state));
    editFile(file(lost), [{ key: 'sync', remove: true }]);
    t.server.clear();
    const second = await t.sync();
    assert.deepEqual([second.errors, second.conflicts], [[], []]);
    assert.equal(t.server.creates(), 0);
    assert.equal(t.server.count(), 3);
    assert.deepEqual(frontmatter(file(lost)).sync, { [t.id]: r });
    assert.deepEqual((await loadSyncState(t.root(), t.id)).pending, {});
    await t.quiet();
  });

  it('a create whose response is lost is found again in the same run: linked once, no twin', async () => {
    t.server.loseNextCreateResponse();
    const s = await t.sync();
    assert.deepEqual(s.errors, []);
    assert.equal(t.server.creates(), 3, 'each create was sent once');
    assert.equal(t.server.count(), 3);
    for (const id of ['ISS-0001', 'ISS-0002', 'ISS-0003']) assert.deepEqual(frontmatter(file(id)).sync, { [t.id]: ref(id) });
    assert.deepEqual((await loadSyncState(t.root(), t.id)).pending, {});
  });

  it('a remote item carrying the marker of a local item that lost its link is linked, not made again', async () => {
    await t.sync();
    const r = ref('ISS-0001');
    // As a run that created it and stopped before writing the link (or another run's create) leaves it.
    fs.rmSync(syncStateFile(t.root(), t.id));
    editFile(file('ISS-0001'), [{ key: 'sync', remove: true }]);
    t.server.clear();
    const s = await t.sync();
    assert.deepEqual([s.errors, s.created], [[], []]);
    assert.equal(t.server.creates(), 0);
    assert.deepEqual(frontmatter(file('ISS-0001')).sync, { [t.id]: ref('ISS-0001') });
    assert.equal(ref('ISS-0001'), r);
  });

  it('syncing one item whose remote item another run made links it, not made again', async () => {
    await t.sync();
    fs.rmSync(syncStateFile(t.root(), t.id));
    editFile(file('ISS-0002'), [{ key: 'sync', remove: true }]);
    t.server.clear();
    const s = await t.syncOnly('ISS-0002');
    assert.deepEqual([s.errors, s.created], [[], []]);
    assert.equal(t.server.creates(), 0);
    assert.deepEqual(frontmatter(file('ISS-0002')).sync, { [t.id]: ref('ISS-0002') });
  });

  it('a write whose response is lost is not sent again: a remote edit made meanwhile is a conflict, not overwritten', async () => {
    await t.sync();
    const f = file('ISS-0002');
    const r = ref('ISS-0002');
    editFile(f, [{ key: 'title', value: 'Local title' }]);
    let raced = false;
    t.server.loseNextWriteResponse(r, () => {
      raced = true;
      t.server.setTitle(r, 'Remote title');
    });
    t.server.clear();
    const s = await t.sync();
    assert.ok(raced, 'the response was lost and the remote edit made');
    assert.deepEqual(s.errors, []);
    assert.equal(t.server.title(r), 'Remote title', 'the remote edit is not overwritten');
    assert.deepEqual(t.server.writes(), [t.server.titleWrite(r, 'Local title')], 'the write went out once');
    assert.deepEqual(s.conflicts.map((c) => [c.localId, c.field, c.local, c.remote]), [['ISS-0002', 'title', 'Local title', 'Remote title']]);
    assert.equal(frontmatter(f).title, 'Local title');
    assert.equal(frontmatter(f).sync_status, 'conflict');
  });

  it('a write whose response is lost is made once; the run reads the item again and settles', async () => {
    await t.sync();
    const f = file('ISS-0002');
    const r = ref('ISS-0002');
    editFile(f, [{ key: 'title', value: 'Wallets' }]);
    let lost = false;
    t.server.loseNextWriteResponse(r, () => (lost = true));
    t.server.clear();
    const s = await t.sync();
    assert.ok(lost);
    assert.deepEqual([s.errors, s.conflicts], [[], []]);
    assert.deepEqual(t.server.writes(), [t.server.titleWrite(r, 'Wallets')]);
    assert.equal(t.server.title(r), 'Wallets');
    assert.equal(frontmatter(f).sync_status, 'synced');
    await t.quiet();
  });

  it('a label added remotely between our last read and our write stays, and the local label goes out', async () => {
    await t.sync();
    const f = file('ISS-0002');
    const r = ref('ISS-0002');
    const tags = (frontmatter(f).tags as string[] | undefined) ?? [];
    editFile(f, [{ key: 'tags', value: [...tags, 'ux'] }]);
    let raced = false;
    t.server.beforeWrite(r, () => {
      raced = true;
      t.server.addLabel(r, 'urgent');
    });
    const s = await t.sync();
    assert.ok(raced, 'the remote edit landed during the run');
    assert.deepEqual([s.errors, s.conflicts], [[], []]);
    const remote = t.server.labels(r);
    assert.ok(remote.includes('ux') && remote.includes('urgent'), JSON.stringify(remote));
    assert.deepEqual(frontmatter(f).tags, [...tags, 'ux', 'urgent']);
    await t.quiet();
  });

  it('a remote edit to a field we are writing, landing during our write, is a conflict: neither side is overwritten', async () => {
    await t.sync();
    const f = file('ISS-0002');
    const r = ref('ISS-0002');
    editFile(f, [{ key: 'title', value: 'Local title' }]);
    let raced = false;
    t.server.afterWrite(r, () => {
      raced = true;
      t.server.setTitle(r, 'Remote title');
    });
    const s = await t.sync();
    assert.ok(raced);
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.conflicts.map((c) => [c.localId, c.field, c.local, c.remote]), [['ISS-0002', 'title', 'Local title', 'Remote title']]);
    assert.equal(t.server.title(r), 'Remote title');
    assert.equal(frontmatter(f).title, 'Local title');
  });

  it('a remote edit to another field between our read and our write survives', async () => {
    await t.sync();
    const f = file('ISS-0002');
    const r = ref('ISS-0002');
    editFile(f, [{ key: 'title', value: 'Wallets' }]);
    let raced = false;
    t.server.beforeWrite(r, () => {
      raced = true;
      t.server.setAssignee(r, 'alice');
    });
    const s = await t.sync();
    assert.deepEqual(s.errors, []);
    assert.ok(raced, 'the remote edit landed during the run');
    assert.equal(t.server.title(r), 'Wallets');
    assert.equal(t.server.assignee(r), 'alice');
    assert.equal(frontmatter(f).title, 'Wallets');
    assert.equal(frontmatter(f).assignee, 'alice');
    await t.quiet();
  });
}
