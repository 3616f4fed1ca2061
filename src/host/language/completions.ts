/** Completions in a task file's frontmatter: the allowed words of enum keys, and ids for link keys. */
import * as vscode from 'vscode';
import { frontmatterContextAt } from '../../core/frontmatterContext';
import { STATE_LABELS, stateText, toState } from '../../core/model';
import { choicesFor, idChoices } from '../../core/valueChoices';
import { parsedDocument } from './parsedDocument';
import { TaskWorkspace } from '../workspace';

export class FrontmatterCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggers = [' ', '[', ','];

  constructor(private readonly ws: TaskWorkspace) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const text = doc.getText();
    const at = frontmatterContextAt(text, doc.offsetAt(position));
    if (!at || at.path.length !== 1) return undefined;
    const parsed = parsedDocument(this.ws, doc);
    if (!parsed) return undefined;
    // While the YAML is broken there is no item: an `id` key and no `*_id` key means the older format.
    const format = parsed.result.item?.format ?? (/^id\s*:/m.test(text) && !/^\w+_id\s*:/m.test(text) ? 'legacy' : 'cli');
    const choices = choicesFor(at.path[0], format, at.inList, parsed.ctx.config.customStatuses);
    if (!choices) return undefined;
    const range = new vscode.Range(doc.positionAt(at.start), doc.positionAt(at.end));
    const space = at.space ? ' ' : '';
    const make = (label: vscode.CompletionItemLabel, kind: vscode.CompletionItemKind, order: number, detail?: string) => {
      const c = new vscode.CompletionItem(label, kind);
      c.range = range;
      c.insertText = space + label.label;
      c.filterText = label.label;
      c.sortText = String(order).padStart(6, '0');
      c.detail = detail;
      return c;
    };
    if (choices.kind === 'words') {
      return choices.words.map((w, i) => {
        const state = toState(w);
        const description = at.path[0] === 'state' && state ? STATE_LABELS[state] : undefined;
        return make({ label: w, description }, vscode.CompletionItemKind.EnumMember, i);
      });
    }
    return idChoices(this.ws.index, parsed.ctx.root, choices.types, parsed.ctx.file).map((item, i) =>
      make(
        { label: item.id, description: stateText(item) ?? item.rawState },
        vscode.CompletionItemKind.Reference,
        i,
        item.title,
      ),
    );
  }
}
