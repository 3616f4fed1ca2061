/** Item types, the unified state model and the shape of an indexed item. */
import type { KeySpans } from './keySpans';

export const ITEM_TYPES = ['epic', 'issue', 'task', 'pr', 'comment'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** The codicon of each type, in the trees and on the board. */
export const TYPE_CODICONS: Record<ItemType, string> = {
  epic: 'milestone',
  issue: 'issues',
  task: 'tasklist',
  pr: 'git-pull-request',
  comment: 'comment',
};

/** Which dialect a file is written in: the aitrackdown CLI's, or the older architecture document's. */
export type ItemFormat = 'cli' | 'legacy';

export const STATUSES = ['planning', 'active', 'completed', 'archived'] as const;
export const STATES = [
  'planning',
  'active',
  'ready_for_engineering',
  'ready_for_qa',
  'ready_for_deployment',
  'done',
  'won_t_do',
  'archived',
] as const;
export type State = (typeof STATES)[number];
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export const PR_STATUSES = ['draft', 'open', 'review', 'approved', 'merged', 'closed'] as const;
export const SYNC_STATUSES = ['local', 'synced', 'conflict'] as const;
/**
 * The older document's own status words. `open` is not among them, but its own example files use it;
 * a project's config.yaml may declare more (`workflows.statuses`, see ProjectConfig.customStatuses).
 */
export const LEGACY_STATUSES = ['todo', 'open', 'in-progress', 'in-review', 'done', 'blocked', 'cancelled'] as const;
export const LEGACY_TYPES = ['epic', 'issue', 'task'] as const;

/** Zero-based line/character position, as editors count them (UTF-16 code units). */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Stable codes: quick fixes and tests key on these, never on message text. */
export type ProblemCode =
  | 'yaml-syntax'
  | 'unquoted-at'
  | 'no-frontmatter'
  | 'unclosed-frontmatter'
  | 'not-a-mapping'
  | 'missing-key'
  | 'invalid-value'
  | 'invalid-type'
  | 'invalid-date'
  | 'leaked-key'
  | 'string-number'
  | 'broken-link'
  | 'duplicate-id'
  | 'id-mismatch'
  | 'legacy-format'
  | 'file-too-large'
  | 'frontmatter-too-large'
  | 'more-problems'
  | 'over-budget'
  | 'config';

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  message: string;
  range: Range;
  /** Extra facts a quick fix needs (allowed values, the id the filename implies, the other file…). */
  data?: {
    key?: string;
    allowed?: readonly string[];
    expectedId?: string;
    otherFile?: string;
    value?: string;
  };
}

/** Where a frontmatter key and its value sit in the file. */
export interface KeySpan {
  key: Range;
  value: Range;
}

export interface Item {
  id: string;
  type: ItemType;
  format: ItemFormat;
  title: string;
  /** Unified state (legacy and CLI status values mapped onto it); undefined when the file names none. */
  state?: State;
  /** The raw state/status word as written, for display when it is not a known state. */
  rawState?: string;
  priority?: string;
  assignee?: string;
  labels: string[];
  /** The parent link as written in this file: issue_id for tasks/PRs, epic_id for issues. */
  parentId?: string;
  epicId?: string;
  issueId?: string;
  estimatedTokens?: number;
  actualTokens?: number;
  created?: string;
  updated?: string;
  /** Absolute file system path. */
  file: string;
  /** Absolute path of the project root (the folder holding .ai-trackdown/ or tasks/). */
  root: string;
  /** The parsed frontmatter as plain data. */
  data: Record<string, unknown>;
  /** Where each top-level key and its value sit. */
  keys: KeySpans;
  /** Offset of the first body character in the text. */
  bodyOffset: number;
  /** A hash of the file text this item was parsed from; edits check it to refuse stale writes. */
  hash: string;
}

const CLI_STATUS_TO_STATE: Record<string, State> = {
  planning: 'planning',
  active: 'active',
  completed: 'done',
  archived: 'archived',
};
/** The first word of a state is the one written for it (legacyStatusForState): `in-progress` for active, never `blocked`. */
const LEGACY_STATUS_TO_STATE: Record<(typeof LEGACY_STATUSES)[number], State> = {
  todo: 'planning',
  open: 'planning',
  'in-progress': 'active',
  'in-review': 'ready_for_qa',
  done: 'done',
  // The unified workflow has no state for work that is held up, and the CLI keeps such work open,
  // recording why in `state_metadata.blocked_reason`. Active keeps it open, counted as work under way
  // and in the board's Active column; the word stays the item's rawState and isBlocked() tells it apart.
  blocked: 'active',
  cancelled: 'won_t_do',
};

