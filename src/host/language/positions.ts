/** Core ranges and text edits as VS Code ones. */
import * as vscode from 'vscode';
import { TextEdit } from '../../core/edit';
import { Range } from '../../core/model';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Offset-based edits planned on a document's current text, as a WorkspaceEdit of that document. */
export function toWorkspaceEdit(doc: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
  return we;
}
