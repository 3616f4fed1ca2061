/**
 * The board's logic, shared by the host and the webview (no Node, no 'vscode'): which cards a filter
 * keeps, how they fall into columns and swimlanes, WIP limits, and whether a move is allowed.
 */
import type { BoardCard, EpicRef } from './board';
import { STATE_LABELS, State, STATES } from './model';
import { allowedTargets, canTransition, describeRefusal } from './workflow';

export type BoardCardType = BoardCard['type'];
export const BOARD_TYPES: readonly BoardCardType[] = ['epic', 'issue', 'task', 'pr'];
export const SWIMLANES = ['none', 'epic', 'assignee'] as const;
export type Swimlane = (typeof SWIMLANES)[number];

export interface BoardFilter {
  /** Part of the id or the title, any case. */
  text?: string;
  /** Only these types; empty or absent: every type. */
  types?: BoardCardType[];
  label?: string;
  /** An assignee name (`@alice` and `alice` are one person); NO_ASSIGNEE for unassigned cards. */
  assignee?: string;
  /** An epic id; NO_EPIC for cards under no epic. */
  epic?: string;
}

export const NO_ASSIGNEE = ':unassigned';
export const NO_EPIC = ':none';

export interface BoardSettings {
  /** The columns, in order. */
  columns: State[];
  /** Most cards a column should hold; a column over its limit is highlighted. */
  wipLimits: Partial<Record<State, number>>;
}

/** Every state of the unified model, in its order, but archived. */
export const DEFAULT_COLUMNS: readonly State[] = STATES.filter((s) => s !== 'archived');

export interface ColumnView {
  state: State;
  label: string;
  /** Every card in the column, filtered or not: what a WIP limit counts. */
  total: number;
  /** Cards the filter keeps. */
  shown: number;
  limit?: number;
  overLimit: boolean;
}

export interface LaneView {
  key: string;
  label: string;
  /** One list of cards per column, in column order. */
  cells: BoardCard[][];
  count: number;
}

export interface BoardView {
  columns: ColumnView[];
  lanes: LaneView[];
  /** Cards the filter keeps, in the shown columns. */
  shown: number;
  /** Cards in no shown column (e.g. archived while that column is hidden). */
  outside: number;
}

/** The columns actually shown: the settings' order, archived added at the end when asked for. */
export function shownColumns(settings: BoardSettings, showArchived: boolean): State[] {
  const cols = settings.columns.filter((s, i) => settings.columns.indexOf(s) === i && (showArchived || s !== 'archived'));
  if (showArchived && !cols.includes('archived')) cols.push('archived');
  return cols;
}

export const assigneeKey = (card: Pick<BoardCard, 'assignee'>): string => card.assignee?.replace(/^@/, '') || NO_ASSIGNEE;

export function matchesBoardFilter(card: BoardCard, f: BoardFilter): boolean {
  if (f.types?.length && !f.types.includes(card.type)) return false;
  if (f.label && !card.labels.some((l) => l.toLowerCase() === f.label!.toLowerCase())) return false;
  if (f.assignee && assigneeKey(card).toLowerCase() !== f.assignee.replace(/^@/, '').toLowerCase()) return false;
  if (f.epic && (card.epicId ?? NO_EPIC) !== f.epic) return false;
  if (f.text) {
    const needle = f.text.trim().toLowerCase();
    if (needle && !card.id.toLowerCase().includes(needle) && !card.title.toLowerCase().includes(needle)) return false;
  }
  return true;
}

export function isBoardFilterActive(f: BoardFilter): boolean {
  return !!(f.text?.trim() || f.types?.length || f.label || f.assignee || f.epic);
}

const PRIORITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Within a column: most urgent first, then by id (numbers compared as numbers). */
export function compareCards(a: BoardCard, b: BoardCard): number {
  const pa = PRIORITY_RANK[a.priority ?? ''] ?? 4;
  const pb = PRIORITY_RANK[b.priority ?? ''] ?? 4;
  return pa - pb || collator.compare(a.id, b.id) || collator.compare(a.file, b.file);
}

function laneOf(card: BoardCard, swimlane: Swimlane, epics: ReadonlyMap<string, string>): { key: string; label: string } {
  if (swimlane === 'epic') {
    if (!card.epicId) return { key: NO_EPIC, label: 'No epic' };
    const title = epics.get(card.epicId);
    return { key: card.epicId, label: title === undefined ? `${card.epicId} (not found)` : `${card.epicId} ${title}` };
  }
  if (swimlane === 'assignee') {
    const key = assigneeKey(card);
    return { key, label: key === NO_ASSIGNEE ? 'Unassigned' : key };
  }
  return { key: '', label: '' };
}

