/**
 * The one way the extension changes a task file. Open documents are edited through a WorkspaceEdit
 * (unsaved user edits stay; a clean document is saved after); closed files are written by the core's
 * atomic writer, and only when they still hold exactly the bytes the change was planned on.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { createFile, replaceIfUnchanged, StaleFileError, writeIfUnchanged } from '../core/atomicWrite';
import { readTextFile } from '../core/fileRule';
import { EditError } from '../core/edit';
import { ItemChanges, unsavedKey } from '../core/ops/plan';
import { edited, ItemWriter, Prepared, prepareFromDisk, staleError, writePlan } from '../core/ops/writer';
import { hashText } from '../core/text';
import { showError } from './notify';
import { TaskWorkspace } from './workspace';

/** An open document holds unsaved changes to a key an edit would set (or was planned from). */
export class UnsavedChangesError extends Error {}

function openDocument(file: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
}

/** One file of an operation, read and edited, with the open document it is written through, if any. */
interface HostPrepared extends Prepared {
  doc?: vscode.TextDocument;
  /** The document's version and dirty state when the edit was planned. */
  version?: number;
  wasDirty?: boolean;
}

/**
 * The editor's writer (core/ops/writer.ts has the rules both writers share). Closed files are written
 * atomically; open documents change through one WorkspaceEdit, which VS Code undoes as one, and a
 * clean one is saved after; the index learns each text at once.
 */
export function hostWriter(ws: TaskWorkspace): ItemWriter {
  return {
    async writeItems(plan) {
      const { skipped, written, other } = await writePlan<HostPrepared>(plan, {
        prepare: (entry) => prepare(ws, entry),
        elsewhere: { holds: (p) => !!p.doc, write: editDocuments },
      });
      // A document the user had not touched is saved, so the file on disk (and the CLI) sees the change.
      for (const p of other) if (!p.wasDirty) await p.doc!.save();
      ws.index.batch(() => {
        for (const p of written) ws.noteWritten(p.file, p.after);
        for (const p of other) if (!p.doc!.isDirty) ws.noteWritten(p.file, p.doc!.getText());
      });
      return skipped;
    },
    async createFile(root, file, text) {
      const made = await createFile(file, text, { within: root });
      if (made) ws.noteWritten(file, text);
      return made;
    },
    writeFile: (root, file, before, text) => writeIfUnchanged(file, before, text, { within: root }),
  };
}

/** Read a file (the open document's text, or the file on disk checked against the item's hash) and edit it. */
async function prepare(ws: TaskWorkspace, entry: ItemChanges): Promise<HostPrepared> {
  const file = entry.item.file;
  const doc = openDocument(file);
  if (!doc) return prepareFromDisk(entry);
  const before = doc.getText();
  // A clean document holds what the disk holds, until VS Code reloads it after a change made elsewhere
  // (the CLI, an agent, git). Written through in that moment, the edit and its save would put the old
  // text back over that change; and once reloaded, it no longer holds the text the plan was made on.
  if (!doc.isDirty) {
    const disk = stripBom(readTextFile(file, entry.item.root));
    if (hashText(disk) !== entry.item.hash && hashText(`\uFEFF${disk}`) !== entry.item.hash) throw staleError(file);
    if (!sameLines(disk, before)) throw staleError(file);
  } else {
    // The plan was made on the file as saved: a key the user changed since, unsaved, is theirs to keep.
    const unsaved = ws.index.parse(file, before)?.item?.data;
    const key = unsaved && unsavedKey(entry, unsaved);
    if (key) throw new UnsavedChangesError(`${path.basename(file)} has unsaved changes to \`${key}\`; save or revert them first. Nothing was written.`);
  }
  return { entry, file, before, ...edited(entry, before), doc, version: doc.version, wasDirty: doc.isDirty };
}

/** VS Code keeps a BOM out of a document's text. */
const stripBom = (text: string) => text.replace(/^\uFEFF/, '');
/** The same text but perhaps for line ends: VS Code gives a document of mixed line ends one kind. */
const sameLines = (a: string, b: string) => a === b || a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');

/** Apply the open documents' edits as one WorkspaceEdit (unsaved user edits stay); returns the documents edited. */
async function editDocuments(open: HostPrepared[], fail: (entry: ItemChanges, error: unknown) => void): Promise<HostPrepared[]> {
  const we = new vscode.WorkspaceEdit();
  const edited: HostPrepared[] = [];
  for (const p of open) {
    const doc = p.doc!;
    // Typed in while the other files were read or written: the planned offsets no longer fit.
    if (doc.version !== p.version) {
      fail(p.entry, new StaleFileError(`${path.basename(p.file)} changed while the edit was prepared; nothing was written. Try again.`));
      continue;
    }
    for (const e of p.edits) we.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
    edited.push(p);
  }
  if (!edited.length || (await vscode.workspace.applyEdit(we))) return edited;
  const refused = new EditError(`VS Code refused the edit to ${edited.map((p) => path.basename(p.file)).join(', ')}.`);
  for (const p of edited) fail(p.entry, refused);
  return [];
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
  if (!(await replaceIfUnchanged(file, expected, text, { within: root }))) return false;
  ws.noteWritten(file, text);
  return true;
}

/** Show an edit failure the way a user can act on it. */
export function reportWriteError(e: unknown): void {
  const msg = e instanceof Error ? e.message : String(e);
  void showError(msg);
}
