/**
 * One sync per project at a time, across windows and processes: the lock under .ai-trackdown/sync/,
 * a second run that reports the first, a lock left by a dead run taken over, and two real processes
 * syncing one folder against one server at once.
 */
import * as assert from 'assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from '../../src/core/index';
import { loadProject } from '../../src/core/project';
import { resolveConflict, runSync, SyncRunOptions } from '../../src/core/sync/engine';
import { GitHubProvider } from '../../src/core/sync/github';
import { acquireSyncLock, SYNC_LOCK_STALE_MS, syncLockPath, SyncBusyError } from '../../src/core/sync/lock';
import { loadSyncState, syncStateFile } from '../../src/core/sync/state';
import { FileStore } from '../../src/core/sync/store';
import { tempFolders } from './helpers';
import { FakeGitHub } from './support/fakeGitHub';
import { copyProject, editFile, frontmatter, issueFile, issueFiles } from './support/syncFiles';

const CHILD = path.join(__dirname, 'support', 'syncChild.js');

describe('one sync per project at a time', function () {
  const temp = tempFolders();
  let gh: FakeGitHub;
  let root: string;
  let project: Project;

  beforeEach(async () => {
    gh = await new FakeGitHub().start();
    root = copyProject(temp('sync-lock'));
    project = await loadProject(root);
  });
  afterEach(() => gh.stop());

  const provider = () => new GitHubProvider({ apiUrl: gh.url, owner: gh.owner, repo: gh.repo, token: gh.token, http: { backoffMs: 1, timeoutMs: 3000 } });
  const sync = (extra: Partial<SyncRunOptions> = {}) => runSync({ project, provider: provider(), store: new FileStore(project), ...extra });
  const byMarker = (id: string) => [...gh.issues.values()].filter((i) => (i.body ?? '').includes(`<!-- ai-trackdown:${id} -->`));

  it('a run while another holds the lock waits briefly, then says a sync is already running, having sent nothing', async () => {
    const held = await acquireSyncLock(root);
    try {
      const started = Date.now();
      await assert.rejects(sync({ lockWaitMs: 300 }), (e: Error) => e instanceof SyncBusyError && /a sync of this project is already running/i.test(e.message));
      assert.ok(Date.now() - started >= 250, 'it waited before giving up');
      assert.equal(gh.log.length, 0);
      assert.ok(!fs.existsSync(syncStateFile(root, 'github')), 'nothing written');
    } finally {
      await held.release();
    }
    const s = await sync();
    assert.deepEqual(s.errors, []);
    assert.equal(gh.issues.size, 3);
  });

  it('a run waits for one that finishes within its wait, then runs', async () => {
    const held = await acquireSyncLock(root);
    setTimeout(() => void held.release(), 300);
    const s = await sync({ lockWaitMs: 5000 });
    assert.deepEqual(s.errors, []);
    assert.equal(gh.issues.size, 3);
  });

  it('resolving a conflict waits for the lock too', async () => {
    await sync();
    const n = byMarker('ISS-0002')[0].number;
    editFile(issueFile(root, 'ISS-0002'), [{ key: 'title', value: 'Local' }]);
    gh.edit(n, { title: 'Remote' });
    assert.equal((await sync()).conflicts.length, 1);
    const held = await acquireSyncLock(root);
    try {
      gh.log.length = 0;
      await assert.rejects(
        resolveConflict({ project, provider: provider(), store: new FileStore(project), localId: 'ISS-0002', field: 'title', value: 'Local', lockWaitMs: 100 }),
        SyncBusyError,
      );
      assert.equal(gh.log.length, 0);
      assert.equal((await loadSyncState(root, 'github')).conflicts.length, 1);
    } finally {
      await held.release();
    }
  });

  it('the lock is released after a run, also after one that failed as a whole', async () => {
    await sync();
    assert.ok(!fs.existsSync(syncLockPath(root)));
    fs.writeFileSync(syncStateFile(root, 'github'), '{ not json');
    await assert.rejects(sync(), /not valid JSON/);
    assert.ok(!fs.existsSync(syncLockPath(root)));
  });

  it('a lock left behind by a run that died is taken over once it is stale', async () => {
    fs.mkdirSync(syncLockPath(root), { recursive: true });
    const old = new Date(Date.now() - SYNC_LOCK_STALE_MS - 5000);
    fs.utimesSync(syncLockPath(root), old, old);
    const s = await sync({ lockWaitMs: 0 });
    assert.deepEqual(s.errors, []);
    assert.equal(gh.issues.size, 3);
    assert.ok(!fs.existsSync(syncLockPath(root)));
  });

  it('two runs in two processes at once: each remote issue exists once, and each file links to exactly one', async function () {
    this.timeout(60_000);
    gh.add({ title: 'Made on GitHub', body: 'remote' });
    // A server that takes a moment per request, so that the two runs really overlap.
    gh.latencyMs = 25;
    const children = [0, 1].map(() => spawn(process.execPath, [CHILD, root, gh.url, gh.owner, gh.repo, gh.token], { stdio: ['pipe', 'pipe', 'pipe'] }));
    const outputs = children.map(
      (c) =>
        new Promise<{ summary?: { created: string[]; imported: string[]; errors: unknown[] }; error?: string; stderr: string }>((resolve) => {
          let out = '';
          let err = '';
          c.stdout.on('data', (d) => (out += d));
          c.stderr.on('data', (d) => (err += d));
          c.on('close', () => resolve({ ...(out ? JSON.parse(out) : {}), stderr: err }));
        }),
    );
    for (const c of children) c.stdin.write('go\n');
    const results = await Promise.all(outputs);
    for (const r of results) {
      assert.equal(r.stderr, '');
      assert.equal(r.error, undefined);
      assert.deepEqual(r.summary!.errors, []);
    }
    assert.deepEqual(results.flatMap((r) => r.summary!.created).sort(), ['ISS-0001', 'ISS-0002', 'ISS-0003']);
    assert.equal(results.flatMap((r) => r.summary!.imported).length, 1, 'the remote issue was imported once');
    assert.equal(gh.issues.size, 4);
    for (const id of ['ISS-0001', 'ISS-0002', 'ISS-0003']) {
      const remote = byMarker(id);
      assert.equal(remote.length, 1, `one remote issue for ${id}`);
      assert.deepEqual(frontmatter(issueFile(root, id)).sync, { github: remote[0].number });
    }
    const linkedTo1 = issueFiles(root).filter((f) => (frontmatter(path.join(root, 'tasks', 'issues', f)).sync as { github?: number } | undefined)?.github === 1);
    assert.equal(linkedTo1.length, 1, 'one local file for the remote issue');
  });
});
