/** The git repository around a folder, and the few git commands the extension runs, through simple-git. */
import * as path from 'path';
import { simpleGit, SimpleGit } from 'simple-git';

export interface Repo {
  /** The working tree's top folder. */
  root: string;
  /** This working tree's git dir (a linked worktree has its own). */
  gitDir: string;
  git: SimpleGit;
}

export class GitError extends Error {}
/** A switch git refused because local changes would be overwritten; nothing was changed. */
export class BlockedSwitchError extends GitError {}

/** A simple-git instance bound to a folder; `signal` aborts the running git process. */
export function gitAt(dir: string, signal?: AbortSignal): SimpleGit {
  return simpleGit({ baseDir: dir, maxConcurrentProcesses: 4, ...(signal ? { abort: signal } : {}) });
}

/** The repository that contains `dir`, or undefined when it is in none (or git is missing). */
export async function findRepo(dir: string, signal?: AbortSignal): Promise<Repo | undefined> {
  const git = gitAt(dir, signal);
  let out: string;
  try {
    out = await git.raw(['rev-parse', '--show-toplevel', '--absolute-git-dir']);
  } catch {
    return undefined;
  }
  const [root, gitDir] = out.split('\n').map((l) => l.trim());
  if (!root || !gitDir) return undefined;
  return { root: path.resolve(root), gitDir: path.resolve(gitDir), git: root === dir ? git : gitAt(root, signal) };
}

/** The checked-out branch's short name, or undefined when HEAD is detached. */
export async function currentBranch(git: SimpleGit): Promise<string | undefined> {
  try {
    return (await git.raw(['symbolic-ref', '--short', '-q', 'HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** HEAD's commit, or undefined on an unborn branch. */
export async function headCommit(git: SimpleGit): Promise<string | undefined> {
  try {
    return (await git.raw(['rev-parse', '--verify', '-q', 'HEAD^{commit}'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function localBranchExists(git: SimpleGit, name: string): Promise<boolean> {
  const out = await git.raw(['for-each-ref', '--format=%(refname)', `refs/heads/${name}`]);
  return out.split('\n').some((l) => l.trim() === `refs/heads/${name}`);
}

export type SwitchOutcome = 'current' | 'switched' | 'created';

/**
 * Check out `name` (a name checked by refFormatError): stay when it is current, switch when it exists
 * (locally, or as the one remote branch of that name), else create it at HEAD. When local changes
 * would be overwritten git refuses the whole switch; that becomes a BlockedSwitchError.
 */
export async function switchToBranch(git: SimpleGit, name: string): Promise<SwitchOutcome> {
  if ((await currentBranch(git)) === name) return 'current';
  const local = await localBranchExists(git, name);
  // With several remotes holding the name, the first one (sorted) is tracked.
  const remote = local ? '' : (await git.raw(['for-each-ref', '--format=%(refname:short)', `refs/remotes/*/${name}`])).split('\n')[0].trim();
  const args = local ? ['switch', name] : remote ? ['switch', '--track', remote] : ['switch', '-c', name];
  try {
    await git.raw(args);
  } catch (e) {
    const msg = (e as Error).message;
    if (/would be overwritten|commit your changes or stash them|untracked working tree files/i.test(msg)) {
      throw new BlockedSwitchError(`Cannot switch to ${name}: local changes would be overwritten. Commit or stash them first; nothing was changed.\n${gitMessage(msg)}`);
    }
    throw new GitError(`git could not switch to ${name}: ${gitMessage(msg)}`);
  }
  return local || remote ? 'switched' : 'created';
}

/** git's own lines, without simple-git's wrapping. */
export function gitMessage(msg: string): string {
  return msg
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 12)
    .join('\n');
}
