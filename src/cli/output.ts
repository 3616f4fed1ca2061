/**
 * What commands print: the JSON shape of an item (documented in the README, stable for scripts), plain
 * tables, and text from task files made safe for a terminal.
 */
import * as path from 'path';
import type { TaskIndex } from '../core/index';
import type { Item } from '../core/model';

/** An item as `status --format json` lists it. Paths are relative to the project root, with `/`. */
export interface ItemJson {
  id: string;
  type: Item['type'];
  /** The unified state (state wins over status; completed is done); null when the file names none we know. */
  state: string | null;
  /** The `status` word as written in the file. */
  status: string | null;
  title: string;
  priority: string | null;
  assignee: string | null;
  labels: string[];
  /** The parent link as written: issue_id of a task or PR, epic_id of an issue. */
  parent: string | null;
  /** The epic the item belongs to: its epic_id, else its parent's. */
  epic: string | null;
  file: string;
  state_metadata: Record<string, unknown> | null;
}

/** An item as `show --format json` prints it: the list's shape with the whole frontmatter and the body. */
export interface ItemDetailJson extends ItemJson {
  frontmatter: Record<string, unknown>;
  body: string;
}

const record = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** The epic an item belongs to: as written, else up its parents (an item met twice ends the walk). */
export function epicOf(index: TaskIndex, item: Item): string | undefined {
  const seen = new Set<string>();
  for (let at: Item | undefined = item; at && !seen.has(at.file); at = index.parent(at)) {
    seen.add(at.file);
    if (at !== item && at.type === 'epic') return at.id;
    if (at.epicId) return at.epicId;
  }
  return undefined;
}

export function relativePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

export function itemJson(index: TaskIndex, item: Item): ItemJson {
  return {
    id: item.id,
    type: item.type,
    state: item.state ?? null,
    status: typeof item.data.status === 'string' ? item.data.status : null,
    title: item.title,
    priority: item.priority ?? null,
    assignee: item.assignee ?? null,
    labels: item.labels,
    parent: item.parentId ?? null,
    epic: item.type === 'epic' ? null : epicOf(index, item) ?? null,
    file: relativePath(item.root, item.file),
    state_metadata: record(item.data.state_metadata),
  };
}

/**
 * Text from a task file for a terminal: control characters (escape sequences could move the cursor,
 * rewrite the screen or set the window title) and bidirectional overrides become U+FFFD.
 */
export function terminalText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}

/** Rows under a header, each column as wide as its widest cell; the last column is not padded. */
export function table(head: string[], rows: string[][]): string {
  const cells = [head, ...rows].map((r) => r.map(terminalText));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Write to stdout; resolves once the text is handed to the system (a pipe may be slower than us). */
export function print(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!text) resolve();
    else process.stdout.write(text, () => resolve());
  });
}
