import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { HOOK_MARKER, hookState, installHook, postCommitHookPath, takeRecordedCommits, uninstallHook } from '../../src/core/git/hook';
import { gitAt } from '../../src/core/git/repo';
import { commit, git, initRepo } from './gitRepo';
import { tempFolders } from './helpers';

describe('git: post-commit hook', function () {
  this.timeout(30000);
  const temp = tempFolders();

  it('installs an executable hook that records each real commit, read and cleared once', async () => {
    const dir = initRepo(temp('repo'));
    const file = await postCommitHookPath(gitAt(dir), dir);
    assert.equal(file, path.join(dir, '.git', 'hooks', 'post-commit'));
    assert.equal(await installHook(file), 'installed');
    assert.equal(fs.statSync(file).mode & 0o111, 0o111);
    assert.equal(await hookState(file), 'ours');
    // commit() passes --no-verify, which skips pre-commit hooks but still runs post-commit.
    const a = commit(dir, 'first');
    const b = commit(dir, 'second');
    assert.deepEqual(await takeRecordedCommits(path.join(dir, '.git')), [a, b]);
    assert.deepEqual(await takeRecordedCommits(path.join(dir, '.git')), []);
    assert.equal(git(dir, 'status', '--porcelain', '--untracked-files=all'), '', 'recording leaves the working tree clean');
  });

  it('respects core.hooksPath, and a second install only refreshes it', async () => {
    const dir = initRepo(temp('repo'));
    git(dir, 'config', 'core.hooksPath', 'tools/hooks');
    const file = await postCommitHookPath(gitAt(dir), dir);
    assert.equal(file, path.join(dir, 'tools', 'hooks', 'post-commit'));
    assert.equal(await installHook(file), 'installed');
    assert.equal(await installHook(file), 'updated');
    const a = commit(dir, 'first');
    assert.deepEqual(await takeRecordedCommits(path.join(dir, '.git')), [a]);
  });

  it('never touches a foreign hook, on install or uninstall', async () => {
    const dir = initRepo(temp('repo'));
    const file = await postCommitHookPath(gitAt(dir), dir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const foreign = '#!/bin/sh\necho theirs >> "$(git rev-parse --git-dir)/theirs"\n';
    fs.writeFileSync(file, foreign, { mode: 0o755 });
    await assert.rejects(installHook(file), /was not installed by AI Trackdown/);
    await assert.rejects(uninstallHook(file), /was not installed by AI Trackdown/);
    assert.equal(fs.readFileSync(file, 'utf8'), foreign);
    assert.equal(await hookState(file), 'foreign');
  });

  it('uninstalls its own hook; commits are no longer recorded', async () => {
    const dir = initRepo(temp('repo'));
    const file = await postCommitHookPath(gitAt(dir), dir);
    await installHook(file);
    assert.ok(fs.readFileSync(file, 'utf8').includes(HOOK_MARKER));
    assert.equal(await uninstallHook(file), 'removed');
    assert.equal(await uninstallHook(file), 'absent');
    assert.ok(!fs.existsSync(file));
    commit(dir, 'after');
    assert.deepEqual(await takeRecordedCommits(path.join(dir, '.git')), []);
  });

  it('records commits of a linked worktree in that worktree\'s git dir', async () => {
    const dir = initRepo(temp('repo'));
    commit(dir, 'base');
    await installHook(await postCommitHookPath(gitAt(dir), dir));
    const wt = path.join(temp('wt'), 'tree');
    git(dir, 'worktree', 'add', '-q', '-b', 'side', wt);
    const c = commit(wt, 'in the worktree');
    const wtGitDir = git(wt, 'rev-parse', '--absolute-git-dir').trim();
    assert.deepEqual(await takeRecordedCommits(wtGitDir), [c]);
    assert.deepEqual(await takeRecordedCommits(path.join(dir, '.git')), []);
  });
});
