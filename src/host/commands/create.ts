/** New Epic/Issue/Task/PR: the questions (title, parent), then core/ops creates it; open and reveal. */
import * as vscode from 'vscode';
import { FolderType } from '../../core/config';
import { NewItemInput } from '../../core/create';
import { Item } from '../../core/model';
import { createItem as createNewItem } from '../../core/ops/create';
import { showWarning } from '../notify';
import { Trees } from '../trees/register';
import { hostWriter } from '../writer';
import { TaskWorkspace } from '../workspace';
import { warnSkipped } from './fields';
import { CommandTarget, isBoardCard, itemPicks, resolveProject, typeName } from './target';

/** The tree row or board card a command was invoked on, if any (the new item's parent or epic). */
function contextItem(ws: TaskWorkspace, arg: CommandTarget): Item | undefined {
  if (arg && typeof arg === 'object' && 'kind' in arg && arg.kind === 'item') return ws.index.entry(arg.item.file)?.item;
  if (isBoardCard(arg)) return ws.index.entry(arg['aiTrackdown.file'])?.item;
  return undefined;
}

async function pickParent(ws: TaskWorkspace, root: string, type: 'epic' | 'issue', title: string, optional: boolean, within?: string): Promise<string | null | undefined> {
  const candidates = [...ws.index.items(root)].filter((i) => i.type === type && (!within || i.epicId === within));
  if (!candidates.length && !optional) {
    void showWarning(`There is no ${type} to attach it to yet: create one first.`);
    return undefined;
  }
  const picks: (vscode.QuickPickItem & { id: string | null })[] = [
    ...(optional ? [{ label: `$(circle-slash) No ${type}`, id: null }] : []),
    ...itemPicks(ws, candidates).map((p) => ({ ...p, id: p.item.id })),
  ];
  const picked = await vscode.window.showQuickPick(picks, { title, matchOnDescription: true });
  return picked ? picked.id : undefined;
}

/** Create an item; returns the new file's path. `preset` skips the questions it answers. */
export async function createItem(
  ws: TaskWorkspace,
  trees: Trees,
  type: FolderType,
  arg: CommandTarget,
  preset: Partial<NewItemInput> = {},
): Promise<string | undefined> {
  const project = await resolveProject(ws, arg);
  if (!project) {
    void showWarning('No ai-trackdown project here yet: run "Initialize ai-trackdown Project" first.');
    return undefined;
  }
  const ctx = contextItem(ws, arg);
  const input: NewItemInput = { type, title: preset.title ?? '', ...preset };
  if (!input.title) {
    const title = await vscode.window.showInputBox({
      title: `New ${typeName(type)} in ${project.config.name}`,
      prompt: 'Title',
      validateInput: (v) => (!v.trim() ? 'A title is needed.' : v.length > 200 ? 'Keep the title under 200 characters.' : undefined),
    });
    if (!title) return undefined;
    input.title = title.trim();
  }
  if (type === 'issue' && preset.epicId === undefined) {
    const epic = ctx?.type === 'epic' ? ctx.id : await pickParent(ws, project.root, 'epic', `Epic of "${input.title}"`, true);
    if (epic === undefined) return undefined;
    input.epicId = epic ?? undefined;
  }
  if ((type === 'task' || type === 'pr') && !preset.issueId) {
    const issue = ctx?.type === 'issue' ? ctx.id : await pickParent(ws, project.root, 'issue', `Issue of "${input.title}"`, false, ctx?.type === 'epic' ? ctx.id : undefined);
    if (!issue) return undefined;
    input.issueId = issue;
  }
  const { plan, skipped, countersError } = await createNewItem(hostWriter(ws), ws.index, project, input, input.now);
  if (countersError) ws.log.warn(`counters.json not updated: ${countersError.message}`);
  warnSkipped({ id: plan.id }, skipped);
  await vscode.window.showTextDocument(vscode.Uri.file(plan.file), { preview: false });
  await trees.reveal(plan.file);
  return plan.file;
}
