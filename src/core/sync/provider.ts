/**
 * What every sync provider (GitHub Issues, Jira Cloud, Linear) offers the sync engine. Providers speak
 * their service's API and map its items into the local vocabulary; the engine owns the base
 * snapshots, the three-way merge, the sync state and every write to a task file.
 */
import { State } from '../model';

export const SYNC_PROVIDERS = ['github', 'jira', 'linear'] as const;
export type SyncProviderId = (typeof SYNC_PROVIDERS)[number];

export type Priority = 'low' | 'medium' | 'high' | 'critical';
/**
 * What an item without a priority means locally: a task file always holds one, and a new file gets
 * `medium`, so a remote item with none and a file with `medium` agree.
 */
export const NO_PRIORITY: Priority = 'medium';

/** The fields sync maps, in the local vocabulary. */
export interface SyncFields {
  title: string;
  /** Markdown, without the frontmatter. */
  body: string;
  state: State;
  /** Compared and merged as a set. */
  labels: string[];
  /** The local name (a provider maps its users through the configured user map). */
  assignee?: string;
  priority?: Priority;
}
export type SyncField = keyof SyncFields;
export const SYNC_FIELDS: readonly SyncField[] = ['title', 'body', 'state', 'labels', 'assignee', 'priority'];

/** An item as the remote service has it, already mapped into the local vocabulary. */
export interface RemoteItem {
  /** What the API addresses the item by: GitHub's issue number, Jira's issue key, Linear's identifier. */
  remoteId: string;
  /** How people refer to it: `#145`, `AUTH-234`, `ENG-12`. */
  key: string;
  url?: string;
  /** ISO time of the last remote change; the engine compares it to notice an edit it did not make. */
  updatedAt: string;
  /** The local id this item was created for (read back from the marker `create` leaves), if any. */
  localId?: string;
  fields: SyncFields;
}

/** Progress and cancellation for one provider call. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface UpdateOptions extends CallOptions {
  /**
   * The item as the write was planned on. None of these services has a conditional write, so the
   * provider reads the item again right before its first write and writes nothing if it moved since
   * (RemoteMovedError); label changes go out as additions and removals against it, so that a label
   * someone adds or removes meanwhile stays as they left it.
   */
  basis?: RemoteItem;
}

/** Thrown by `update` when the item changed since its basis was read; nothing was written. */
export class RemoteMovedError extends Error {
  constructor(readonly current: RemoteItem) {
    super(`${current.key} changed while it was being synced.`);
  }
}

/** Throws RemoteMovedError when `now` is not the item `basis` was read as. */
export function assertUnmoved(now: RemoteItem, basis: RemoteItem | undefined): void {
  if (basis && (now.updatedAt !== basis.updatedAt || JSON.stringify(now.fields) !== JSON.stringify(basis.fields))) throw new RemoteMovedError(now);
}

/** Labels to add and to remove to go from `from` to `to`, compared by `key` (the service's spelling). */
export function labelChanges(from: readonly string[], to: readonly string[], key: (l: string) => string = (l) => l): { add: string[]; remove: string[] } {
  const had = new Set(from.map(key));
  const wanted = new Set(to.map(key));
  return { add: to.filter((l) => !had.has(key(l))), remove: from.filter((l) => !wanted.has(key(l))) };
}

export interface SyncProvider {
  readonly id: SyncProviderId;
  /** Human name: "GitHub Issues", "Jira", "Linear". */
  readonly label: string;
  /** The fields this service can hold; the others are neither pushed nor pulled (GitHub has no priority). */
  readonly fields: ReadonlySet<SyncField>;

  /**
   * Every item changed at or after `since` (all items when undefined), across all pages, oldest
   * first where the API allows. Pull requests and other non-issue kinds are never yielded.
   */
  listChanged(since: string | undefined, opts?: CallOptions): AsyncIterable<RemoteItem>;
  /** The item as it is now; undefined when it was deleted or is no longer visible. */
  get(remoteId: string, opts?: CallOptions): Promise<RemoteItem | undefined>;
  /** The item created earlier for this local id (found by its marker), so a retried create makes no twin. */
  findByLocalId(localId: string, opts?: CallOptions): Promise<RemoteItem | undefined>;
  /** Create an item carrying a marker for `localId`; never retried blindly by the provider. */
  create(localId: string, fields: SyncFields, opts?: CallOptions): Promise<RemoteItem>;
  /**
   * Write only the given fields (labels as the full set wanted; see UpdateOptions.basis) and read the
   * item back; returns it as that read found it. Never sends a write twice: after a lost response it
   * throws, and the caller reads the item to learn what happened.
   */
  update(remoteId: string, changes: Partial<SyncFields>, opts?: UpdateOptions): Promise<RemoteItem>;
  /**
   * Whether two local states mean the same thing on this service (GitHub "open" covers planning,
   * active and the ready_* states): the engine uses it so that a coarse remote state never overwrites
   * a finer local one.
   */
  sameState(a: State, b: State): boolean;
  /**
   * The label as the service spells it (Jira turns spaces into hyphens): two labels with one spelling
   * there are the same label, and the local spelling is kept. Labels are compared as they are without it.
   */
  labelKey?(label: string): string;
  /**
   * What the service holds once `value` is written to `field`, where it keeps it in another form (Jira's
   * description goes through its document format): a value read back that differs only so is no one
   * else's edit. As written when absent.
   */
  asStored?(field: SyncField, value: unknown): unknown;
}

/** The coarse class of a local state, which every service can represent. */
export type StateCategory = 'unstarted' | 'started' | 'completed' | 'canceled';

export function stateCategory(state: State): StateCategory {
  switch (state) {
    case 'planning':
      return 'unstarted';
    case 'done':
    case 'archived':
      return 'completed';
    case 'won_t_do':
      return 'canceled';
    default:
      return 'started';
  }
}

/** The local state a remote category maps to when the local side has no finer state to keep. */
export const CATEGORY_STATES: Record<StateCategory, State> = {
  unstarted: 'planning',
  started: 'active',
  completed: 'done',
  canceled: 'won_t_do',
};
