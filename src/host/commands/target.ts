/** Which item or project a command acts on: a tree node, a path or URI argument, the active editor, or a pick. */
import * as path from 'path';
import * as vscode from 'vscode';
import { Project } from '../../core/index';
import { osUserName } from '../../core/userName';
import { compareItems, Item, ItemType } from '../../core/model';
import { showInfo, showWarning } from '../notify';
import { Node, stateLabel } from '../trees/nodes';
import { TaskWorkspace } from '../workspace';

/** What a board card's context menu passes to a command: the card's `data-vscode-context`. */
export interface BoardCardContext {
  webviewSection: 'card';
  'aiTrackdown.file': string;
}

export type CommandTarget = Node | BoardCardContext | vscode.Uri | string | undefined;

export function isBoardCard(arg: unknown): arg is BoardCardContext {
  return !!arg && typeof arg === 'object' && typeof (arg as Partial<BoardCardContext>)['aiTrackdown.file'] === 'string';
}

function fileOf(arg: CommandTarget): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? arg.fsPath : undefined;
  if (arg && typeof arg === 'object' && 'kind' in arg && arg.kind === 'item') return arg.item.file;
  if (isBoardCard(arg)) return arg['aiTrackdown.file'];
  return undefined;
}

export interface ItemPick extends vscode.QuickPickItem {
  item: Item;
}

export function itemPicks(ws: TaskWorkspace, items: Iterable<Item>): ItemPick[] {
  const multi = ws.index.getProjects().length > 1;
  return [...items].sort(compareItems).map((item) => ({
    label: `${item.id} ${item.title}`,
    description: [stateLabel(item), item.assignee, multi ? ws.index.getProject(item.root)?.config.name : undefined].filter(Boolean).join(' · '),
    item,
  }));
}

/** A quick pick over items; fuzzy on id and title. */
export async function pickItem(
  ws: TaskWorkspace,
  title: string,
  filter: (item: Item) => boolean = (i) => i.type !== 'comment',
): Promise<Item | undefined> {
  await ws.ready;
  const picks = itemPicks(ws, [...ws.index.items()].filter(filter));
  if (!picks.length) {
    void showInfo('There are no matching items in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(picks, { title, placeHolder: 'Type an id or part of a title', matchOnDescription: true });
  return picked?.item;
}

/** The item a command is about: its argument, else the active editor's task file, else one the user picks. */
export async function resolveItem(ws: TaskWorkspace, arg: CommandTarget, title: string, filter?: (i: Item) => boolean): Promise<Item | undefined> {
  const file = fileOf(arg) ?? activeTaskFile(ws);
  const item = file ? ws.index.entry(file)?.item : undefined;
  if (item && (!filter || filter(item))) return item;
  if (fileOf(arg)) {
    void showWarning(`${path.basename(fileOf(arg)!)} is not an indexed task file.`);
    return undefined;
  }
  return pickItem(ws, title, filter);
}

function activeTaskFile(ws: TaskWorkspace): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' && ws.index.entry(uri.fsPath)?.item ? uri.fsPath : undefined;
}

/** The project an indexed item belongs to, which every operation on it needs. */
export function projectOf(ws: TaskWorkspace, item: Item): Project {
  const project = ws.index.getProject(item.root);
  if (!project) throw new Error(`${item.id} belongs to no indexed project.`);
  return project;
}

/** The project a command runs in: the argument's, the active editor's, the only one, or a pick. */
export async function resolveProject(ws: TaskWorkspace, arg: CommandTarget): Promise<Project | undefined> {
  await ws.ready;
  const projects = ws.index.getProjects();
  const hint = fileOf(arg) ?? (arg && typeof arg === 'object' && 'kind' in arg && arg.kind === 'project' ? arg.root : undefined) ??
    vscode.window.activeTextEditor?.document.uri.fsPath;
  const byHint = hint ? ws.index.projectOf(hint) : undefined;
  if (byHint) return byHint;
  if (projects.length <= 1) return projects[0];
  const picked = await vscode.window.showQuickPick(
    projects.map((p) => ({ label: p.config.name, description: vscode.workspace.asRelativePath(p.root, true), project: p })),
    // It stays when focus moves: a webview taking focus as it loads (the board, a walkthrough's media) would close it.
    { title: 'Which project?', ignoreFocusOut: true },
  );
  return picked?.project;
}

/** Who is acting (recorded as transitioned_by): the setting, else the OS user. */
export function userName(): string {
  const configured = vscode.workspace.getConfiguration('aiTrackdown').get<string>('userName', '').trim();
  return configured || osUserName();
}

export const typeName = (t: ItemType): string => (t === 'pr' ? 'PR' : t[0].toUpperCase() + t.slice(1));
