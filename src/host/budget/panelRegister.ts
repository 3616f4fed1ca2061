/**
 * The Open Token Budgets command (one panel per project; the command returns the panel, which is how
 * the integration tests reach it), and panels restored after a reload.
 */
import * as vscode from 'vscode';
import { BUDGET_VIEW_TYPE, BudgetViewState } from '../../../webview-ui/shared/protocol';
import { COMMANDS } from '../commandIds';
import { CommandTarget, resolveProject } from '../commands/target';
import { TaskWorkspace } from '../workspace';
import { BudgetPanel } from './panel';
import { BudgetWatcher } from './watch';

export interface BudgetPanels {
  open(arg?: CommandTarget): Promise<BudgetPanel | undefined>;
  all(): readonly BudgetPanel[];
}

export function registerBudgetPanel(context: vscode.ExtensionContext, ws: TaskWorkspace, watcher: BudgetWatcher): BudgetPanels {
  const panels = new Set<BudgetPanel>();
  const track = (panel: vscode.WebviewPanel, root: string) => {
    const p = new BudgetPanel(ws, watcher, panel, root, context.extensionUri);
    panels.add(p);
    p.onDidDispose(() => panels.delete(p));
    return p;
  };

  const open = async (arg?: CommandTarget) => {
    const project = await resolveProject(ws, arg);
    if (!project) {
      void vscode.window.showInformationMessage('There is no ai-trackdown project in this workspace to show token budgets for.');
      return undefined;
    }
    const existing = [...panels].find((p) => p.root === project.root);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(BUDGET_VIEW_TYPE, 'Token Budgets', vscode.ViewColumn.Active, { enableScripts: true });
    return track(panel, project.root);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.openBudget, (arg?: CommandTarget) => open(arg)),
    vscode.window.registerWebviewPanelSerializer(BUDGET_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: BudgetViewState | undefined) {
        await ws.ready;
        const root = state?.root && ws.index.getProject(state.root) ? state.root : ws.index.getProjects()[0]?.root;
        if (!root) {
          panel.dispose();
          return;
        }
        track(panel, root);
      },
    }),
    { dispose: () => [...panels].forEach((p) => p.dispose()) },
  );
  return { open, all: () => [...panels] };
}
