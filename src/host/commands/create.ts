/** New Epic/Issue/Task/PR: next id from counters.json (never one already on disk), template body, open and reveal. */
import * as path from 'path';
import * as vscode from 'vscode';
import { createFile, writeIfUnchanged } from '../../core/atomicWrite';
import { COUNTERS_FILE, FolderType, typeFolder } from '../../core/config';
import { allocateId, NewItemInput, newItemText, parseTemplate, templateFile } from '../../core/create';
import { readProjectFileSync } from '../../core/fileRule';
import { fileNameFor } from '../../core/ids';
import { Item } from '../../core/model';
import { relatedListChange } from '../../core/ops/link';
import { showWarning } from '../notify';
import { Trees } from '../trees/register';
import { writeItems } from '../writer';
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
  if (input.issueId && !input.epicId) input.epicId = ws.index.byId(project.root, input.issueId)[0]?.epicId;
  input.assignee ??= project.config.defaultAssignee;

  const templateText = readProjectFileSync(project.root, templateFile(project.root, project.config, type)).text;
  const template = templateText ? parseTemplate(templateText) : undefined;
  const countersPath = path.join(project.root, COUNTERS_FILE);
  const countersBefore = readProjectFileSync(project.root, countersPath).text;
  const folder = typeFolder(project.root, project.config, type);
  const taken = new Set([...ws.index.items(project.root)].map((i) => i.id));

  // Another writer (the CLI, a teammate's pull) can take the id between our read and write: try the next one.
  for (let attempt = 0; attempt < 5; attempt++) {
    const { id, countersText } = allocateId(project.config, type, countersBefore, taken);
    const file = path.join(folder, fileNameFor(id, input.title));
    if (path.dirname(file) !== folder) throw new Error('The title cannot be turned into a safe file name.');
    const text = newItemText(id, input, template);
    if (!(await createFile(file, text, { within: project.root }))) {
      taken.add(id);
      continue;
    }
    // The file is what counts (ids on disk are never reused); a counters.json changed meanwhile is left to its writer.
    if (project.hasConfig) {
      await writeIfUnchanged(countersPath, countersBefore, countersText, { within: project.root }).catch((e) => ws.log.warn(`counters.json not updated: ${e}`));
    }
    ws.noteWritten(file, text);
    const created = ws.index.entry(file)?.item;
    const parentId = input.issueId ?? input.epicId;
    if (created && parentId) {
      const related = relatedListChange(ws.index.byId(project.root, parentId)[0], created, 'add');
      if (related) warnSkipped(created, await writeItems(ws, [related]));
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    await trees.reveal(file);
    return file;
  }
  throw new Error(`Could not find a free ${typeName(type)} id: files keep appearing in ${folder}.`);
}
