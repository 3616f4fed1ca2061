/** Initialize ai-trackdown Project: the files `aitrackdown init` writes, never overwriting one that exists. */
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { createFile } from '../../core/atomicWrite';
import { CONFIG_FILE } from '../../core/config';
import { scaffoldFiles } from '../../core/scaffold';
import { showInfo, showWarning } from '../notify';
import { TaskWorkspace } from '../workspace';

/** Returns the project root initialized, or undefined. `name` skips the question. */
export async function initProject(ws: TaskWorkspace, folderArg?: vscode.Uri | string, name?: string): Promise<string | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  let root = typeof folderArg === 'string' ? folderArg : folderArg?.fsPath;
  if (!root) {
    if (!folders.length) {
      void showWarning('Open a folder first: the project is created inside it.');
      return undefined;
    }
    root = folders.length === 1
      ? folders[0].uri.fsPath
      : (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Initialize ai-trackdown in which folder?' }))?.uri.fsPath;
    if (!root) return undefined;
  }
  const config = path.join(root, CONFIG_FILE);
  if (await fs.stat(config).then(() => true, () => false)) {
    void showInfo(`${path.basename(root)} is already an ai-trackdown project.`);
    await vscode.window.showTextDocument(vscode.Uri.file(config));
    return undefined;
  }
  name ??= await vscode.window.showInputBox({
    title: 'Initialize ai-trackdown Project',
    prompt: 'Project name',
    value: path.basename(root),
    validateInput: (v) => (v.trim() ? undefined : 'A name is needed.'),
  });
  if (!name?.trim()) return undefined;

  const skipped: string[] = [];
  for (const f of scaffoldFiles(name.trim())) {
    if (!(await createFile(path.join(root, ...f.path.split('/')), f.text, { within: root }))) skipped.push(f.path);
  }
  await ws.rescan();
  const note = skipped.length ? ` Kept the existing ${skipped.join(', ')}.` : '';
  void showInfo(`Initialized ai-trackdown project "${name.trim()}".${note}`);
  return root;
}
