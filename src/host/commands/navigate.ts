/** Open a task file, Go to Task, and Delete (to the trash, after a confirmation). */
import * as path from 'path';
import * as vscode from 'vscode';
import { showWarning } from '../notify';
import { TaskWorkspace } from '../workspace';
import { CommandTarget, pickItem, resolveItem, typeName } from './target';

export async function openItem(ws: TaskWorkspace, arg: CommandTarget, preview = true): Promise<vscode.TextEditor | undefined> {
  const item = await resolveItem(ws, arg, 'Open…');
  if (!item) return undefined;
  return vscode.window.showTextDocument(vscode.Uri.file(item.file), { preview });
}

export async function goToTask(ws: TaskWorkspace): Promise<vscode.TextEditor | undefined> {
  const item = await pickItem(ws, 'Go to Task', () => true);
  return item ? vscode.window.showTextDocument(vscode.Uri.file(item.file), { preview: false }) : undefined;
}

/**
 * Returns true when the file was deleted. `confirmed` skips the first question: 'trash' as if the user
 * said "Move to Trash", 'permanent' to delete for good (for callers that asked already).
 */
export async function deleteItem(ws: TaskWorkspace, arg: CommandTarget, confirmed?: 'trash' | 'permanent'): Promise<boolean> {
  const item = await resolveItem(ws, arg, 'Delete…');
  if (!item) return false;
  const kids = ws.index.children(item).length;
  if (!confirmed) {
    const detail = [
      `${path.relative(item.root, item.file)} will be moved to the trash.`,
      kids ? `Its ${kids} child item${kids === 1 ? '' : 's'} will be left without a parent.` : '',
    ].filter(Boolean).join(' ');
    const ok = await showWarning(`Delete ${typeName(item.type)} ${item.id} "${item.title}"?`, { modal: true, detail }, 'Move to Trash');
    if (ok !== 'Move to Trash') return false;
  }
  const uri = vscode.Uri.file(item.file);
  if (confirmed !== 'permanent') {
    try {
      await vscode.workspace.fs.delete(uri, { useTrash: true });
      ws.noteRemoved(item.file);
      return true;
    } catch (e) {
      // Remote and web hosts have no trash: only delete for good if the user says so.
      const again = await showWarning(
        `${item.id} cannot be moved to the trash here (${(e as Error).message}). Delete it permanently?`,
        { modal: true },
        'Delete Permanently',
      );
      if (again !== 'Delete Permanently') return false;
    }
  }
  await vscode.workspace.fs.delete(uri, { useTrash: false });
  ws.noteRemoved(item.file);
  return true;
}
