/** Show Task History: the commits that name a task or were made on its branch, in a quick pick. */
import * as vscode from 'vscode';
import { DEFAULT_HISTORY_LIMIT, TaskCommit } from '../../core/git/history';
import { refPattern } from '../../core/git/refs';
import { Item } from '../../core/model';
import { CommandTarget, resolveItem } from '../commands/target';
import { showInfo } from '../notify';
import { plain } from '../plainText';
import { TaskWorkspace } from '../workspace';
import { openCommit } from './commitDocument';
import { GitRepos, requireTrust } from './repos';

export interface HistoryOptions {
  /** false: return the commits without showing anything (programmatic callers, tests). */
  pick?: boolean;
}

/** The commits of an item, newest first; undefined when cancelled. */
export async function itemHistory(ws: TaskWorkspace, repos: GitRepos, item: Item, token?: vscode.CancellationToken): Promise<TaskCommit[] | undefined> {
  const project = ws.index.getProject(item.root);
  if (!project) throw new Error(`${item.id} belongs to no indexed project.`);
  const repo = await repos.requireRepo(item.root);
  const pattern = refPattern(project.config);
  repos.warnConfig(item.root, pattern.error);
  const limit = vscode.workspace.getConfiguration('aiTrackdown').get<number>('git.historyLimit', DEFAULT_HISTORY_LIMIT);
  const query = repos.history(repo).commitsFor(item.id, { pattern: pattern.regex, limit: Math.max(1, Math.floor(limit)) });
  if (!token) return query;
  // The query keeps running into the cache; the caller stops waiting.
  return Promise.race([query, new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)))]);
}

interface CommitPick extends vscode.QuickPickItem {
  commit: TaskCommit;
}

function describe(c: TaskCommit): string {
  const date = new Date(c.date);
  return [c.shortHash, c.author, Number.isNaN(date.getTime()) ? c.date : date.toLocaleString()].join(' · ');
}

export async function showTaskHistory(ws: TaskWorkspace, repos: GitRepos, arg: CommandTarget, opts: HistoryOptions = {}): Promise<TaskCommit[] | undefined> {
  requireTrust();
  const item = await resolveItem(ws, arg, 'Show the history of…');
  if (!item) return undefined;
  const commits = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: plain(`Commits of ${item.id}`), cancellable: true },
    (_, token) => itemHistory(ws, repos, item, token),
  );
  if (!commits || opts.pick === false) return commits;
  if (!commits.length) {
    void showInfo(`No commit names ${item.id}, and no branch carries it.`);
    return commits;
  }
  const repo = await repos.requireRepo(item.root);
  const picked = await vscode.window.showQuickPick<CommitPick>(
    commits.map((c) => ({
      label: `$(git-commit) ${c.subject}`,
      description: describe(c),
      detail: c.via.includes('message') ? undefined : 'made on a branch of this task',
      commit: c,
    })),
    { title: `${item.id} ${item.title}: ${commits.length} commit${commits.length === 1 ? '' : 's'}`, placeHolder: 'Open a commit', matchOnDescription: true },
  );
  if (picked) await openCommit(repo.root, picked.commit.hash, picked.commit.shortHash);
  return commits;
}
