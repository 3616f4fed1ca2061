/**
 * The one way the extension changes a task file. Open documents are edited through a WorkspaceEdit
 * (unsaved user edits stay; a clean document is saved after); closed files are written by the core's
 * atomic writer, and only when they still hold exactly the bytes the change was planned on.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { replaceFile, StaleFileError } from '../core/atomicWrite';
import { readTextFile } from '../core/fileRule';
import { editFrontmatter, EditError, FrontmatterChange, TextEdit } from '../core/edit';
import { Item } from '../core/model';
import { ItemChanges, unsavedKey } from '../core/ops/plan';
import { hashText } from '../core/text';
import { showError } from './notify';
import { TaskWorkspace } from './workspace';

/** An open document holds unsaved changes to a key an edit would set (or was planned from). */
export class UnsavedChangesError extends Error {}

function openDocument(file: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
}

/**
 * Apply frontmatter changes to an item's file. `item.hash` is the content the caller saw; a closed
 * file that differs from it on disk is refused, never overwritten.
 */
export async function writeChanges(ws: TaskWorkspace, item: Item, changes: readonly FrontmatterChange[], reads?: readonly string[]): Promise<void> {
  await writeItems(ws, [{ item, changes, reads }]);
}

/** An optional change of an operation that could not be written, and why. */
export interface Skipped {
  entry: ItemChanges;
  error: Error;
}

/** One file of an operation, read and edited, ready to write. */
interface Prepared {
  entry: ItemChanges;
  file: string;
  before: string;
  after: string;
  edits: TextEdit[];
  /** The open document it is written through, with its version and dirty state when the edit was planned. */
  doc?: vscode.TextDocument;
  version?: number;
  wasDirty?: boolean;
}

/**
 * Write an operation's changes to several files as one. Every file is read and edited first: a stale
 * file or a failed edit refuses the whole operation before anything is written. Closed files are then
 * written atomically, and open documents change through one WorkspaceEdit, which VS Code undoes as one;
 * when that fails, the closed files are put back. An optional entry that cannot be written is left out
 * instead, and returned.
 */
export async function writeItems(ws: TaskWorkspace, plan: readonly ItemChanges[]): Promise<Skipped[]> {
  const skipped: Skipped[] = [];
  const skipOrThrow = (entry: ItemChanges, error: unknown) => {
    if (!entry.optional) throw error;
    skipped.push({ entry, error: error as Error });
  };
  const prepared = await Promise.allSettled(plan.map((entry) => prepare(ws, entry)));
  const ready: Prepared[] = [];
  prepared.forEach((o, i) => (o.status === 'fulfilled' ? ready.push(o.value) : skipOrThrow(plan[i], o.reason)));

  const closed = ready.filter((p) => !p.doc);
  const results = await Promise.allSettled(closed.map((p) => replaceFile(p.file, p.after, { within: p.entry.item.root, expected: p.before })));
  const written = closed.filter((_, i) => results[i].status === 'fulfilled');
  let edited: Prepared[];
  try {
    results.forEach((r, i) => r.status === 'rejected' && skipOrThrow(closed[i].entry, r.reason));
    edited = await editDocuments(ready.filter((p) => p.doc), skipOrThrow);
  } catch (e) {
    throw await putBack(written, e as Error);
  }
  // A document the user had not touched is saved, so the file on disk (and the CLI) sees the change.
  for (const p of edited) if (!p.wasDirty) await p.doc!.save();
  ws.index.batch(() => {
    for (const p of written) ws.noteWritten(p.file, p.after);
    for (const p of edited) if (!p.doc!.isDirty) ws.noteWritten(p.file, p.doc!.getText());
  });
  return skipped;
}

