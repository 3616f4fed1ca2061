/** Assign an item to someone, or unassign it. */
import { FrontmatterChange } from '../edit';
import { Project, TaskIndex } from '../index';
import { assigneeKey } from '../model';
import { findItem, ItemRef, requiredText } from './input';
import { ItemChanges, touched } from './plan';

export interface AssignInput {
  item: ItemRef;
  /** A name; null unassigns. */
  assignee: string | null;
}

/** The changes of an assignment; empty when the item is assigned so already. */
export function planAssign(index: TaskIndex, project: Project, input: AssignInput, now = new Date()): ItemChanges[] {
  const item = findItem(index, project, input.item);
  const who = input.assignee === null ? null : requiredText(input.assignee, 'The name of the assignee');
  // An older epic's `owner` is changed where it is: an `assignee` beside it would hide it, and unassigning would bring it back.
  const key = assigneeKey(item.format, item.data);
  if (who === null ? !(key in item.data) : item.data[key] === who) return [];
  const change: FrontmatterChange = who === null ? { key, remove: true } : { key, value: who, after: 'priority' };
  return [{ item, changes: [change, ...touched(item, now.toISOString())] }];
}
