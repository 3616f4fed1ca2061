/** The Open Board command: one board per project, restored after a reload. */
import * as vscode from 'vscode';
import { BOARD_VIEW_TYPE } from '../../../webview-ui/shared/protocol';
import { COMMANDS } from '../commandIds';
import { CommandTarget } from '../commands/target';
import { ProjectPanels, registerProjectPanels } from '../webview/projectPanels';
import { TaskWorkspace } from '../workspace';
import { BoardPanel } from './panel';

export type Boards = ProjectPanels<BoardPanel>;

export function registerBoards(context: vscode.ExtensionContext, ws: TaskWorkspace): Boards {
  const boards = registerProjectPanels(context, ws, {
    viewType: BOARD_VIEW_TYPE,
    title: 'Board',
    noProject: 'There is no ai-trackdown project in this workspace to show on a board.',
    create: (panel, root) => new BoardPanel(ws, panel, root, context.extensionUri),
  });
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.openBoard, async (arg?: CommandTarget) => {
      await boards.open(arg);
    }),
  );
  return boards;
}
