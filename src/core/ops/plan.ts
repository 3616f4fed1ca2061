/**
 * What an operation writes: frontmatter changes per item file, planned from the index by core/ops and
 * written by one writer, so that the editor, a CLI and an agent change files the same way.
 */
import { isDeepStrictEqual } from 'util';
import { FrontmatterChange } from '../edit';
import { Item } from '../model';

export interface ItemChanges {
  /** The item as the plan saw it: its `hash` is the text the changes were planned on. */
  item: Item;
  changes: readonly FrontmatterChange[];
  /** A convenience copy (a parent's related list): when it cannot be written, the rest of the operation still is. */
  optional?: boolean;
  /** Keys the changes were computed from besides the ones they set (a transition starts from `state` or `status`). */
  reads?: readonly string[];
}

/**
 * The first key the plan sets or was computed from whose value in `current` (what an editor holds,
 * unsaved) is not the one the plan saw: writing the plan there would replace the user's unsaved value.
 */
export function unsavedKey(entry: ItemChanges, current: Record<string, unknown>): string | undefined {
  const keys = [...entry.changes.map((c) => c.key), ...(entry.reads ?? [])];
  return keys.find((k) => !isDeepStrictEqual(current[k], entry.item.data[k]));
}

/** The timestamp key to touch with every change, as the CLI does; an older-format file only when it keeps one. */
export function touched(item: Item, now = new Date().toISOString()): FrontmatterChange[] {
  if (item.format === 'legacy') {
    if (!('updated' in item.data)) return [];
    const dateOnly = typeof item.data.updated === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(item.data.updated);
    return [{ key: 'updated', value: dateOnly ? now.slice(0, 10) : now }];
  }
  return [{ key: 'updated_date', value: now, after: 'created_date' }];
}
