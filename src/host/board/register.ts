/** The Open Board command, one panel per project, and panels restored after a reload. */
import * as vscode from 'vscode';
import { BOARD_VIEW_TYPE, BoardViewState } from '../../../webview-ui/shared/protocol';
import { COMMANDS } from '../commandIds';
import { CommandTarget, resolveProject } from '../commands/target';
import { TaskWorkspace } from '../workspace';
import { BoardPanel } from './panel';

export interface Boards {
  /** Open (or reveal) the board of the project `arg` points at, asking when that is unclear. */
  open(arg?: CommandTarget): Promise<BoardPanel | undefined>;
  /** The open panels. */
  all(): readonly BoardPanel[];
}

export function registerBoards(context: vscode.ExtensionContext, ws: TaskWorkspace): Boards {
  const panels = new Set<BoardPanel>();
  const track = (panel: vscode.WebviewPanel, root: string) => {
    const board = new BoardPanel(ws, panel, root, context.extensionUri);
    panels.add(board);
    board.onDidDispose(() => panels.delete(board));
    return board;
  };

  const open = async (arg?: CommandTarget) => {
    const project = await resolveProject(ws, arg);
    if (!project) {
      void vscode.window.showInformationMessage('There is no ai-trackdown project in this workspace to show on a board.');
      return undefined;
    }
    const existing = [...panels].find((p) => p.root === project.root);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(BOARD_VIEW_TYPE, 'Board', vscode.ViewColumn.Active, { enableScripts: true });
    return track(panel, project.root);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.openBoard, async (arg?: CommandTarget) => {
      await open(arg);
    }),
    vscode.window.registerWebviewPanelSerializer(BOARD_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: BoardViewState | undefined) {
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
