/** Hover on a task id in any markdown document: what the item is, and a link that opens it. */
import * as path from 'path';
import * as vscode from 'vscode';
import { Item, stateText } from '../../core/model';
import { TaskWorkspace } from '../workspace';
import { itemsAt } from './idAtPosition';

const TYPE_NAMES: Record<Item['type'], string> = { epic: 'Epic', issue: 'Issue', task: 'Task', pr: 'Pull request', comment: 'Comment' };

export class TaskHoverProvider implements vscode.HoverProvider {
  constructor(private readonly ws: TaskWorkspace) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const hit = itemsAt(this.ws, doc, position);
    if (!hit) return undefined;
    const [item, ...others] = hit.items;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${item.id}** `).appendText(item.title).appendMarkdown('\n\n');
    const facts = [TYPE_NAMES[item.type], stateText(item) ?? item.rawState ?? 'no state'];
    if (item.priority) facts.push(`priority ${item.priority}`);
    facts.push(item.assignee ? `assignee ${item.assignee}` : 'unassigned');
    const { done, total } = this.ws.index.progress(item);
    if (total) facts.push(`${done}/${total} children done`);
    md.appendText(facts.join(' · ')).appendMarkdown('\n\n');
    for (const other of others) md.appendText(`Duplicate id: also ${path.relative(other.root, other.file)}`).appendMarkdown('\n\n');
    md.appendMarkdown(`[Open ${item.id}](${vscode.Uri.file(item.file).toString()})`);
    return new vscode.Hover(md, hit.range);
  }
}
