/** The task id under a position of a markdown document, and the items it names. */
import * as vscode from 'vscode';
import { idAt, knownPrefixes, resolveId } from '../../core/idLookup';
import { Item } from '../../core/model';
import { TaskWorkspace } from '../workspace';

export function itemsAt(ws: TaskWorkspace, doc: vscode.TextDocument, position: vscode.Position): { range: vscode.Range; items: Item[] } | undefined {
  const hit = idAt(doc.lineAt(position.line).text, position.character, knownPrefixes(ws.index));
  if (!hit) return undefined;
  const items = resolveId(ws.index, doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined, hit.id);
  if (!items.length) return undefined;
  return { range: new vscode.Range(position.line, hit.start, position.line, hit.end), items };
}
