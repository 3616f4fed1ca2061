/** Activation: build the index, register views, language features and commands; return a small API. */
import * as vscode from 'vscode';
import { TaskIndex } from '../core/index';
import { registerAiContext } from './aiContext';
import { Boards, registerBoards } from './board/register';
import { Budgets, registerBudgets } from './budget/register';
import { registerCommands } from './commands/register';
import { registerConfigDiagnostics } from './configDiagnostics';
import { registerDiagnostics } from './diagnostics';
import { GitFeatures, registerGit } from './git/register';
import { registerLanguageFeatures } from './language/register';
import { registerLlms } from './llms';
import { registerSync, SyncView } from './sync/register';
import { registerTerminal, TerminalCli } from './terminal';
import { registerTrees } from './trees/register';
import { TaskWorkspace } from './workspace';

/**
 * Any other extension can get this object (`vscode.extensions.getExtension(…).exports`): it must hold no
 * secret, and nothing from which the secret storage, a GitHub session or the extension context can be
 * reached (an integration test walks it).
 */
export interface AiTrackdownApi {
  readonly index: TaskIndex;
  /** Resolves when the current index build is complete. */
  ready(): Promise<void>;
  /** The data provider behind one of the extension's tree views (see package.json `views`). */
  treeProvider(viewId: string): vscode.TreeDataProvider<unknown> | undefined;
  /** The kanban boards: open one, list the open ones. */
  readonly boards: Boards;
  /** Token usage against budgets: the watcher, the status bar item, the alerts. */
  readonly budgets: Budgets;
  /** Git integration: repositories of projects, task history, keyword transition offers. */
  readonly git: GitFeatures;
  /** Sync with GitHub, Jira and Linear: what its status bar item shows. */
  readonly sync: SyncView;
  /** The `trackdown` command line on the integrated terminals' PATH. */
  readonly terminal: TerminalCli;
}

export function activate(context: vscode.ExtensionContext): AiTrackdownApi {
  const log = vscode.window.createOutputChannel('AI Trackdown', { log: true });
  const ws = new TaskWorkspace(log);
  context.subscriptions.push(log, ws);
  const trees = registerTrees(context, ws);
  const budgets = registerBudgets(context, ws);
  registerDiagnostics(context, ws, budgets.watcher);
  registerConfigDiagnostics(context, ws);
  registerLanguageFeatures(context, ws);
  registerCommands(context, ws, trees);
  const boards = registerBoards(context, ws);
  registerAiContext(context, ws);
  registerLlms(context, ws);
  const git = registerGit(context, ws, trees);
  const sync = registerSync(context, ws);
  const terminal = registerTerminal(context, ws);
  return {
    index: ws.index,
    ready: () => ws.ready,
    treeProvider: (id) => trees.provider(id) as vscode.TreeDataProvider<unknown> | undefined,
    boards,
    budgets,
    git,
    sync,
    terminal,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
