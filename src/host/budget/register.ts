/** Token budgets in the window: the watcher behind them, the status bar item and the alerts. */
import * as vscode from 'vscode';
import { TaskWorkspace } from '../workspace';
import { BudgetAlerts } from './alerts';
import { registerBudgetPanel } from './panelRegister';
import { BudgetStatusBar } from './statusBar';
import { BudgetWatcher } from './watch';

export interface Budgets {
  readonly watcher: BudgetWatcher;
  readonly statusBar: BudgetStatusBar;
  readonly alerts: BudgetAlerts;
}

export function registerBudgets(context: vscode.ExtensionContext, ws: TaskWorkspace): Budgets {
  const watcher = new BudgetWatcher(ws);
  const statusBar = new BudgetStatusBar(ws, watcher);
  const alerts = new BudgetAlerts(context.workspaceState, watcher);
  context.subscriptions.push(watcher, statusBar, alerts);
  registerBudgetPanel(context, ws, watcher);
  return { watcher, statusBar, alerts };
}
