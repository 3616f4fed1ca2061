/**
 * A field of an item as scripts name it (`state`, `state_metadata.automation_eligible`, `tags.0`) and its
 * value as they read it: for `show --field` and `status --filter`.
 */
import type { TaskIndex } from '../core/index';
import type { Item } from '../core/model';
import { itemJson } from './output';

const own = (o: unknown, key: string): unknown =>
  o !== null && typeof o === 'object' && Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;

/** A dotted path into plain data; list items by number (tags.0). */
function dig(data: unknown, path: string[]): unknown {
  let at = data;
  for (const key of path) at = own(at, key);
  return at;
}

/** A field's value, or undefined when it has none (null counts as none). */
export function fieldValue(index: TaskIndex, item: Item, field: string): unknown {
  const path = field.split('.');
  const shape = itemJson(index, item) as unknown as Record<string, unknown>;
  const single = path.length === 1;
  const candidates: (() => unknown)[] = [
    () => (single && field === 'state' ? shape.state : undefined),
    () => dig(item.data, path),
    () => (single ? own(shape, field) : undefined),
    () => (single ? own(item.data.state_metadata, field) : undefined),
  ];
  for (const c of candidates) {
    const v = c();
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** As a shell script wants it: text as is, true/false, numbers, and lists or maps as JSON. */
export function rawText(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
