/** Git integration: commands, commit documents, the hierarchy's History nodes and keyword offers; everything waits for workspace trust. */
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { commandRegistrar } from '../commands/register';
import { CommandTarget } from '../commands/target';
import { Trees } from '../trees/register';
import { TaskWorkspace } from '../workspace';
import { registerCommitDocuments } from './commitDocument';
import { HistoryOptions, showTaskHistory } from './history';
import { installCommitHook, uninstallCommitHook } from './hookCommands';
import { KeywordOffers } from './keywordOffers';
import { GitRepos } from './repos';
import { startWork, StartWorkOptions } from './startWork';
import { TreeHistory } from './treeHistory';

export interface GitFeatures {
  readonly repos: GitRepos;
  readonly offers: KeywordOffers;
}

export function registerGit(context: vscode.ExtensionContext, ws: TaskWorkspace, trees: Trees): GitFeatures {
  const repos = new GitRepos(ws);
  const offers = new KeywordOffers(ws, repos);
  const history = new TreeHistory(ws, repos, offers);
  context.subscriptions.push(repos, offers, history);
  trees.setItemHistory(history);
  registerCommitDocuments(context);

  const register = commandRegistrar(context, ws);
  register(COMMANDS.startWork, (arg: CommandTarget, opts?: StartWorkOptions) => startWork(ws, repos, arg, opts));
  register(COMMANDS.showTaskHistory, (arg: CommandTarget, opts?: HistoryOptions) => showTaskHistory(ws, repos, arg, opts));
  register(COMMANDS.installCommitHook, (arg: CommandTarget) => installCommitHook(ws, repos, arg));
  register(COMMANDS.uninstallCommitHook, (arg: CommandTarget) => uninstallCommitHook(ws, repos, arg));

  // Watching starts once the index is built, and only in a trusted workspace (or once trust is granted).
  const start = () => void ws.ready.then(() => offers.sync());
  let last = '';
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(start),
    // A repository made (git init, clone) while the window was open is picked up when it gets focus again.
    vscode.window.onDidChangeWindowState((s) => s.focused && start()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      repos.forget();
      start();
    }),
    ws.index.onDidChange(() => {
      const roots = ws.index.getProjects().map((p) => p.root).sort().join('\0');
      if (roots !== last) {
        last = roots;
        start();
      }
    }),
  );
  start();
  return { repos, offers };
}
