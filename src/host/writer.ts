/**
 * The one way the extension changes a task file. Open documents are edited through a WorkspaceEdit
 * (unsaved user edits stay; a clean document is saved after); closed files are written atomically,
 * and only when they still hold exactly the text the change was planned on.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { editFrontmatter, EditError, FrontmatterChange } from '../core/edit';
import { Item } from '../core/model';
import { hashText } from '../core/text';
import { TaskWorkspace } from './workspace';

export class StaleFileError extends Error {}

function openDocument(file: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
}

/**
 * Apply frontmatter changes to an item's file. `item.hash` is the content the caller saw; a closed
 * file that differs from it on disk is refused, never overwritten.
 */
export async function writeChanges(ws: TaskWorkspace, item: Item, changes: readonly FrontmatterChange[]): Promise<void> {
  const doc = openDocument(item.file);
  if (doc) {
    await editDocument(ws, doc, changes);
    return;
  }
  const text = await readText(item.file);
  if (hashText(text) !== item.hash) {
    throw new StaleFileError(`${path.basename(item.file)} changed on disk since it was read; nothing was written. Try again.`);
  }
  const result = editFrontmatter(text, changes);
  await writeAtomic(item.file, text, result.text);
  ws.noteWritten(item.file, result.text);
}

async function editDocument(ws: TaskWorkspace, doc: vscode.TextDocument, changes: readonly FrontmatterChange[]) {
  const wasDirty = doc.isDirty;
  const version = doc.version;
  const { edits } = editFrontmatter(doc.getText(), changes);
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
  if (doc.version !== version) throw new StaleFileError(`${path.basename(doc.fileName)} changed while the edit was prepared; try again.`);
  if (!(await vscode.workspace.applyEdit(we))) throw new EditError(`VS Code refused the edit to ${path.basename(doc.fileName)}.`);
  // A document the user had not touched is saved, so the file on disk (and the CLI) sees the change.
  if (!wasDirty) await doc.save();
  if (!doc.isDirty) ws.noteWritten(doc.uri.fsPath, doc.getText());
}

/**
 * Replace a file's whole text (sync, which changes the body too), but only if it still holds
 * `expected`. A document with unsaved edits is edited through a WorkspaceEdit covering just the
 * changed span, so those edits stay (and stay unsaved); any other file is written atomically, and
 * VS Code reloads a clean open document from the disk. (Saving a clean document right after a
 * change on disk can fail in VS Code with "file modified since", leaving the edit unsaved, so a
 * clean document is never written through.) False when the text changed meanwhile; nothing is
 * written then.
 */
export async function writeText(ws: TaskWorkspace, file: string, expected: string, text: string): Promise<boolean> {
  const doc = openDocument(file);
  if (doc?.isDirty) {
    if (doc.getText() !== expected) return false;
    let start = 0;
    while (start < expected.length && start < text.length && expected[start] === text[start]) start++;
    let end = 0;
    while (end < expected.length - start && end < text.length - start && expected[expected.length - 1 - end] === text[text.length - 1 - end]) end++;
    // Never split a CRLF: editors have no position between its two characters.
    if (start > 0 && expected[start - 1] === '\r') start--;
    if (end > 0 && expected[expected.length - end] === '\n' && expected[expected.length - end - 1] === '\r') end--;
    const we = new vscode.WorkspaceEdit();
    we.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(expected.length - end)), text.slice(start, text.length - end));
    if (doc.getText() !== expected) return false;
    if (!(await vscode.workspace.applyEdit(we))) throw new EditError(`VS Code refused the edit to ${path.basename(file)}.`);
    return true;
  }
  try {
    await writeAtomic(file, expected, text);
  } catch (e) {
    if (e instanceof StaleFileError || (e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  ws.noteWritten(file, text);
  return true;
}

async function readText(file: string): Promise<string> {
  return fs.readFile(file, 'utf8');
}

/** The temp file an atomic write of `file` goes through, beside it: `.<name>.<pid>.<time>.tmp`. */
const tempName = (file: string) => `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`;
/** Names of those temp files: they live only while a write is under way. */
export const TEMP_FILE = /^\..+\.\d+\.\d+\.tmp$/;

/** Write via a temp file and rename, after checking once more that nobody changed the file meanwhile. */
export async function writeAtomic(file: string, expected: string | undefined, text: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, tempName(file));
  let mode: number | undefined;
  try {
    mode = (await fs.stat(file)).mode;
  } catch {
    mode = undefined;
  }
  await fs.writeFile(tmp, text, { encoding: 'utf8', mode: mode ?? 0o644, flag: 'wx' });
  try {
    if (expected !== undefined) {
      const now = await readText(file);
      if (now !== expected) throw new StaleFileError(`${path.basename(file)} changed on disk while it was being written; nothing was written.`);
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** Show an edit failure the way a user can act on it. */
export function reportWriteError(e: unknown): void {
  const msg = e instanceof Error ? e.message : String(e);
  void vscode.window.showErrorMessage(msg);
}