/** Read a file (the open document's text, or the file on disk checked against the item's hash) and edit it. */
async function prepare(ws: TaskWorkspace, entry: ItemChanges): Promise<Prepared> {
  const file = entry.item.file;
  const doc = openDocument(file);
  if (doc) {
    const before = doc.getText();
    // A clean document holds what the disk holds, until VS Code reloads it after a change made elsewhere
    // (the CLI, an agent, git). Written through in that moment, the edit and its save would put the old
    // text back over that change; and once reloaded, it no longer holds the text the plan was made on.
    if (!doc.isDirty) {
      const disk = stripBom(readTextFile(file, entry.item.root));
      if (hashText(disk) !== entry.item.hash && hashText(`\uFEFF${disk}`) !== entry.item.hash) throw stale(file);
      if (!sameLines(disk, before)) throw stale(file);
    } else {
      // The plan was made on the file as saved: a key the user changed since, unsaved, is theirs to keep.
      const unsaved = ws.index.parse(file, before)?.item?.data;
      const key = unsaved && unsavedKey(entry, unsaved);
      if (key) throw new UnsavedChangesError(`${path.basename(file)} has unsaved changes to \`${key}\`; save or revert them first. Nothing was written.`);
    }
    const { edits, text } = editFrontmatter(before, entry.changes);
    return { entry, file, before, after: text, edits, doc, version: doc.version, wasDirty: doc.isDirty };
  }
  const before = readTextFile(file, entry.item.root);
  if (hashText(before) !== entry.item.hash) throw stale(file);
  const { edits, text } = editFrontmatter(before, entry.changes);
  return { entry, file, before, after: text, edits };
}

const stale = (file: string) => new StaleFileError(`${path.basename(file)} changed on disk since it was read; nothing was written. Try again.`);
/** VS Code keeps a BOM out of a document's text. */
const stripBom = (text: string) => text.replace(/^\uFEFF/, '');
/** The same text but perhaps for line ends: VS Code gives a document of mixed line ends one kind. */
const sameLines = (a: string, b: string) => a === b || a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');

/** Apply the open documents' edits as one WorkspaceEdit (unsaved user edits stay); returns the documents edited. */
async function editDocuments(open: Prepared[], skipOrThrow: (entry: ItemChanges, error: unknown) => void): Promise<Prepared[]> {
  const we = new vscode.WorkspaceEdit();
  const edited: Prepared[] = [];
  for (const p of open) {
    const doc = p.doc!;
    // Typed in while the other files were read or written: the planned offsets no longer fit.
    if (doc.version !== p.version) {
      skipOrThrow(p.entry, new StaleFileError(`${path.basename(p.file)} changed while the edit was prepared; nothing was written. Try again.`));
      continue;
    }
    for (const e of p.edits) we.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
    edited.push(p);
  }
  if (!edited.length || (await vscode.workspace.applyEdit(we))) return edited;
  const refused = new EditError(`VS Code refused the edit to ${edited.map((p) => path.basename(p.file)).join(', ')}.`);
  for (const p of edited) skipOrThrow(p.entry, refused);
  return [];
}

/** Put closed files back as they were after the rest of their operation failed; returns the error to report. */
async function putBack(written: Prepared[], error: Error): Promise<Error> {
  const results = await Promise.allSettled(written.map((p) => replaceFile(p.file, p.before, { within: p.entry.item.root, expected: p.after })));
  const kept = written.filter((_, i) => results[i].status === 'rejected').map((p) => path.basename(p.file));
  if (!kept.length) return error;
  return new StaleFileError(`${error.message} ${kept.join(', ')} changed again meanwhile and could not be put back as it was.`);
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
export async function writeText(ws: TaskWorkspace, root: string, file: string, expected: string, text: string): Promise<boolean> {
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
    await replaceFile(file, text, { within: root, expected });
  } catch (e) {
    if (e instanceof StaleFileError || (e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  ws.noteWritten(file, text);
  return true;
}

/** Show an edit failure the way a user can act on it. */
export function reportWriteError(e: unknown): void {
  const msg = e instanceof Error ? e.message : String(e);
  void showError(msg);
}
