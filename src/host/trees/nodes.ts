/** Tree nodes and how an item is presented in every tree: label, icon, description, tooltip, menu. */
import * as path from 'path';
import * as vscode from 'vscode';
import { menuContext } from '../../core/board';
import type { TaskCommit } from '../../core/git/history';
import { TaskIndex } from '../../core/index';
import { Item, State, stateText, TYPE_CODICONS } from '../../core/model';
import { COMMANDS } from '../commandIds';

export type Node =
  | { kind: 'project'; root: string }
  | { kind: 'group'; key: string; label: string; icon: vscode.ThemeIcon; items: () => Item[]; root?: string; tooltip?: string }
  | { kind: 'item'; item: Item; scope: string }
  /** An item's git history (hierarchy tree, trusted workspaces in a repository), computed when expanded. */
  | { kind: 'history'; item: Item; scope: string }
  | { kind: 'commit'; item: Item; commit: TaskCommit; uri: vscode.Uri; scope: string };

/** Theme colours per state: the same meaning as the board's columns. */
const STATE_COLORS: Partial<Record<State, string>> = {
  active: 'charts.blue',
  ready_for_engineering: 'charts.purple',
  ready_for_qa: 'charts.yellow',
  ready_for_deployment: 'charts.orange',
  done: 'charts.green',
  won_t_do: 'disabledForeground',
  archived: 'disabledForeground',
};

export function stateIcon(state: State | undefined, codicon = 'circle-filled'): vscode.ThemeIcon {
  const color = state && STATE_COLORS[state];
  return new vscode.ThemeIcon(codicon, color ? new vscode.ThemeColor(color) : undefined);
}

export function stateLabel(item: Item): string {
  return stateText(item) ?? (item.rawState ? `${item.rawState} (unknown state)` : 'No state');
}

function tooltip(item: Item, index: TaskIndex): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.supportThemeIcons = true;
  md.appendMarkdown(`$(${TYPE_CODICONS[item.type]}) **`).appendText(`${item.id}`).appendMarkdown('** ').appendText(item.title);
  md.appendMarkdown('\n\n');
  const rows: [string, string | undefined][] = [
    ['Type', item.type === 'pr' ? 'PR' : item.type[0].toUpperCase() + item.type.slice(1)],
    ['State', stateLabel(item)],
    ['Priority', item.priority],
    ['Assignee', item.assignee],
    ['Labels', item.labels.join(', ') || undefined],
    ['Parent', item.parentId ? `${item.parentId}${index.parent(item) ? ` ${index.parent(item)!.title}` : ' (not found)'}` : undefined],
  ];
  const { done, total } = index.progress(item);
  if (total) rows.push(['Progress', `${done}/${total} children closed`]);
  if (item.estimatedTokens !== undefined || item.actualTokens !== undefined) {
    rows.push(['Tokens', `${(item.actualTokens ?? 0).toLocaleString('en')} used of ${(item.estimatedTokens ?? 0).toLocaleString('en')} estimated`]);
  }
  for (const [k, v] of rows) if (v) md.appendMarkdown(`${k}: `).appendText(v).appendMarkdown('  \n');
  md.appendMarkdown('\n').appendText(path.relative(item.root, item.file));
  return md;
}

export function itemTreeItem(item: Item, index: TaskIndex, scope: string, hasChildren: boolean, showProject: boolean): vscode.TreeItem {
  const ti = new vscode.TreeItem(`${item.id} ${item.title}`, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  ti.id = `${scope}:${item.file}`;
  // resourceUri lets VS Code colour the row with the file's problems; the label and icon stay ours.
  ti.resourceUri = vscode.Uri.file(item.file);
  ti.iconPath = stateIcon(item.state, TYPE_CODICONS[item.type]);
  const parts = [stateLabel(item)];
  const { done, total } = index.progress(item);
  if (total) parts.push(`${done}/${total}`);
  if (item.assignee) parts.push(item.assignee);
  if (showProject) parts.push(index.getProject(item.root)?.config.name ?? path.basename(item.root));
  ti.description = parts.join(' · ');
  ti.tooltip = tooltip(item, index);
  ti.contextValue = menuContext(item);
  ti.command = { command: COMMANDS.openItem, title: 'Open', arguments: [item.file] };
  return ti;
}

export function groupTreeItem(node: Extract<Node, { kind: 'group' }>, count: number): vscode.TreeItem {
  const ti = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
  ti.id = `group:${node.key}`;
  ti.iconPath = node.icon;
  ti.description = String(count);
  ti.contextValue = 'group';
  if (node.tooltip) ti.tooltip = node.tooltip;
  return ti;
}

export function projectTreeItem(root: string, index: TaskIndex): vscode.TreeItem {
  const project = index.getProject(root);
  const ti = new vscode.TreeItem(project?.config.name ?? path.basename(root), vscode.TreeItemCollapsibleState.Expanded);
  ti.id = `project:${root}`;
  ti.iconPath = new vscode.ThemeIcon('project');
  ti.description = vscode.workspace.asRelativePath(root, true);
  ti.tooltip = project?.configErrors.length ? `config.yaml problems:\n${project.configErrors.map((e) => e.message).join('\n')}` : root;
  ti.contextValue = 'project';
  return ti;
}

export function historyTreeItem(node: Extract<Node, { kind: 'history' }>): vscode.TreeItem {
  const ti = new vscode.TreeItem('History', vscode.TreeItemCollapsibleState.Collapsed);
  ti.id = `${node.scope}:history:${node.item.file}`;
  ti.iconPath = new vscode.ThemeIcon('history');
  ti.tooltip = `Commits that name ${node.item.id} or were made on its branch`;
  ti.contextValue = 'history';
  return ti;
}

export function commitTreeItem(node: Extract<Node, { kind: 'commit' }>): vscode.TreeItem {
  const c = node.commit;
  const ti = new vscode.TreeItem(c.subject || c.shortHash, vscode.TreeItemCollapsibleState.None);
  ti.id = `${node.scope}:commit:${node.item.file}:${c.hash}`;
  ti.iconPath = new vscode.ThemeIcon('git-commit');
  const date = new Date(c.date);
  ti.description = [c.shortHash, c.author, Number.isNaN(date.getTime()) ? c.date : date.toLocaleDateString()].join(' · ');
  const md = new vscode.MarkdownString();
  md.appendText(`${c.shortHash} ${c.subject}`).appendMarkdown('\n\n').appendText(`${c.author} <${c.email}>, ${c.date}`);
  if (!c.via.includes('message')) md.appendMarkdown('\n\n').appendText('Made on a branch of this task');
  ti.tooltip = md;
  ti.contextValue = 'commit';
  ti.command = { command: 'vscode.open', title: 'Show Commit', arguments: [node.uri, { preview: true }] };
  return ti;
}
