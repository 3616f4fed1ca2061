/**
 * A task file seen as sync fields, and sync fields written back into a task file: the frontmatter
 * through the edit module (only the keys that change), the body replaced as a whole with the file's
 * own line ends, every other byte as it was.
 */
import { editFrontmatter, FrontmatterChange } from '../edit';
import { assigneeKey, Item, legacyStatusForState, PRIORITIES, State, statusForState } from '../model';
import { labelKey } from '../ops/labels';
import { findFrontmatter, FrontmatterBlock } from '../parse';
import { eolOf } from '../text';
import { currentState } from '../workflow';
import { NO_PRIORITY, Priority, SyncFields, SyncProviderId } from './provider';

/** The sync status a CLI-format file carries (FORMAT.md's `sync_status`). */
export type SyncStatus = 'local' | 'synced' | 'conflict';

/** The body after the frontmatter: one blank line after `---` belongs to the layout, not the text. */
function bodyParts(text: string): { prefix: string; body: string } {
  const block = findFrontmatter(text);
  const raw = typeof block === 'string' ? text : text.slice(block.bodyOffset);
  const lead = /^\r?\n/.exec(raw)?.[0] ?? '';
  return { prefix: lead, body: raw.slice(lead.length) };
}

/** The body in the form sync compares and sends: `\n` line ends. */
export function bodyOf(text: string): string {
  return bodyParts(text).body.replace(/\r\n/g, '\n');
}

/** The fields of a parsed item whose file text is `text`. */
export function itemFields(item: Item, text: string): SyncFields {
  const assignee = item.assignee && item.assignee !== 'unassigned' ? item.assignee : undefined;
  const priority = (PRIORITIES as readonly string[]).includes(item.priority ?? '') ? (item.priority as Priority) : undefined;
  return {
    title: item.title,
    body: bodyOf(text),
    state: currentState(item),
    labels: [...new Set(item.labels)],
    ...(assignee ? { assignee } : {}),
    ...(priority ? { priority } : {}),
  };
}

/** The remote ids in a file's `sync:` map, as text (`{github: 145}` gives `{github: '145'}`). */
export function syncIds(item: Item): Partial<Record<string, string>> {
  const sync = item.data.sync;
  if (!sync || typeof sync !== 'object' || Array.isArray(sync)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sync as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  }
  return out;
}

export interface LocalWrite {
  /** Fields to change, in the local vocabulary. */
  changes: Partial<SyncFields>;
  provider: SyncProviderId;
  /** Who the change comes from, for state_metadata (the provider's name). */
  by: string;
  /** The remote id to record under `sync.<provider>`. */
  remoteId?: string;
  /** The CLI format's sync_status to set. */
  syncStatus?: SyncStatus;
  now?: Date;
}

function stateChanges(item: Item, to: State, by: string, now: string): FrontmatterChange[] {
  const from = currentState(item);
  if (item.format === 'legacy') {
    const legacy = legacyStatusForState(to);
    return legacy
      ? [{ key: 'status', value: legacy, after: 'type' }, ...('state' in item.data ? [{ key: 'state', remove: true } as const] : [])]
      : [{ key: 'state', value: to, after: 'status' in item.data ? 'status' : 'type' }];
  }
  // Not a user's transition (the rules do not apply), but recorded like one so its origin stays visible.
  const metadata = { transitioned_at: now, transitioned_by: by, previous_state: from, automation_eligible: false, automation_source: 'sync' };
  const anchor = 'status' in item.data ? 'status' : 'description' in item.data ? 'description' : 'title';
  return [
    { key: 'status', value: statusForState(to), after: 'description' in item.data ? 'description' : 'title' },
    { key: 'state', value: to, after: anchor },
    { key: 'state_metadata', value: metadata, after: 'state' in item.data ? 'state' : anchor },
  ];
}

/** The frontmatter changes for a write (without the body). */
function frontmatterChanges(item: Item, w: LocalWrite, now: string): FrontmatterChange[] {
  const out: FrontmatterChange[] = [];
  const c = w.changes;
  if (c.title !== undefined) out.push({ key: 'title', value: c.title });
  if (c.state !== undefined && c.state !== currentState(item)) out.push(...stateChanges(item, c.state, w.by, now));
  if (c.labels !== undefined) out.push({ key: labelKey(item), value: c.labels });
  if ('assignee' in c) {
    const key = assigneeKey(item.format, item.data);
    if (c.assignee) out.push({ key, value: c.assignee });
    else if (item.format === 'cli') out.push({ key, value: 'unassigned' });
    else if (key in item.data) out.push({ key, remove: true });
  }
  if (c.priority !== undefined) out.push({ key: 'priority', value: c.priority });
  // A priority cleared remotely: a file that holds one takes what an item without one means.
  else if ('priority' in c && 'priority' in item.data && item.data.priority !== NO_PRIORITY) out.push({ key: 'priority', value: NO_PRIORITY });
  const contentChanged = out.length > 0 || c.body !== undefined;
  if (contentChanged) {
    if (item.format === 'cli') out.push({ key: 'updated_date', value: now, after: 'created_date' });
    else if ('updated' in item.data) {
      const dateOnly = typeof item.data.updated === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(item.data.updated);
      out.push({ key: 'updated', value: dateOnly ? now.slice(0, 10) : now });
    }
  }
  if (w.remoteId !== undefined && syncIds(item)[w.provider] !== w.remoteId) {
    const old = item.data.sync && typeof item.data.sync === 'object' && !Array.isArray(item.data.sync) ? (item.data.sync as Record<string, unknown>) : {};
    const id = /^\d+$/.test(w.remoteId) ? Number(w.remoteId) : w.remoteId;
    out.push({ key: 'sync', value: { ...old, [w.provider]: id } });
  }
  if (w.syncStatus && item.format === 'cli' && item.data.sync_status !== w.syncStatus) {
    out.push({ key: 'sync_status', value: w.syncStatus, after: 'ai_context' });
  }
  return out;
}

/** The new text of a task file after a sync write; the same text when nothing changes. */
export function applyLocal(text: string, item: Item, w: LocalWrite): string {
  const now = (w.now ?? new Date()).toISOString();
  const changes = frontmatterChanges(item, w, now);
  let out = changes.length ? editFrontmatter(text, changes).text : text;
  if (w.changes.body !== undefined && w.changes.body !== bodyOf(out)) {
    const block = findFrontmatter(out) as FrontmatterBlock;
    const { prefix } = bodyParts(out);
    const eol = eolOf(text);
    // An empty file body after `---` still gets the blank line the CLI's layout has.
    const lead = prefix || eol;
    out = out.slice(0, block.bodyOffset) + lead + w.changes.body.replace(/\r?\n/g, eol);
  }
  return out;
}
