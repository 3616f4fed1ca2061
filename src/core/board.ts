/**
 * What the kanban board shows of each item: one plain, serialisable card per indexed item of a
 * project, and the difference between two sets of cards (so a live update sends only what changed).
 */
import type { TaskIndex } from './index';
import { isBlocked, Item, ItemType, State } from './model';
import { currentState } from './workflow';

export interface BoardCard {
  /** Absolute path: the card's key. */
  file: string;
  id: string;
  title: string;
  type: Exclude<ItemType, 'comment'>;
  /** The column it sits in: the unified state, planning when the file names none or an unknown word. */
  state: State;
  /** The state word as written when it is not one the workflow knows. */
  unknownState?: string;
  /** Open work held up (the older `status: blocked`, or the CLI's `state_metadata.blocked_reason`): its column is its open state. */
  blocked?: true;
  priority?: string;
  assignee?: string;
  labels: string[];
  /** The epic the item belongs to: its own id for an epic, else its epic_id or its parent issue's. */
  epicId?: string;
  parentId?: string;
  estimatedTokens?: number;
  actualTokens?: number;
  /** Closed and total children, when it has any. */
  progress?: { done: number; total: number };
  /** The context value of the card's menu, as in the trees (item:type:state[:labelled][:legacy]). */
  menu: string;
  /** A hash of the file text the card was made from. */
  hash: string;
}

export interface EpicRef {
  id: string;
  title: string;
}

/** The context value a tree row or a board card carries for its menus' when-clauses. */
export function menuContext(item: Item): string {
  let v = `item:${item.type}:${item.state ?? 'none'}`;
  if (item.labels.length) v += ':labelled';
  if (item.format === 'legacy') v += ':legacy';
  return v;
}

function epicOf(item: Item, index: TaskIndex): string | undefined {
  if (item.type === 'epic') return item.id;
  if (item.epicId) return item.epicId;
  const parent = index.parent(item);
  return parent?.type === 'epic' ? parent.id : parent?.epicId;
}

export function toCard(item: Item, index: TaskIndex): BoardCard | undefined {
  if (item.type === 'comment') return undefined;
  const card: BoardCard = {
    file: item.file,
    id: item.id,
    title: item.title,
    type: item.type,
    state: currentState(item),
    labels: item.labels,
    menu: menuContext(item),
    hash: item.hash,
  };
  if (!item.state && item.rawState) card.unknownState = item.rawState;
  if (isBlocked(item)) card.blocked = true;
  if (item.priority) card.priority = item.priority;
  if (item.assignee) card.assignee = item.assignee;
  const epicId = epicOf(item, index);
  if (epicId) card.epicId = epicId;
  if (item.parentId) card.parentId = item.parentId;
  if (item.estimatedTokens !== undefined) card.estimatedTokens = item.estimatedTokens;
  if (item.actualTokens !== undefined) card.actualTokens = item.actualTokens;
  const progress = index.progress(item);
  if (progress.total) card.progress = progress;
  return card;
}

/** Every card of one project, and the epics its swimlanes and filters name. */
export function projectCards(index: TaskIndex, root: string): { cards: BoardCard[]; epics: EpicRef[] } {
  const cards: BoardCard[] = [];
  const epics: EpicRef[] = [];
  for (const item of index.items(root)) {
    const card = toCard(item, index);
    if (!card) continue;
    cards.push(card);
    if (item.type === 'epic') epics.push({ id: item.id, title: item.title });
  }
  return { cards, epics };
}

export interface CardDiff {
  upserts: BoardCard[];
  removes: string[];
}

/**
 * What changed between the cards last sent (as their JSON text, by file) and the current ones; the
 * map is updated to the current cards. A change of one child changes its parent's progress too,
 * which is why whole projects are compared rather than the files an index event names.
 */
export function diffCards(sent: Map<string, string>, cards: readonly BoardCard[]): CardDiff {
  const upserts: BoardCard[] = [];
  const seen = new Set<string>();
  for (const card of cards) {
    seen.add(card.file);
    const json = JSON.stringify(card);
    if (sent.get(card.file) === json) continue;
    sent.set(card.file, json);
    upserts.push(card);
  }
  const removes: string[] = [];
  for (const file of sent.keys()) if (!seen.has(file)) removes.push(file);
  for (const file of removes) sent.delete(file);
  return { upserts, removes };
}
