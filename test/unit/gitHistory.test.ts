import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { defaultConfig } from '../../src/core/config';
import { commitMessages, TaskHistory, taskCommits } from '../../src/core/git/history';
import { refPattern } from '../../src/core/git/refs';
import { BlockedSwitchError, currentBranch, findRepo, gitAt, headCommit, switchToBranch } from '../../src/core/git/repo';
import { headReflogFile, ReflogReader } from '../../src/core/git/reflog';
import { commit, git, initRepo } from './gitRepo';
import { tempFolders } from './helpers';

const pattern = refPattern(defaultConfig('p')).regex;

describe('git: repositories and history', function () {
  this.timeout(30000);
  const temp = tempFolders();

  it('finds the repository around a nested project folder, and none outside', async () => {
    const dir = initRepo(temp('repo'));
    fs.mkdirSync(path.join(dir, 'services', 'billing'), { recursive: true });
    const repo = await findRepo(path.join(dir, 'services', 'billing'));
    assert.equal(repo?.root, dir);
    assert.equal(repo?.gitDir, path.join(dir, '.git'));
    assert.equal(await findRepo(temp('plain')), undefined);
    assert.equal(await headCommit(repo!.git), undefined);
  });

  it('lists the commits naming a task and those made on its branch, newest first', async () => {
    const dir = initRepo(temp('repo'));
    const base = commit(dir, 'Initial layout');
    const c1 = commit(dir, 'TSK-0001: form markup');
    commit(dir, 'Unrelated: TSK-00010 and XTSK-1');
    const c3 = commit(dir, 'Wire submit\n\nPart of tsk-1.');
    git(dir, 'switch', '-q', '-c', 'task/TSK-0001-form-markup');
    const b1 = commit(dir, 'Labels and focus order');
    const b2 = commit(dir, 'Refs TSK-0001 again');
    git(dir, 'switch', '-q', 'main');
    // Another task's branch made from the first one: its own commits are not the first task's.
    git(dir, 'switch', '-q', '-c', 'task/TSK-0002-api', 'task/TSK-0001-form-markup');
    commit(dir, 'Session endpoint');
    git(dir, 'switch', '-q', 'main');

    const commits = await taskCommits(gitAt(dir), 'TSK-0001', { pattern });
    assert.deepEqual(commits.map((c) => c.hash), [b2, b1, c3, c1]);
    assert.deepEqual(commits.map((c) => c.via), [['message', 'branch'], ['branch'], ['message'], ['message']]);
    const top = commits[0];
    assert.equal(top.subject, 'Refs TSK-0001 again');
    assert.equal(top.author, 'Test Author');
    assert.equal(top.email, 'author@example.test');
    assert.equal(top.shortHash, git(dir, 'rev-parse', '--short', b2).trim());
    assert.ok(!Number.isNaN(Date.parse(top.date)));
    assert.ok(!commits.some((c) => c.hash === base));
    const second = await taskCommits(gitAt(dir), 'TSK-0002', { pattern });
    assert.deepEqual(second.map((c) => c.subject), ['Session endpoint']);
    assert.deepEqual(await taskCommits(gitAt(dir), 'TSK-0003', { pattern }), []);
    assert.deepEqual((await taskCommits(gitAt(dir), 'TSK-0001', { pattern, limit: 2 })).map((c) => c.hash), [b2, b1]);
  });

  it('finds a task in a repository with thousands of commits, only what names it', async () => {
    const dir = initRepo(temp('big'));
    // fast-import writes 3,000 commits in one process.
    const lines: string[] = [];
    for (let i = 1; i <= 3000; i++) {
      const msg = i % 500 === 0 ? `Step ${i} for ISS-0042` : `Step ${i}`;
      lines.push(`commit refs/heads/main`, `committer T <t@example.test> ${1_700_000_000 + i} +0000`, `data ${Buffer.byteLength(msg)}`, msg, '');
    }
    const { execFileSync } = await import('child_process');
    execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: lines.join('\n') });
    git(dir, 'reset', '-q', '--hard', 'main');
    const commits = await taskCommits(gitAt(dir), 'ISS-42', { pattern });
    assert.deepEqual(commits.map((c) => c.subject), ['Step 3000 for ISS-0042', 'Step 2500 for ISS-0042', 'Step 2000 for ISS-0042', 'Step 1500 for ISS-0042', 'Step 1000 for ISS-0042', 'Step 500 for ISS-0042']);
  });

  it('caches per task until a ref or HEAD moves', async () => {
    const dir = initRepo(temp('repo'));
    const history = new TaskHistory(gitAt(dir));
    assert.deepEqual(await history.commitsFor('TSK-1', { pattern }), [], 'no commits yet');
    const a = commit(dir, 'TSK-1 first');
    assert.deepEqual((await history.commitsFor('TSK-1', { pattern })).map((c) => c.hash), [a]);
    const first = history.commitsFor('TSK-1', { pattern });
    assert.equal(await first, await history.commitsFor('TSK-1', { pattern }), 'the same answer object while nothing moved');
    const b = commit(dir, 'TSK-1 second');
    assert.deepEqual((await history.commitsFor('TSK-1', { pattern })).map((c) => c.hash), [b, a]);
    git(dir, 'branch', 'task/TSK-1-x');
    git(dir, 'switch', '-q', 'task/TSK-1-x');
    const c = commit(dir, 'on the branch');
    assert.deepEqual((await history.commitsFor('TSK-1', { pattern })).map((x) => x.hash), [c, b, a]);
  });

  it('reads the messages of given commits, skipping hashes that do not exist', async () => {
    const dir = initRepo(temp('repo'));
    const a = commit(dir, 'Fixes TSK-1\n\nbody line');
    const got = await commitMessages(gitAt(dir), [a, 'f'.repeat(40), '--all']);
    assert.deepEqual(got.map((m) => [m.hash, m.subject, m.body.trim()]), [[a, 'Fixes TSK-1', 'Fixes TSK-1\n\nbody line']]);
  });

  it('reports only new commits from the reflog, not checkouts, resets or rebases', async () => {
    const dir = initRepo(temp('repo'));
    const reader = new ReflogReader(headReflogFile(path.join(dir, '.git')));
    assert.deepEqual(await reader.newCommits(), []);
    const a = commit(dir, 'first');
    const b = commit(dir, 'second');
    assert.deepEqual(await reader.newCommits(), [a, b]);
    assert.deepEqual(await reader.newCommits(), []);
    git(dir, 'switch', '-q', '-c', 'other');
    git(dir, 'reset', '-q', '--hard', a);
    const side = commit(dir, 'side work', 'side.txt');
    git(dir, 'switch', '-q', 'main');
    assert.deepEqual(await reader.newCommits(), [side]);
    git(dir, 'commit', '-q', '--amend', '-m', 'second, amended');
    const amended = git(dir, 'rev-parse', 'HEAD').trim();
    // A merge brings in commits made elsewhere; a rebase replays old ones: neither is a new message.
    git(dir, 'merge', '-q', '--no-ff', '-m', 'merge other', 'other');
    git(dir, 'switch', '-q', 'other');
    git(dir, 'rebase', '-q', amended);
    git(dir, 'switch', '-q', 'main');
    assert.deepEqual(await reader.newCommits(), [amended]);
  });

  it('a reader created on an existing reflog starts at its end', async () => {
    const dir = initRepo(temp('repo'));
    commit(dir, 'old');
    const reader = new ReflogReader(headReflogFile(path.join(dir, '.git')));
    assert.deepEqual(await reader.newCommits(), []);
    const n = commit(dir, 'new');
    assert.deepEqual(await reader.newCommits(), [n]);
  });
});