/** Map any state/status word of either format onto the unified state model. */
export function toState(word: unknown): State | undefined {
  if (typeof word !== 'string') return undefined;
  if ((STATES as readonly string[]).includes(word)) return word as State;
  // Own keys only: `status: constructor` must not pick up Object.prototype members.
  if (Object.hasOwn(CLI_STATUS_TO_STATE, word)) return CLI_STATUS_TO_STATE[word];
  return Object.hasOwn(LEGACY_STATUS_TO_STATE, word) ? LEGACY_STATUS_TO_STATE[word as keyof typeof LEGACY_STATUS_TO_STATE] : undefined;
}

/**
 * The known status or state word a word spells (a config's custom status, a status written by hand), with
 * case, spaces, dashes and underscores evened out (`Ready for QA` is ready_for_qa, `In Progress` is
 * in-progress), or undefined.
 */
export function knownStatusWord(word: string): string | undefined {
  const w = word.trim().toLowerCase();
  return [w, w.replace(/[\s_]+/g, '-'), w.replace(/[\s-]+/g, '_')].find((v) => toState(v) !== undefined);
}

/** The status words an older-format file may hold in a project: the document's own, then those its config declares. */
export function legacyStatusWords(customStatuses: readonly string[]): readonly string[] {
  return customStatuses.length ? [...LEGACY_STATUSES, ...customStatuses] : LEGACY_STATUSES;
}

/**
 * The unified state of the state/status word an item's file holds. A word the project's config declares
 * (`customStatuses`) means the state its name spells, if any; else it has none and is shown as written.
 */
export function itemState(word: string | undefined, customStatuses: readonly string[] = []): State | undefined {
  const state = toState(word);
  if (state || word === undefined || !customStatuses.includes(word)) return state;
  return toState(knownStatusWord(word));
}

/** The CLI's `status` word that goes with a unified state. */
export function statusForState(state: State): (typeof STATUSES)[number] {
  switch (state) {
    case 'planning':
      return 'planning';
    case 'done':
      return 'completed';
    case 'archived':
    case 'won_t_do':
      return 'archived';
    default:
      return 'active';
  }
}

/** The older format's status word for a unified state, where one fits exactly. */
export function legacyStatusForState(state: State): (typeof LEGACY_STATUSES)[number] | undefined {
  const hit = Object.entries(LEGACY_STATUS_TO_STATE).find(([, s]) => s === state);
  return hit?.[0] as (typeof LEGACY_STATUSES)[number] | undefined;
}

export function isClosed(state: State | undefined): boolean {
  return state === 'done' || state === 'won_t_do' || state === 'archived';
}

export const STATE_LABELS: Record<State, string> = {
  planning: 'Planning',
  active: 'Active',
  ready_for_engineering: 'Ready for Engineering',
  ready_for_qa: 'Ready for QA',
  ready_for_deployment: 'Ready for Deployment',
  done: 'Done',
  won_t_do: "Won't Do",
  archived: 'Archived',
};

/**
 * Is this open work held up? The older format says so with `status: blocked` (or a declared word that
 * spells it); the CLI's with `state_metadata.blocked_reason`, which every transition replaces, so the
 * mark goes when the work moves on.
 */
export function isBlocked(item: Pick<Item, 'state' | 'rawState' | 'data'>): boolean {
  if (!item.state || isClosed(item.state)) return false;
  if (item.rawState !== undefined && knownStatusWord(item.rawState) === 'blocked') return true;
  const metadata = item.data.state_metadata as { blocked_reason?: unknown } | null | undefined;
  return typeof metadata?.blocked_reason === 'string' && metadata.blocked_reason.trim() !== '';
}

/** The state as people read it (undefined when the file names no known state): its label, marked when the work is blocked. */
export function stateText(item: Pick<Item, 'state' | 'rawState' | 'data'>): string | undefined {
  if (!item.state) return undefined;
  return isBlocked(item) ? `${STATE_LABELS[item.state]} (blocked)` : STATE_LABELS[item.state];
}

/**
 * The key an item's assignee is read from and written to. The older document writes `owner` on epics;
 * `assignee` wins when it holds a name.
 */
export function assigneeKey(format: ItemFormat, data: Record<string, unknown>): 'assignee' | 'owner' {
  const named = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  return format === 'legacy' && !named(data.assignee) && named(data.owner) ? 'owner' : 'assignee';
}

/** The frontmatter key that holds an item's id, per type and format. */
export function idKey(type: ItemType, format: ItemFormat): string {
  if (format === 'legacy') return 'id';
  return type === 'comment' ? 'id' : `${type}_id`;
}

const TYPE_ORDER: Record<ItemType, number> = { epic: 0, issue: 1, task: 2, pr: 3, comment: 4 };
// Made on first use: a collator costs milliseconds of ICU set-up, which loading this module should not.
let collator: Intl.Collator | undefined;

/** Display order: by type (epics first), then by id with numbers compared as numbers. */
export function compareItems(a: Item, b: Item): number {
  collator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  return TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || collator.compare(a.id, b.id) || collator.compare(a.file, b.file);
}
