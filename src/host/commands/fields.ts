/** Assign, labels and parent links: the user's choices, planned and written by core/ops. */
import * as vscode from 'vscode';
import { assigneeName } from '../../core/filter';
import { Item } from '../../core/model';
import { planAssign } from '../../core/ops/assign';
import { planAddLabel, planRemoveLabel } from '../../core/ops/labels';
import { parentLink, planLink } from '../../core/ops/link';
import { ItemChanges } from '../../core/ops/plan';
import { run, Skipped } from '../../core/ops/writer';
import { showInfo, showWarning } from '../notify';
import { hostWriter } from '../writer';
import { TaskWorkspace } from '../workspace';
import { CommandTarget, itemPicks, projectOf, resolveItem } from './target';

/** Assign to someone (a name, or undefined to unassign). Returns true when the file changed. */
export async function assign(ws: TaskWorkspace, arg: CommandTarget, who?: string | null): Promise<boolean> {
  const item = await resolveItem(ws, arg, 'Assign…');
  if (!item) return false;
  if (who === undefined) {
    const people = new Set<string>();
    for (const i of ws.index.items(item.root)) {
      const name = assigneeName(i);
      if (name) people.add(name);
    }
    const project = ws.index.getProject(item.root);
    if (project?.config.defaultAssignee) people.add(project.config.defaultAssignee);
    const current = assigneeName(item);
    const picks: (vscode.QuickPickItem & { value?: string | null })[] = [
      ...[...people].sort().map((p) => ({ label: p, description: p === current ? 'current' : undefined, value: p })),
      { label: '$(edit) Someone else…', value: undefined },
      ...(current ? [{ label: '$(circle-slash) Unassign', value: null }] : []),
    ];
    const picked = await vscode.window.showQuickPick(picks, { title: `Assign ${item.id}`, placeHolder: 'Assignee' });
    if (!picked) return false;
    if (picked.value === undefined) {
      const typed = await vscode.window.showInputBox({ title: `Assign ${item.id}`, prompt: 'Name of the assignee' });
      if (!typed?.trim()) return false;
      who = typed.trim();
    } else {
      who = picked.value;
    }
  }
  return write(ws, planAssign(ws.index, projectOf(ws, item), { item, assignee: who }));
}

/** Write a plan; false when there was nothing to change. */
async function write(ws: TaskWorkspace, plan: ItemChanges[]): Promise<boolean> {
  await run(hostWriter(ws), plan);
  return plan.length > 0;
}

export async function addLabel(ws: TaskWorkspace, arg: CommandTarget, label?: string): Promise<boolean> {
  const item = await resolveItem(ws, arg, 'Add a label to…');
  if (!item) return false;
  if (label === undefined) {
    const known = new Set<string>();
    for (const i of ws.index.items(item.root)) for (const l of i.labels) if (!item.labels.includes(l)) known.add(l);
    const qp = vscode.window.createQuickPick();
    qp.title = `Add a label to ${item.id}`;
    qp.placeholder = 'Pick a label or type a new one';
    const base = [...known].sort().map((l) => ({ label: l }));
    qp.items = base;
    qp.onDidChangeValue((v) => {
      const t = v.trim();
      qp.items = t && !known.has(t) ? [{ label: t, description: 'new label' }, ...base] : base;
    });
    label = await new Promise<string | undefined>((resolve) => {
      qp.onDidAccept(() => resolve(qp.selectedItems[0]?.label ?? (qp.value.trim() || undefined)));
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (!label) return false;
  }
  return write(ws, planAddLabel(ws.index, projectOf(ws, item), { item, label }));
}

export async function removeLabel(ws: TaskWorkspace, arg: CommandTarget, label?: string): Promise<boolean> {
  const item = await resolveItem(ws, arg, 'Remove a label from…', (i) => i.labels.length > 0);
  if (!item) return false;
  if (label === undefined) {
    label = (await vscode.window.showQuickPick(item.labels, { title: `Remove a label from ${item.id}` })) ?? undefined;
    if (!label) return false;
  }
  return write(ws, planRemoveLabel(ws.index, projectOf(ws, item), { item, label }));
}

/**
 * Link an item to a parent (undefined: ask; null: leave its epic). core/ops/link plans the whole change:
 * the item, the tasks and PRs that carry its epic, the parents' related lists; it is written as one.
 */
export async function linkToParent(ws: TaskWorkspace, arg: CommandTarget, parentId?: string | null): Promise<boolean> {
  const item = await resolveItem(ws, arg, 'Link to a parent…', (i) => !!parentLink(i));
  if (!item) return false;
  const link = parentLink(item);
  if (!link) {
    void showInfo(`A ${item.type} has no parent to link to.`);
    return false;
  }
  if (parentId === undefined) {
    const candidates = [...ws.index.items(item.root)].filter((i) => link.types.includes(i.type) && i.file !== item.file);
    const picks: (vscode.QuickPickItem & { id?: string | null })[] = [
      ...itemPicks(ws, candidates).map((p) => ({ ...p, id: p.item.id, description: p.item.id === item.parentId ? 'current parent' : p.description })),
      ...(link.types.includes('epic') && item.parentId ? [{ label: '$(circle-slash) No epic', id: null }] : []),
    ];
    const picked = await vscode.window.showQuickPick(picks, { title: `Link ${item.id} to…`, matchOnDescription: true });
    if (!picked) return false;
    parentId = picked.id ?? null;
  }
  const plan = planLink(ws.index, projectOf(ws, item), { item, parent: parentId });
  if (!plan.length) return false;
  warnSkipped(item, await run(hostWriter(ws), plan));
  return true;
}

/** The parents' related lists are a convenience copy: one that could not be updated is a warning, not a failure. */
export function warnSkipped(child: Pick<Item, 'id'>, skipped: readonly Skipped[]): void {
  for (const { entry, error } of skipped) {
    const lists = entry.changes.map((c) => c.key).join(', ');
    void showWarning(`${child.id} was linked, but ${entry.item.id}'s ${lists} list could not be updated: ${error.message}`);
  }
}