describe('git: switching to a task branch', function () {
  this.timeout(30000);
  const temp = tempFolders();

  it('creates the branch at HEAD, then stays on it, then switches back to it', async () => {
    const dir = initRepo(temp('repo'));
    const head = commit(dir, 'base');
    const g = gitAt(dir);
    assert.equal(await switchToBranch(g, 'task/TSK-1-x'), 'created');
    assert.equal(await currentBranch(g), 'task/TSK-1-x');
    assert.equal(git(dir, 'rev-parse', 'HEAD').trim(), head);
    assert.equal(await switchToBranch(g, 'task/TSK-1-x'), 'current');
    git(dir, 'switch', '-q', 'main');
    assert.equal(await switchToBranch(g, 'task/TSK-1-x'), 'switched');
    assert.equal(await currentBranch(g), 'task/TSK-1-x');
  });

  it('creates a branch in a repository with no commits yet', async () => {
    const dir = initRepo(temp('repo'));
    assert.equal(await switchToBranch(gitAt(dir), 'task/TSK-1-x'), 'created');
    assert.equal(git(dir, 'symbolic-ref', '--short', 'HEAD').trim(), 'task/TSK-1-x');
  });

  it('refuses when local changes would be overwritten, and changes nothing', async () => {
    const dir = initRepo(temp('repo'));
    commit(dir, 'base', 'a.txt');
    git(dir, 'switch', '-q', '-c', 'task/TSK-1-x');
    commit(dir, 'branch change', 'a.txt');
    git(dir, 'switch', '-q', 'main');
    fs.writeFileSync(path.join(dir, 'a.txt'), 'local edit\n');
    const status = git(dir, 'status', '--porcelain');
    await assert.rejects(switchToBranch(gitAt(dir), 'task/TSK-1-x'), (e: Error) => e instanceof BlockedSwitchError && /a\.txt/.test(e.message) && /nothing was changed/.test(e.message));
    assert.equal(git(dir, 'symbolic-ref', '--short', 'HEAD').trim(), 'main');
    assert.equal(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'local edit\n');
    assert.equal(git(dir, 'status', '--porcelain'), status);
  });

  it('tracks a remote branch of that name instead of starting a new one', async () => {
    const upstream = initRepo(temp('up'));
    commit(upstream, 'base');
    git(upstream, 'switch', '-q', '-c', 'task/TSK-3-y');
    const remoteTip = commit(upstream, 'remote work');
    git(upstream, 'switch', '-q', 'main');
    const dir = temp('clone');
    git(dir, 'clone', '-q', upstream, '.');
    assert.equal(await switchToBranch(gitAt(dir), 'task/TSK-3-y'), 'switched');
    assert.equal(git(dir, 'rev-parse', 'HEAD').trim(), remoteTip);
    assert.equal(git(dir, 'rev-parse', '--abbrev-ref', '@{upstream}').trim(), 'origin/task/TSK-3-y');
  });
});
