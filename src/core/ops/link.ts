/**
 * Linking an item to a parent. The child's link is the truth; a task or PR also carries its issue's
 * epic as a copy, so an issue that moves to another epic takes its tasks and PRs along in the same
 * operation. The parents' related lists are kept in step as the CLI keeps them, as a convenience copy.
 */
import { FrontmatterChange } from '../edit';
import { Project, TaskIndex } from '../index';
import { Item, ItemType } from '../model';
import { findItem, ItemRef } from './input';
import { ItemChanges, touched } from './plan';

export class LinkError extends Error {}

export interface ParentLink {
  /** The key that names the parent. */
  key: string;
  /** The types the parent may be. */
  types: ItemType[];
}

/** The parent key of an item and the types it may point at; undefined for an item without a parent. */
export function parentLink(item: Item): ParentLink | undefined {
  if (item.format === 'legacy') {
    if (item.type === 'epic') return undefined;
    // An older-format task under an issue names it with `issue:`; one without names its epic directly.
    return item.type === 'task' && item.issueId ? { key: 'issue', types: ['issue'] } : { key: 'epic', types: ['epic'] };
  }
  if (item.type === 'issue') return { key: 'epic_id', types: ['epic'] };
  if (item.type === 'task' || item.type === 'pr') return { key: 'issue_id', types: ['issue'] };
  return undefined;
}

/**
 * The change that gives a task or PR its issue's epic: set when the file keeps the key or the issue has
 * an epic, removed when the issue has none; undefined when the file already holds it.
 */
function epicCopy(child: Item, epicId: string | undefined): FrontmatterChange | undefined {
  const [key, after] = child.format === 'legacy' ? ['epic', 'issue'] : ['epic_id', 'issue_id'];
  if (child.data[key] === epicId) return undefined;
  if (epicId) return { key, value: epicId, after };
  return key in child.data ? { key, remove: true } : undefined;
}

const RELATED_KEY: Partial<Record<ItemType, string>> = { issue: 'related_issues', task: 'related_tasks', pr: 'related_prs' };

/** The change to a parent's related list that adds or removes a child, when the parent keeps such a list (the CLI's files do). */
export function relatedListChange(parent: Item | undefined, child: Pick<Item, 'type' | 'id'>, op: 'add' | 'remove'): ItemChanges | undefined {
  const key = RELATED_KEY[child.type];
  if (!parent || !key || parent.format === 'legacy' || !Array.isArray(parent.data[key])) return undefined;
  const list = parent.data[key] as unknown[];
  if ((op === 'add') === list.includes(child.id)) return undefined;
  const value = op === 'add' ? [...list, child.id] : list.filter((x) => x !== child.id);
  return { item: parent, changes: [{ key, value }], optional: true };
}

export interface LinkInput {
  item: ItemRef;
  /** The parent's id; null: an issue, or an older-format item, leaves its epic. */
  parent: string | null;
}

/**
 * Everything that linking an item to a parent changes, as one operation: the item's link and timestamp,
 * the epic copy of a task or PR, or of every task and PR under an issue that moves, and the related
 * lists of the old and new parent. Empty when the item is linked there already; a LinkError when the
 * link is not allowed, an UnknownItemError when the parent does not exist.
 */
export function planLink(index: TaskIndex, project: Project, input: LinkInput, now = new Date()): ItemChanges[] {
  const item = findItem(index, project, input.item);
  const parentId = input.parent === null ? null : input.parent.trim();
  const link = parentLink(item);
  if (!link) throw new LinkError(`A ${item.type} has no parent to link to.`);
  if ((parentId ?? undefined) === item.parentId) return [];
  const underIssue = link.types.includes('issue');
  if (parentId === null && underIssue) throw new LinkError(`A ${item.type} must belong to an issue; pick another issue instead.`);
  const parent = parentId ? findItem(index, project, parentId) : undefined;
  if (parent && !link.types.includes(parent.type)) throw new LinkError(`${parentId} is not a ${link.types.join(' or ')} in this project.`);

  const stamp = now.toISOString();
  const own: FrontmatterChange[] = [parentId ? { key: link.key, value: parentId, after: item.format === 'legacy' ? 'status' : `${item.type}_id` } : { key: link.key, remove: true }];
  const children: ItemChanges[] = [];
  if (underIssue) {
    const copy = epicCopy(item, parent?.epicId);
    if (copy) own.push(copy);
  } else if (item.type === 'issue') {
    // Looked up by the index's parent map, not by a scan: an issue with hundreds of tasks stays cheap.
    for (const child of index.children(item)) {
      if ((child.type !== 'task' && child.type !== 'pr') || child.issueId !== item.id) continue;
      const copy = epicCopy(child, parentId ?? undefined);
      if (copy) children.push({ item: child, changes: [copy, ...touched(child, stamp)] });
    }
  }
  const old = item.parentId ? index.byId(item.root, item.parentId)[0] : undefined;
  const lists = [relatedListChange(parent, item, 'add'), relatedListChange(old, item, 'remove')].filter((c): c is ItemChanges => !!c);
  return [{ item, changes: [...own, ...touched(item, stamp)] }, ...children, ...lists];
}
