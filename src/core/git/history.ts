/**
 * The commits of a task: those whose message names its id, and those made on a branch whose name
 * carries it. One `git log` per kind and task, bounded, cached until any ref (or HEAD) moves.
 */
import { createHash } from 'crypto';
import { SimpleGit } from 'simple-git';
import { extractTaskRefs, grepFor, namesTask, refKey, RefRegex } from './refs';

export interface TaskCommit {
  hash: string;
  shortHash: string;
  subject: string;
  author: string;
  email: string;
  /** Author date, ISO 8601. */
  date: string;
  /** Why it belongs to the task: its message names the id, and/or it was made on such a branch. */
  via: ('message' | 'branch')[];
}

const FIELD = '\x1f';
const RECORD = '\x1e';
const FORMAT = `--format=%H${FIELD}%h${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%ct${FIELD}%B${RECORD}`;
export const DEFAULT_HISTORY_LIMIT = 200;

interface Parsed extends TaskCommit {
  time: number;
  body: string;
}

function parseLog(out: string): Parsed[] {
  const commits: Parsed[] = [];
  for (const rec of out.split(RECORD)) {
    const f = rec.replace(/^\n/, '').split(FIELD);
    if (f.length < 7 || !/^[0-9a-f]{7,64}$/.test(f[0])) continue;
    const body = f.slice(6).join(FIELD);
    commits.push({
      hash: f[0],
      shortHash: f[1],
      author: f[2],
      email: f[3],
      date: f[4],
      time: Number(f[5]),
      body,
      subject: body.split('\n')[0].trim(),
      via: [],
    });
  }
  return commits;
}

export interface HistoryOptions {
  /** The project's ref pattern (refs.ts refPattern). */
  pattern: RefRegex;
  limit?: number;
}

/** Per repository: the history of each task asked for, valid while the refs stay where they were. */
export class TaskHistory {
  private stamp: string | undefined;
  private readonly cache = new Map<string, Promise<TaskCommit[]>>();

  constructor(private readonly git: SimpleGit) {}

  /** Forget everything (HEAD moved, a branch was made). */
  invalidate(): void {
    this.stamp = undefined;
    this.cache.clear();
  }

  /** The task's commits, newest first. */
  async commitsFor(id: string, opts: HistoryOptions): Promise<TaskCommit[]> {
    const key = refKey(id);
    if (!key) return [];
    const stamp = await this.refsStamp();
    if (stamp !== this.stamp) {
      this.cache.clear();
      this.stamp = stamp;
    }
    if (stamp === '') return [];
    const cacheKey = `${key}\0${String(opts.pattern)}\0${opts.limit ?? DEFAULT_HISTORY_LIMIT}`;
    let hit = this.cache.get(cacheKey);
    if (!hit) {
      hit = taskCommits(this.git, id, opts);
      this.cache.set(cacheKey, hit);
      hit.catch(() => this.cache.delete(cacheKey));
    }
    return hit;
  }

  /** All refs and HEAD with their commits, hashed: '' in a repository with no commits yet. */
  private async refsStamp(): Promise<string> {
    let out: string;
    try {
      out = await this.git.raw(['show-ref', '--head']);
    } catch {
      return '';
    }
    return createHash('sha1').update(out).digest('hex');
  }
}

/** Uncached: both queries, merged, newest first, at most `limit`. */
export async function taskCommits(git: SimpleGit, id: string, opts: HistoryOptions): Promise<TaskCommit[]> {
  const limit = opts.limit ?? DEFAULT_HISTORY_LIMIT;
  const [byMessage, byBranch] = await Promise.all([messageCommits(git, id, opts.pattern, limit), branchCommits(git, id, opts.pattern, limit)]);
  const all = new Map<string, Parsed>();
  for (const c of byMessage) all.set(c.hash, { ...c, via: ['message'] });
  for (const c of byBranch) {
    const seen = all.get(c.hash);
    if (seen) seen.via.push('branch');
    else all.set(c.hash, { ...c, via: ['branch'] });
  }
  return [...all.values()]
    .sort((a, b) => b.time - a.time)
    .slice(0, limit)
    .map(({ time: _t, body: _b, ...c }) => c);
}

/** Commits on any branch, tag or remote whose message names the id; git prefilters, the pattern decides. */
async function messageCommits(git: SimpleGit, id: string, pattern: RefRegex, limit: number): Promise<Parsed[]> {
  const out = await git.raw(['log', '--exclude=refs/stash', '--all', '-E', '-i', `--grep=${grepFor(id)}`, `--max-count=${limit * 2}`, FORMAT]);
  return parseLog(out).filter((c) => namesTask(c.body, id, pattern)).slice(0, limit);
}

/**
 * Commits reachable from the branches (local or remote) whose name carries the id, minus the history
 * they started from: what is reachable from the other branches. Another task's branch that was made
 * from this one (it contains this branch's tip) does not count as "other": it holds this task's work.
 * Once a task branch is merged and deleted its commits are found by their messages only.
 */
async function branchCommits(git: SimpleGit, id: string, pattern: RefRegex, limit: number): Promise<Parsed[]> {
  const key = refKey(id);
  const refs = (await git.raw(['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes'])).split('\n').filter((r) => r && !r.endsWith('/HEAD'));
  const short = (r: string) => r.replace(/^refs\/(heads|remotes)\//, '');
  const named = (r: string) => extractTaskRefs(short(r), pattern);
  const carrying = refs.filter((r) => named(r).some((x) => refKey(x) === key));
  if (!carrying.length) return [];
  const otherTasks = refs.filter((r) => !carrying.includes(r) && named(r).length > 0);
  const descendants = otherTasks.length
    ? (await git.raw(['for-each-ref', '--format=%(refname)', ...carrying.flatMap((r) => ['--contains', r]), 'refs/heads', 'refs/remotes'])).split('\n')
    : [];
  const kept = [...carrying, ...otherTasks.filter((r) => descendants.includes(r))];
  const except = (prefix: string) => kept.filter((r) => r.startsWith(prefix)).map((r) => `--exclude=${short(r)}`);
  const out = await git.raw(['log', `--max-count=${limit}`, FORMAT, ...carrying, '--not', ...except('refs/heads/'), '--branches', ...except('refs/remotes/'), '--remotes', '--']);
  return parseLog(out);
}

/** The commits among `hashes` that exist, with their messages (for keyword transitions). */
export async function commitMessages(git: SimpleGit, hashes: readonly string[]): Promise<{ hash: string; shortHash: string; subject: string; body: string }[]> {
  const valid = [...new Set(hashes.filter((h) => /^[0-9a-f]{40,64}$/.test(h)))];
  if (!valid.length) return [];
  // A hash that no longer exists (rewritten history) is skipped, not an error for the others.
  const out = await git.raw(['log', '--no-walk=unsorted', '--ignore-missing', FORMAT, ...valid, '--']);
  return parseLog(out).map(({ hash, shortHash, subject, body }) => ({ hash, shortHash, subject, body }));
}
