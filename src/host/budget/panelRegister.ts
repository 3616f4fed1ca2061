/**
 * The Open Token Budgets command (one panel per project, restored after a reload; the command returns
 * the panel, which is how the integration tests reach it).
 */
import * as vscode from 'vscode';
import { BUDGET_VIEW_TYPE } from '../../../webview-ui/shared/protocol';
import { COMMANDS } from '../commandIds';
import { CommandTarget } from '../commands/target';
import { ProjectPanels, registerProjectPanels } from '../webview/projectPanels';
import { TaskWorkspace } from '../workspace';
import { BudgetPanel } from './panel';
import { BudgetWatcher } from './watch';

export type BudgetPanels = ProjectPanels<BudgetPanel>;

export function registerBudgetPanel(context: vscode.ExtensionContext, ws: TaskWorkspace, watcher: BudgetWatcher): BudgetPanels {
  const panels = registerProjectPanels(context, ws, {
    viewType: BUDGET_VIEW_TYPE,
    title: 'Token Budgets',
    noProject: 'There is no ai-trackdown project in this workspace to show token budgets for.',
    create: (panel, root) => new BudgetPanel(ws, watcher, panel, root, context.extensionUri),
  });
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.openBudget, (arg?: CommandTarget) => panels.open(arg)));
  return panels;
}
