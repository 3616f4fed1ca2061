/** Go to definition on a task id: the file of the item it names (every file, for a duplicate id). */
import * as vscode from 'vscode';
import { idKey } from '../../core/model';
import { TaskWorkspace } from '../workspace';
import { itemsAt } from './idAtPosition';
import { toRange } from './positions';

export class TaskDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly ws: TaskWorkspace) {}

  provideDefinition(doc: vscode.TextDocument, position: vscode.Position): vscode.LocationLink[] | undefined {
    const hit = itemsAt(this.ws, doc, position);
    return hit?.items.map((item) => {
      const at = item.keys.get(idKey(item.type, item.format))?.value;
      const target = at ? toRange(at) : new vscode.Range(0, 0, 0, 0);
      return { originSelectionRange: hit.range, targetUri: vscode.Uri.file(item.file), targetRange: target, targetSelectionRange: target };
    });
  }
}