/** Lanes in a stable order: named lanes alphabetically (epics by id), the "none" lane last. */
function compareLanes(a: LaneView, b: LaneView): number {
  const none = (l: LaneView) => (l.key === NO_EPIC || l.key === NO_ASSIGNEE ? 1 : 0);
  return none(a) - none(b) || collator.compare(a.key, b.key);
}

export function layoutBoard(
  cards: Iterable<BoardCard>,
  settings: BoardSettings,
  opts: { filter?: BoardFilter; swimlane?: Swimlane; showArchived?: boolean; epics?: readonly EpicRef[] } = {},
): BoardView {
  const columns = shownColumns(settings, opts.showArchived ?? false);
  const colIndex = new Map(columns.map((s, i) => [s, i]));
  const totals = columns.map(() => 0);
  const shown = columns.map(() => 0);
  const epics = new Map((opts.epics ?? []).map((e) => [e.id, e.title]));
  const lanes = new Map<string, LaneView>();
  const filter = opts.filter ?? {};
  const swimlane = opts.swimlane ?? 'none';
  let outside = 0;
  for (const card of cards) {
    const col = colIndex.get(card.state);
    if (col === undefined) {
      outside++;
      continue;
    }
    totals[col]++;
    if (!matchesBoardFilter(card, filter)) continue;
    shown[col]++;
    const { key, label } = laneOf(card, swimlane, epics);
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { key, label, cells: columns.map(() => []), count: 0 }));
    lane.cells[col].push(card);
    lane.count++;
  }
  const laneList = [...lanes.values()].sort(compareLanes);
  for (const lane of laneList) for (const cell of lane.cells) cell.sort(compareCards);
  // Without swimlanes there is always exactly one lane, also when no card matches.
  if (swimlane === 'none' && !laneList.length) laneList.push({ key: '', label: '', cells: columns.map(() => []), count: 0 });
  return {
    columns: columns.map((state, i) => {
      const limit = settings.wipLimits[state];
      return { state, label: STATE_LABELS[state], total: totals[i], shown: shown[i], limit, overLimit: limit !== undefined && totals[i] > limit };
    }),
    lanes: laneList,
    shown: shown.reduce((a, b) => a + b, 0),
    outside,
  };
}

export type MovePlan =
  | { kind: 'none' }
  | { kind: 'allowed' }
  | { kind: 'refused'; message: string };

/** What dropping a card on a column means: nothing, a transition the rules allow, or one they refuse. */
export function planMove(card: Pick<BoardCard, 'state'>, to: State): MovePlan {
  if (card.state === to) return { kind: 'none' };
  return canTransition(card.state, to) ? { kind: 'allowed' } : { kind: 'refused', message: describeRefusal(card.state, to) };
}

/** The columns a dragged card may be dropped on without forcing. */
export function allowedDropTargets(card: Pick<BoardCard, 'state'>): readonly State[] {
  return allowedTargets(card.state);
}

/** The column `step` places left or right of `from` among the shown ones. */
export function adjacentColumn(columns: readonly State[], from: State, step: -1 | 1): State | undefined {
  const i = columns.indexOf(from);
  return i === -1 ? undefined : columns[i + step];
}

/**
 * Where a keyboard move takes a card: the nearest shown column that way which the rules allow
 * (Planning → Ready for Engineering skips Active), else the adjacent one, to be refused and offered
 * as a forced move.
 */
export function keyboardTarget(columns: readonly State[], card: Pick<BoardCard, 'state'>, step: -1 | 1): State | undefined {
  const allowed = allowedTargets(card.state);
  for (let i = columns.indexOf(card.state) + step; i >= 0 && i < columns.length; i += step) if (allowed.includes(columns[i])) return columns[i];
  return adjacentColumn(columns, card.state, step);
}

/** Settings as the user wrote them, cleaned: known states only, positive whole WIP limits. */
export function normalizeBoardSettings(columns: unknown, wipLimits: unknown, known: readonly State[]): BoardSettings {
  const cols = Array.isArray(columns) ? columns.filter((c): c is State => known.includes(c as State)) : [];
  const limits: Partial<Record<State, number>> = {};
  if (wipLimits && typeof wipLimits === 'object') {
    for (const [k, v] of Object.entries(wipLimits)) {
      if (known.includes(k as State) && typeof v === 'number' && Number.isInteger(v) && v >= 0) limits[k as State] = v;
    }
  }
  return { columns: cols.length ? [...new Set(cols)] : [...DEFAULT_COLUMNS], wipLimits: limits };
}
