/**
 * Three-way merge of one item's sync fields: the base snapshot both sides had at the last sync, the
 * local file and the remote item. A side that changed a field alone wins it; two different changes to
 * one field are a conflict, returned as data and never settled here.
 */
import { State } from '../model';
import { NO_PRIORITY, SyncField, SyncFields, SyncProvider } from './provider';
import { mergeText } from './textMerge';

export interface FieldConflict {
  field: SyncField;
  base: unknown;
  local: unknown;
  remote: unknown;
}

export interface MergeResult {
  /** The fields as they should be on both sides (a conflicted field keeps the local value). */
  merged: SyncFields;
  /** What the local file must change to reach `merged`. */
  toLocal: Partial<SyncFields>;
  /** What the remote item must change to reach `merged`. */
  toRemote: Partial<SyncFields>;
  conflicts: FieldConflict[];
}

export type MergeProvider = Pick<SyncProvider, 'fields' | 'sameState' | 'labelKey'>;

const keyOf = (provider: MergeProvider) => (l: string) => (provider.labelKey ? provider.labelKey(l) : l);

/**
 * Labels compared as sets; an absent assignee and an empty one are the same, an absent priority and
 * `medium` too; bodies without their trailing blank lines (which no service keeps).
 */
export function sameValue(field: SyncField, a: unknown, b: unknown, provider: MergeProvider): boolean {
  if (field === 'labels') {
    const key = keyOf(provider);
    const x = new Set(((a as string[] | undefined) ?? []).map(key));
    const y = new Set(((b as string[] | undefined) ?? []).map(key));
    return x.size === y.size && [...x].every((l) => y.has(l));
  }
  if (field === 'body') return String(a ?? '').trimEnd() === String(b ?? '').trimEnd();
  if (field === 'priority') return (a ?? NO_PRIORITY) === (b ?? NO_PRIORITY);
  if (field === 'state') return a === b || (a !== undefined && b !== undefined && provider.sameState(a as State, b as State));
  return (a ?? '') === (b ?? '');
}

/** Removed on either side removes; added on either side adds. Local order first, then remote additions. */
function mergeLabels(base: string[], local: string[], remote: string[], key: (l: string) => string = (l) => l): string[] {
  const inBase = new Set(base.map(key));
  const inLocal = new Set(local.map(key));
  const inRemote = new Set(remote.map(key));
  const keep = (k: string) => (inBase.has(k) ? inLocal.has(k) && inRemote.has(k) : inLocal.has(k) || inRemote.has(k));
  // One label per spelling on the service, the local spelling first.
  const out = new Map<string, string>();
  for (const l of [...local, ...remote]) if (!out.has(key(l)) && keep(key(l))) out.set(key(l), l);
  return [...out.values()];
}

/**
 * Merge per field. With `base` undefined (a link made without a snapshot, e.g. the state file was
 * lost) nobody can tell which side changed a field: labels are united, and any other difference is
 * a conflict, so that neither side's edit is overwritten. Fields in `hold` (open conflicts) are left
 * as they are on both sides.
 */
export function mergeFields(
  base: SyncFields | undefined,
  local: SyncFields,
  remote: SyncFields,
  provider: MergeProvider,
  hold: ReadonlySet<SyncField> = new Set(),
): MergeResult {
  if (!base) return mergeWithoutBase(local, remote, provider, hold);
  const b = base;
  const merged: SyncFields = { ...local, labels: [...local.labels] };
  const toLocal: Partial<SyncFields> = {};
  const toRemote: Partial<SyncFields> = {};
  const conflicts: FieldConflict[] = [];
  const set = <F extends SyncField>(field: F, value: SyncFields[F]) => {
    merged[field] = value;
    if (!sameValue(field, value, local[field], provider)) toLocal[field] = value;
    if (!sameValue(field, value, remote[field], provider)) toRemote[field] = value;
  };
  for (const field of provider.fields) {
    if (hold.has(field)) continue;
    const l = local[field];
    const r = remote[field];
    const o = b[field];
    if (field === 'labels') {
      set('labels', mergeLabels(b.labels, local.labels, remote.labels, keyOf(provider)));
      continue;
    }
    if (field === 'state') {
      // The local state is exact; the remote one may be coarser, so "changed" is judged by the provider.
      const localChanged = local.state !== b.state;
      const remoteChanged = !provider.sameState(b.state, remote.state);
      if (remoteChanged && !localChanged) set('state', remote.state);
      else if (remoteChanged && localChanged && !provider.sameState(local.state, remote.state)) {
        conflicts.push({ field, base: o, local: l, remote: r });
      } else set('state', local.state);
      continue;
    }
    const localChanged = !sameValue(field, l, o, provider);
    const remoteChanged = !sameValue(field, r, o, provider);
    if (!remoteChanged) set(field, l as never);
    else if (!localChanged) set(field, r as never);
    else if (sameValue(field, l, r, provider)) set(field, l as never);
    else if (field === 'body') {
      const text = mergeText(String(o ?? ''), String(l ?? ''), String(r ?? ''));
      if (text.ok) set('body', text.text);
      else conflicts.push({ field, base: o, local: l, remote: r });
    } else conflicts.push({ field, base: o, local: l, remote: r });
  }
  return { merged, toLocal, toRemote, conflicts };
}

function mergeWithoutBase(local: SyncFields, remote: SyncFields, provider: MergeProvider, hold: ReadonlySet<SyncField>): MergeResult {
  // The intersection as base: what either side has is kept, nothing is removed.
  const key = keyOf(provider);
  const remoteKeys = new Set(remote.labels.map(key));
  const labels = local.labels.filter((l) => remoteKeys.has(key(l)));
  const base: SyncFields = { ...local, labels };
  const differing: FieldConflict[] = [];
  for (const field of provider.fields) {
    if (hold.has(field) || field === 'labels') continue;
    if (sameValue(field, local[field], remote[field], provider)) continue;
    differing.push({ field, base: undefined, local: local[field], remote: remote[field] });
    (base as unknown as Record<string, unknown>)[field] = remote[field];
  }
  // Merged against a base that agrees with the remote wherever the sides differ: nothing moves there but labels.
  const held = new Set([...hold, ...differing.map((c) => c.field)]);
  const m = mergeFields(base, local, remote, provider, held);
  return { ...m, conflicts: differing };
}
