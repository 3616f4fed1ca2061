/** Add and remove labels, in the key each format keeps them in. */
import { Project, TaskIndex } from '../index';
import { Item } from '../model';
import { findItem, ItemRef, requiredText } from './input';
import { ItemChanges, touched } from './plan';

/**
 * The key an item keeps its labels in: the one its file has (a list first), else the CLI's `tags`, or
 * the older format's `labels`. Reading takes both (parse.ts).
 */
export function labelKey(item: Item): 'tags' | 'labels' {
  const { data } = item;
  if (Array.isArray(data.tags)) return 'tags';
  if (Array.isArray(data.labels)) return 'labels';
  if ('tags' in data) return 'tags';
  if ('labels' in data) return 'labels';
  return item.format === 'legacy' ? 'labels' : 'tags';
}

export interface LabelInput {
  item: ItemRef;
  label: string;
}

const listOf = (item: Item, key: string): unknown[] => (Array.isArray(item.data[key]) ? (item.data[key] as unknown[]) : []);

/** The changes that add a label; empty when the item has it already. */
export function planAddLabel(index: TaskIndex, project: Project, input: LabelInput, now = new Date()): ItemChanges[] {
  const item = findItem(index, project, input.item);
  const label = requiredText(input.label, 'A label');
  if (item.labels.includes(label)) return [];
  const key = labelKey(item);
  const after = 'related_issues' in item.data ? 'related_issues' : 'sync_status';
  return [{ item, changes: [{ key, value: [...listOf(item, key), label], after }, ...touched(item, now.toISOString())] }];
}

/** The changes that remove a label; empty when the item does not have it. */
export function planRemoveLabel(index: TaskIndex, project: Project, input: LabelInput, now = new Date()): ItemChanges[] {
  const item = findItem(index, project, input.item);
  const label = requiredText(input.label, 'A label');
  const key = listOf(item, 'tags').includes(label) ? 'tags' : 'labels';
  const list = listOf(item, key);
  if (!list.includes(label)) return [];
  return [{ item, changes: [{ key, value: list.filter((l) => l !== label) }, ...touched(item, now.toISOString())] }];
}
