/** Real git repositories in temp folders for the git tests: init, local identity, commits, branches. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// The user's global config (signing, hooks, templates) must not change what the tests see.
const ENV: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
delete ENV.GIT_AUTHOR_DATE;
delete ENV.GIT_COMMITTER_DATE;

/** Run git in `dir` and return its stdout; a failure throws with git's stderr. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: ENV,
  });
}

export function initRepo(dir: string): string {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test Author');
  git(dir, 'config', 'user.email', 'author@example.test');
  git(dir, 'config', 'commit.gpgsign', 'false');
  return dir;
}

let tick = 0;
/** A commit touching one file, with distinct, increasing dates so that the order is known. */
export function commit(dir: string, message: string, file = 'notes.txt'): string {
  const p = path.join(dir, file);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.appendFileSync(p, `${message}\n`);
  git(dir, 'add', '--', file);
  tick++;
  const date = new Date(Date.UTC(2026, 0, 1) + tick * 60_000).toISOString();
  execFileSync('git', ['commit', '-q', '--no-verify', '-F', '-'], {
    cwd: dir,
    input: message,
    env: { ...ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** Is `name` a valid branch name according to git itself? */
export function gitAcceptsBranch(name: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
