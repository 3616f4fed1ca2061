/**
 * The sync state of one provider in one project: `.ai-trackdown/sync/<provider>.json`. It holds what
 * the files cannot: the base snapshot of each linked item (for the three-way merge), the remote time
 * and local content hash last synced, the remote cursor, creates in flight and open conflicts.
 * A file that cannot be read is an error to show, never a reason to start over: starting over would
 * forget creates in flight and every base snapshot.
 */
import * as path from 'path';
import { createFile, saveFile } from '../atomicWrite';
import { readRegularBytesSync } from '../fileRule';
import { hashText } from '../text';
import { SyncField, SyncFields, SyncProviderId } from './provider';

export const SYNC_STATE_VERSION = 1;

export interface LinkRecord {
  remoteId: string;
  key: string;
  url?: string;
  /** The fields both sides held after the last sync. */
  base: SyncFields;
  remoteUpdatedAt: string;
  /** Hash of the local file's text right after the last sync. */
  localHash: string;
}

export interface PendingCreate {
  /** When the create request was about to be sent. */
  startedAt: string;
  fields: SyncFields;
}

export interface ConflictRecord {
  localId: string;
  remoteId: string;
  key: string;
  field: SyncField;
  base: unknown;
  local: unknown;
  remote: unknown;
  detectedAt: string;
}

export interface SyncState {
  version: number;
  provider: SyncProviderId;
  /** The remote time the next incremental listing starts at. */
  cursor?: string;
  lastSync?: string;
  /** Per local id. */
  items: Record<string, LinkRecord>;
  pending: Record<string, PendingCreate>;
  conflicts: ConflictRecord[];
}

export class SyncStateError extends Error {}

export function syncStateFile(root: string, provider: SyncProviderId): string {
  return path.join(root, '.ai-trackdown', 'sync', `${provider}.json`);
}

export function emptyState(provider: SyncProviderId): SyncState {
  return { version: SYNC_STATE_VERSION, provider, items: {}, pending: {}, conflicts: [] };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copy an unreadable state file next to itself, byte for byte (once per content), so that fixing or deleting it loses nothing. */
async function keepAside(root: string, file: string, bytes: Buffer): Promise<string> {
  const aside = `${file}.bad-${hashText(bytes.toString('utf8')).replace(/[^A-Za-z0-9]/g, '').slice(0, 10)}`;
  await createFile(aside, bytes, { within: root });
  return aside;
}

/** Read the state; a missing file is an empty state, a corrupt or newer one a SyncStateError. */
export async function loadSyncState(root: string, provider: SyncProviderId): Promise<SyncState> {
  const file = syncStateFile(root, provider);
  let bytes: Buffer;
  try {
    bytes = readRegularBytesSync(file, { root });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState(provider);
    throw new SyncStateError(`${file} could not be read: ${(e as Error).message}`);
  }
  const text = bytes.toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const aside = await keepAside(root, file, bytes);
    throw new SyncStateError(`${file} is not valid JSON (${(e as Error).message}); a copy is kept at ${path.basename(aside)}. Fix or delete it to sync again.`);
  }
  if (!isObject(data) || typeof data.version !== 'number') {
    const aside = await keepAside(root, file, bytes);
    throw new SyncStateError(`${file} is not a sync state file; a copy is kept at ${path.basename(aside)}. Fix or delete it to sync again.`);
  }
  if (data.version > SYNC_STATE_VERSION) {
    throw new SyncStateError(`${file} was written by a newer version of the extension (format ${data.version}); update the extension to sync.`);
  }
  if (data.provider !== provider || !isObject(data.items) || !isObject(data.pending) || !Array.isArray(data.conflicts)) {
    const aside = await keepAside(root, file, bytes);
    throw new SyncStateError(`${file} is damaged (missing items, pending or conflicts); a copy is kept at ${path.basename(aside)}. Fix or delete it to sync again.`);
  }
  return data as unknown as SyncState;
}

/** Write the state atomically, so a crash leaves the old file or the new one. */
export async function saveSyncState(root: string, state: SyncState): Promise<void> {
  await saveFile(syncStateFile(root, state.provider), JSON.stringify(state, null, 2) + '\n', { within: root });
}
