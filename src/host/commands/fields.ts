/** Assign, labels and parent links: small frontmatter edits through the safe writer. */
import * as vscode from 'vscode';
import { FrontmatterChange } from '../../core/edit';
import { assigneeName } from '../../core/filter';
import { assigneeKey, Item } from '../../core/model';
import { writeChanges } from '../writer';
import { TaskWorkspace } from '../workspace';
import { CommandTarget, itemPicks, resolveItem } from './target';

const now = () => new Date().toISOString();

/** The timestamp key to touch with every change, as the CLI does. */
function touched(item: Item): FrontmatterChange[] {
  if (item.format === 'legacy') {
    if (!('updated' in item.data)) return [];
    const dateOnly = typeof item.data.updated === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(item.data.updated);
    return [{ key: 'updated', value: dateOnly ? now().slice(0, 10) : now() }];
  }
  return [{ key: 'updated_date', value: now(), after: 'created_date' }];
}

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
  // An older epic's `owner` is changed where it is: an `assignee` beside it would hide it, and unassigning would bring it back.
  const key = assigneeKey(item.format, item.data);
  const changes: FrontmatterChange[] = who ? [{ key, value: who, after: 'priority' }] : [{ key, remove: true }];
  await writeChanges(ws, item, [...changes, ...touched(item)]);
  return true;
}

/** The key an item keeps its labels in: the CLI writes `tags`, the older format `labels`. */
function labelKey(item: Item): 'tags' | 'labels' {
  if (Array.isArray(item.data.tags)) return 'tags';
  if (Array.isArray(item.data.labels)) return 'labels';
  return item.format === 'legacy' ? 'labels' : 'tags';
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
  if (item.labels.includes(label)) return false;
  const key = labelKey(item);
  const existing = Array.isArray(item.data[key]) ? (item.data[key] as unknown[]) : [];
  await writeChanges(ws, item, [{ key, value: [...existing, label], after: 'related_issues' in item.data ? 'related_issues' : 'sync_status' }, ...touched(item)]);
  return true;
}

export async function removeLabel(ws: TaskWorkspace, arg: CommandTarget, label?: string): Promise<boolean> {
  const item = await resolveItem(ws, arg, 'Remove a label from…', (i) => i.labels.length > 0);
  if (!item) return false;
  if (label === undefined) {
    label = (await vscode.window.showQuickPick(item.labels, { title: `Remove a label from ${item.id}` })) ?? undefined;
    if (!label) return false;
  }
  const key = Array.isArray(item.data.tags) && (item.data.tags as unknown[]).includes(label) ? 'tags' : 'labels';
  const existing = Array.isArray(item.data[key]) ? (item.data[key] as unknown[]) : [];
  if (!existing.includes(label)) return false;
  await writeChanges(ws, item, [{ key, value: existing.filter((l) => l !== label) }, ...touched(item)]);
  return true;
}

/** The parent key of an item and the types it may point at. */
function parentLink(item: Item): { key: string; types: Item['type'][] } | undefined {
  if (item.format === 'legacy') return item.type === 'epic' ? undefined : { key: 'epic', types: ['epic'] };
  if (item.type === 'issue') return { key: 'epic_id', types: ['epic'] };
  if (item.type === 'task' || item.type === 'pr') return { key: 'issue_id', types: ['issue'] };
  return undefined;
}

/**
 * Link an item to a parent (undefined: ask; null: unlink an issue from its epic). The child's field is the
 * truth; the parent's related_* list, when the file has one, is kept in step as the CLI does.
 */
export async function linkToParent(ws: TaskWorkspace, arg: CommandTarget, parentId?: string | null): Promise<boolean> {
  const item = await resolveItem(ws, arg, 'Link to a parent…', (i) => !!parentLink(i));
  if (!item) return false;
  const link = parentLink(item);
  if (!link) {
    void vscode.window.showInformationMessage(`A ${item.type} has no parent to link to.`);
    return false;
  }
  if (parentId === undefined) {
    const candidates = [...ws.index.items(item.root)].filter((i) => link.types.includes(i.type) && i.file !== item.file);
    const picks: (vscode.QuickPickItem & { id?: string | null })[] = [
      ...itemPicks(ws, candidates).map((p) => ({ ...p, id: p.item.id, description: p.item.id === item.parentId ? 'current parent' : p.description })),
      ...(link.key === 'epic_id' && item.parentId ? [{ label: '$(circle-slash) No epic', id: null }] : []),
    ];
    const picked = await vscode.window.showQuickPick(picks, { title: `Link ${item.id} to…`, matchOnDescription: true });
    if (!picked) return false;
    parentId = picked.id ?? null;
  }
  if ((parentId ?? undefined) === item.parentId) return false;
  if (parentId === null && link.key === 'issue_id') throw new Error(`A ${item.type} must belong to an issue; pick another issue instead.`);
  const parent = parentId ? ws.index.byId(item.root, parentId)[0] : undefined;
  if (parentId && (!parent || !link.types.includes(parent.type))) throw new Error(`${parentId} is not a ${link.types.join(' or ')} in this project.`);

  const changes: FrontmatterChange[] = parentId ? [{ key: link.key, value: parentId, after: item.format === 'legacy' ? 'status' : `${item.type}_id` }] : [{ key: link.key, remove: true }];
  // A task or PR carries its issue's epic too.
  if (link.key === 'issue_id' && ('epic_id' in item.data || parent?.epicId)) {
    changes.push(parent?.epicId ? { key: 'epic_id', value: parent.epicId, after: 'issue_id' } : { key: 'epic_id', remove: true });
  }
  const old = item.parentId ? ws.index.byId(item.root, item.parentId)[0] : undefined;
  await writeChanges(ws, item, [...changes, ...touched(item)]);
  await syncRelatedList(ws, parent, item, 'add');
  await syncRelatedList(ws, old, item, 'remove');
  return true;
}

const RELATED_KEY: Partial<Record<Item['type'], string>> = { issue: 'related_issues', task: 'related_tasks', pr: 'related_prs' };

export async function syncRelatedList(ws: TaskWorkspace, parent: Item | undefined, child: Item, op: 'add' | 'remove') {
  const key = RELATED_KEY[child.type];
  if (!parent || !key || parent.format === 'legacy' || !Array.isArray(parent.data[key])) return;
  const list = parent.data[key] as unknown[];
  const has = list.includes(child.id);
  if ((op === 'add') === has) return;
  const value = op === 'add' ? [...list, child.id] : list.filter((x) => x !== child.id);
  // The parent list is a convenience copy; failing to update it must not undo the child's change.
  try {
    await writeChanges(ws, ws.index.entry(parent.file)?.item ?? parent, [{ key, value }]);
  } catch (e) {
    void vscode.window.showWarningMessage(`${child.id} was linked, but ${parent.id}'s ${key} list could not be updated: ${(e as Error).message}`);
  }
}
