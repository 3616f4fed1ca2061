/** The tree/board filter: free text, label and assignee, all of which must match. */
import { Item } from './model';

export interface ItemFilter {
  text?: string;
  label?: string;
  assignee?: string;
}

export function isFilterActive(f: ItemFilter): boolean {
  return !!(f.text || f.label || f.assignee);
}

/** The name an item's assignee is grouped under: `@alice` and `alice` are one person. */
export function assigneeName(item: Pick<Item, 'assignee'>): string | undefined {
  return item.assignee?.replace(/^@/, '') || undefined;
}

export function matchesFilter(item: Item, f: ItemFilter): boolean {
  if (f.label && !item.labels.some((l) => l.toLowerCase() === f.label!.toLowerCase())) return false;
  if (f.assignee && (assigneeName(item) ?? '').toLowerCase() !== f.assignee.replace(/^@/, '').toLowerCase()) return false;
  if (f.text) {
    const needle = f.text.toLowerCase();
    if (!item.id.toLowerCase().includes(needle) && !item.title.toLowerCase().includes(needle)) return false;
  }
  return true;
}

export function describeFilter(f: ItemFilter): string {
  const parts: string[] = [];
  if (f.text) parts.push(`"${f.text}"`);
  if (f.label) parts.push(`label ${f.label}`);
  if (f.assignee) parts.push(`assignee ${f.assignee}`);
  return parts.join(', ');
}
