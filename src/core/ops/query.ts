/**
 * Reading items the way every front door lists and shows them: which items a query matches, the JSON
 * shape of an item (documented in the README, stable for scripts and agents), and a field of an item
 * as scripts name it (`state`, `state_metadata.automation_eligible`, `tags.0`).
 */
import type { ProjectConfig } from '../config';
import { relativePath } from '../paths';
import { assigneeName } from '../filter';
import type { Project, TaskIndex } from '../index';
import { compareItems, type Item, type ItemType, itemState, knownStatusWord, LEGACY_STATUSES, type State, STATES, STATUSES, toState } from '../model';
import { InvalidInputError, InvalidStateError } from './input';

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

/** What to list; every part given must match. */
export interface ItemQuery {
  /** A unified state (ready_for_qa) or a status word of either format or of the config (active, in-progress…). */
  state?: string;
  /** Without a type, comments are left out. */
  type?: ItemType;
  /** @name or name, any case. */
  assignee?: string;
  /** Any of these labels, any case. */
  labels?: readonly string[];
  priority?: string;
  /** Fields whose value (as fieldValue reads it, as text) is this, or for a list holds it. */
  fields?: readonly (readonly [key: string, value: string])[];
}

/** The state words a project's files may hold: the unified states, the CLI's statuses, the older ones and the config's own. */
function stateWords(config: ProjectConfig): string[] {
  return [...new Set<string>([...STATES, ...STATUSES, ...LEGACY_STATUSES, ...config.customStatuses])];
}

/**
 * What a state word matches: the items in the unified state it means (`completed` and `done` are one),
 * or, for a status the config declares that spells no state, the items that say it. Anything else is
 * an InvalidStateError listing the words there are.
 */
function stateTest(word: string, config: ProjectConfig): (i: Item) => boolean {
  const state: State | undefined = itemState(word, config.customStatuses) ?? toState(knownStatusWord(word));
  if (state) return (i) => i.state === state;
  if (config.customStatuses.includes(word)) return (i) => i.rawState === word;
  throw new InvalidStateError(word, stateWords(config));
}

/** The test of a query; InvalidStateError or InvalidInputError when a part of it cannot match anything. */
export function itemMatcher(index: TaskIndex, project: Project, q: ItemQuery): (i: Item) => boolean {
  const tests: ((i: Item) => boolean)[] = [];
  if (q.state !== undefined) tests.push(stateTest(q.state, project.config));
  tests.push(q.type ? (i) => i.type === q.type : (i) => i.type !== 'comment');
  if (q.assignee !== undefined) {
    const who = q.assignee.replace(/^@/, '').toLowerCase();
    tests.push((i) => (assigneeName(i) ?? '').toLowerCase() === who);
  }
  const labels = (q.labels ?? []).map((l) => l.trim().toLowerCase()).filter(Boolean);
  if (labels.length) tests.push((i) => i.labels.some((l) => labels.includes(l.toLowerCase())));
  if (q.priority !== undefined) {
    const p = q.priority.toLowerCase();
    tests.push((i) => i.priority?.toLowerCase() === p);
  }
  for (const [key, want] of q.fields ?? []) {
    if (!key) throw new InvalidInputError('A field test needs a field name.');
    tests.push((i) => {
      const value = fieldValue(index, i, key);
      return value !== undefined && (Array.isArray(value) ? value.some((v) => rawText(v) === want) : rawText(value) === want);
    });
  }
  return (i) => tests.every((t) => t(i));
}

/** The project's items a test matches, in the trees' order. */
export function listItems(index: TaskIndex, project: Project, matches: (i: Item) => boolean): Item[] {
  return [...index.items(project.root)].filter(matches).sort(compareItems);
}
