/**
 * One sync run of one provider over one project. Local files are the source of truth: each linked
 * item is merged three ways (base snapshot, file, remote item), the result written to whichever side
 * lacks it, and a true conflict is recorded and held until someone resolves it. The state file is
 * saved after every item, so a cancelled or crashed run leaves it consistent; a create is recorded as
 * pending before it is sent, so a lost response is found again rather than made twice. A write whose
 * answer is lost is never sent again blindly: the item is read again and merged, which settles it.
 * One run per project at a time (lock.ts), so two windows or processes never create an item twice.
 */
import * as path from 'path';
import { COUNTERS_FILE, FolderType, typeFolder } from '../config';
import { UnreadableFileError } from '../fileRule';
import { allocateId, newItemText } from '../create';
import { fileNameFor } from '../ids';
import { Project, TaskIndex } from '../index';
import { Item } from '../model';
import { hashText } from '../text';
import { pushTypes } from './config';
import { CancelledError, HttpError, outcomeUnknown, RateLimitError } from './http';
import { applyLocal, itemFields, syncIds, SyncStatus } from './localFields';
import { acquireSyncLock, SYNC_LOCK_WAIT_MS } from './lock';
import { FieldConflict, mergeFields, MergeResult, sameValue } from './merge';
import { RemoteItem, RemoteMovedError, SyncField, SyncFields, SyncProvider } from './provider';
import { ConflictRecord, LinkRecord, loadSyncState, saveSyncState, SyncState } from './state';
import { LocalStore } from './store';

export interface SyncProgress {
  message: string;
  /** Items handled so far and in all (when known). */
  done: number;
  total?: number;
}

export interface SyncRunOptions {
  project: Project;
  provider: SyncProvider;
  store: LocalStore;
  signal?: AbortSignal;
  progress?: (p: SyncProgress) => void;
  /** Sync only these local ids (no remote listing). */
  only?: readonly string[];
  now?: () => Date;
  /** How long to wait for another sync of the project to finish before SyncBusyError (default SYNC_LOCK_WAIT_MS). */
  lockWaitMs?: number;
}

export interface SyncSummary {
  provider: SyncProvider['id'];
  /** Local ids whose file took remote changes. */
  pulled: string[];
  /** Local ids whose remote item took local changes. */
  pushed: string[];
  /** Local ids newly created remotely. */
  created: string[];
  /** Local ids of files created from remote items. */
  imported: string[];
  /** Every open conflict after the run. */
  conflicts: ConflictRecord[];
  /** One entry per item that failed; the others went on. */
  errors: { item: string; message: string }[];
  cancelled: boolean;
}

/** How many times one item is merged again because a side moved while it was written. */
const ATTEMPTS = 5;

interface Local {
  text: string;
  item: Item;
  fields: SyncFields;
}

class Run {
  private readonly index = new TaskIndex();
  private readonly now: () => Date;
  /** Every id on disk, so an imported item never takes one (duplicates and unreadable files included). */
  private readonly taken = new Set<string>();
  readonly summary: SyncSummary;

  constructor(
    private readonly o: SyncRunOptions,
    private readonly state: SyncState,
    /** Aborted when the project's sync lock was lost: from then on nothing is written. */
    private readonly lockLost: AbortSignal,
  ) {
    this.index.setProject(o.project);
    this.now = o.now ?? (() => new Date());
    this.summary = { provider: o.provider.id, pulled: [], pushed: [], created: [], imported: [], conflicts: [], errors: [], cancelled: false };
  }

  private get p(): SyncProvider {
    return this.o.provider;
  }
  private call() {
    return { signal: this.o.signal };
  }
  save(): Promise<void> {
    if (this.lockLost.aborted) throw this.lockLost.reason;
    return saveSyncState(this.o.project.root, this.state);
  }
  private checkCancel() {
    if (this.o.signal?.aborted) throw new CancelledError();
  }

  async readLocal(file: string): Promise<Local | undefined> {
    const text = await this.o.store.read(file);
    if (text === undefined) return undefined;
    const item = this.index.parse(file, text)?.item;
    if (!item) return undefined;
    return { text, item, fields: itemFields(item, text) };
  }

  /** Every local task file, parsed; files that cannot be read are left out (the diagnostics report them). */
  async locals(): Promise<Map<string, { file: string; local: Local }>> {
    const out = new Map<string, { file: string; local: Local }>();
    for (const file of await this.o.store.list()) {
      let local: Local | undefined;
      try {
        local = await this.readLocal(file);
      } catch (e) {
        // Not UTF-8, a FIFO, a link out of the project: that file is not sent, the others still are.
        if (!(e instanceof UnreadableFileError)) throw e;
        this.fail(path.basename(file), e);
        continue;
      }
      if (local) this.taken.add(local.item.id);
      if (!local || local.item.type === 'comment') continue;
      // Two files with one id: neither is synced until the duplicate is fixed.
      if (out.has(local.item.id)) {
        this.fail(local.item.id, `Two files carry the id ${local.item.id}; fix the duplicate to sync it.`);
        out.delete(local.item.id);
        continue;
      }
      out.set(local.item.id, { file, local });
    }
    return out;
  }

  fail(item: string, e: unknown): void {
    this.summary.errors.push({ item, message: e instanceof Error ? e.message : String(e) });
  }

  private held(localId: string): Set<SyncField> {
    return new Set(this.state.conflicts.filter((c) => c.localId === localId).map((c) => c.field));
  }

  private recordConflicts(localId: string, remote: RemoteItem, found: FieldConflict[]) {
    for (const c of found) {
      this.state.conflicts = this.state.conflicts.filter((x) => !(x.localId === localId && x.field === c.field));
      this.state.conflicts.push({ localId, remoteId: remote.remoteId, key: remote.key, ...c, detectedAt: this.now().toISOString() });
    }
  }

  /**
   * The base after a remote write: what both sides now hold, except the fields the file has yet to
   * take, where the base is the file's own value, so that the next round pulls the merged value in.
   */
  private baseAfterWrite(m: MergeResult, local: SyncFields): SyncFields {
    const next: SyncFields = { ...m.merged };
    for (const f of Object.keys(m.toLocal) as SyncField[]) (next as unknown as Record<string, unknown>)[f] = local[f];
    return next;
  }

  /**
   * Fields we wrote whose value read back after the write is neither ours (as the service stores it)
   * nor what the write was planned on: someone wrote them while we did, and nobody can tell whose came
   * last. Labels are merged as a set instead (they are written as additions and removals).
   */
  private movedDuringWrite(written: Partial<SyncFields>, before: RemoteItem, after: RemoteItem): SyncField[] {
    const stored = (f: SyncField) => (this.p.asStored ? this.p.asStored(f, written[f]) : written[f]);
    // Every service matches account names without case: a name read back in another case is the same person.
    const same = (f: SyncField, a: unknown, b: unknown) =>
      f === 'assignee' ? String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase() : sameValue(f, a, b, this.p);
    return (Object.keys(written) as SyncField[]).filter((f) => f !== 'labels' && !same(f, after.fields[f], stored(f)) && !same(f, after.fields[f], before.fields[f]));
  }

  /**
   * Bring one linked item and its remote item together. The provider writes only if the remote item
   * is still the one merged (else it is merged again), and a file that changed under the write is read
   * and merged again. A write whose outcome is unknown (its answer lost) is followed by a fresh read and
   * a new merge, never by the same write sent blindly.
   */
  async syncLinked(localId: string, file: string, remoteId: string, base: SyncFields | undefined, known?: RemoteItem): Promise<void> {
    let remote = known;
    let pushed = false;
    /** A write whose answer was lost, and what it wrote: the fresh read shows whether it landed. */
    let lost: { error: unknown; wrote: Partial<SyncFields> } | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      this.checkCancel();
      const local = await this.readLocal(file);
      if (!local) throw new Error(`${path.basename(file)} can no longer be read as a task file.`);
      remote ??= await this.p.get(remoteId, this.call());
      if (!remote) throw new Error(`The linked item ${remoteId} is gone from ${this.p.label} (deleted, moved or no longer visible).`);
      for (const c of this.state.conflicts.filter((x) => x.localId === localId)) {
        // Both sides came to the same value on their own: nothing is left to resolve.
        if (base && sameValue(c.field, local.fields[c.field], remote.fields[c.field], this.p)) {
          this.state.conflicts = this.state.conflicts.filter((x) => x !== c);
          base = { ...base, [c.field]: local.fields[c.field] };
        }
      }
      const hold = this.held(localId);
      for (const c of this.state.conflicts) {
        if (c.localId !== localId) continue;
        // Keep the conflict's sides current, so resolving it shows what each side holds now.
        c.local = local.fields[c.field];
        c.remote = remote.fields[c.field];
      }
      const m = mergeFields(base, local.fields, remote.fields, this.p, hold);
      for (const f of hold) (m.merged as unknown as Record<string, unknown>)[f] = (base ?? remote.fields)[f];
      this.recordConflicts(localId, remote, m.conflicts);
      for (const c of m.conflicts) (m.merged as unknown as Record<string, unknown>)[c.field] = (base ?? remote.fields)[c.field];

      if (Object.keys(m.toRemote).length) {
        let after: RemoteItem;
        try {
          after = await this.p.update(remoteId, m.toRemote, { signal: this.o.signal, basis: remote });
        } catch (e) {
          if (e instanceof RemoteMovedError) {
            remote = e.current;
            continue;
          }
          // Landed or not, the next read shows it and the merge settles it; a second lost answer ends the item.
          if (outcomeUnknown(e) && !lost) {
            lost = { error: e, wrote: m.toRemote };
            remote = undefined;
            continue;
          }
          throw e;
        }
        pushed = true;
        const moved = this.movedDuringWrite(m.toRemote, remote, after);
        this.recordConflicts(localId, after, moved.map((f) => ({ field: f, base: (base ?? remote!.fields)[f], local: local.fields[f], remote: after.fields[f] })));
        base = this.baseAfterWrite(m, local.fields);
        this.link(localId, after, base, this.state.items[localId]?.localHash ?? '');
        await this.save();
        // What the read after the write holds beyond what was sent is a newer remote edit: the next round pulls it.
        remote = after;
        continue;
      }

      const status: SyncStatus = this.state.conflicts.some((c) => c.localId === localId) ? 'conflict' : 'synced';
      const text = applyLocal(local.text, local.item, {
        changes: m.toLocal,
        provider: this.p.id,
        by: this.p.label,
        remoteId: remote.remoteId,
        syncStatus: status,
        now: this.now(),
      });
      if (text !== local.text && !(await this.o.store.write(file, local.text, text))) continue;
      if (Object.keys(m.toLocal).length) this.summary.pulled.push(localId);
      const landed = lost && (Object.keys(lost.wrote) as SyncField[]).every((f) => sameValue(f, remote!.fields[f], lost!.wrote[f], this.p));
      if (pushed || landed) this.summary.pushed.push(localId);
      this.link(localId, remote, m.merged, hashText(text));
      await this.save();
      return;
    }
    if (lost) throw lost.error;
    throw new Error(`${localId} kept changing while it was synced; try again.`);
  }

  private link(localId: string, remote: RemoteItem, base: SyncFields, localHash: string) {
    const rec: LinkRecord = { remoteId: remote.remoteId, key: remote.key, url: remote.url, base, remoteUpdatedAt: remote.updatedAt, localHash };
    this.state.items[localId] = rec;
  }

  /**
   * The base of an item an earlier create made, found again: what was sent, where the item holds it.
   * Where it holds something else, either the create failed part way (its state never set) or someone
   * edited it since; nobody can tell which, so a field the file holds otherwise is a conflict, never an
   * overwrite of either side, and labels are united.
   */
  private foundBase(localId: string, local: Local, remote: RemoteItem, sent: SyncFields): SyncFields {
    const base: SyncFields = { ...sent, labels: [...sent.labels] };
    const found: FieldConflict[] = [];
    const key = (l: string) => (this.p.labelKey ? this.p.labelKey(l) : l);
    for (const f of this.p.fields) {
      if (sameValue(f, remote.fields[f], sent[f], this.p)) continue;
      if (f === 'labels') {
        const there = new Set(remote.fields.labels.map(key));
        base.labels = sent.labels.filter((l) => there.has(key(l)));
      } else if (sameValue(f, local.fields[f], remote.fields[f], this.p)) {
        (base as unknown as Record<string, unknown>)[f] = remote.fields[f];
      } else {
        found.push({ field: f, base: undefined, local: local.fields[f], remote: remote.fields[f] });
      }
    }
    this.recordConflicts(localId, remote, found);
    return base;
  }

  /**
   * Create the remote item of a local one, unless it exists: made by an earlier create of ours whose
   * answer was lost (pending), or by another run. The run's listing shows such an item (`listed`); a
   * run without a listing asks the service for the marker before creating.
   */
  async push(localId: string, file: string, local: Local, listed?: RemoteItem): Promise<void> {
    const pending = this.state.pending[localId];
    let remote = listed ?? (pending || this.o.only ? await this.p.findByLocalId(localId, this.call()) : undefined);
    // The base is what a create of ours sent; an item another run made has none here, so a difference is a conflict.
    let base = remote && pending ? this.foundBase(localId, local, remote, pending.fields) : undefined;
    if (!remote) {
      this.checkCancel();
      this.state.pending[localId] = { startedAt: this.now().toISOString(), fields: local.fields };
      await this.save();
      try {
        remote = await this.p.create(localId, local.fields, this.call());
        base = local.fields;
        this.summary.created.push(localId);
      } catch (e) {
        // A refusal (4xx) means nothing was made; anything else may have made it, so the pending create stays.
        const refused = e instanceof HttpError && !(e instanceof RateLimitError) && e.status >= 400 && e.status < 500;
        if (refused) {
          delete this.state.pending[localId];
          await this.save();
        }
        if (refused || e instanceof CancelledError || e instanceof RateLimitError || this.o.signal?.aborted) throw e;
        // It may have been made: look now rather than leave it to the next run (which looks too).
        remote = await this.p.findByLocalId(localId, this.call()).catch(() => undefined);
        if (!remote) throw e;
        base = this.foundBase(localId, local, remote, local.fields);
      }
    }
    if (base) this.link(localId, remote, base, '');
    delete this.state.pending[localId];
    await this.save();
    await this.syncLinked(localId, file, remote.remoteId, base, remote);
  }

  /** A new local file for a remote item nobody here has yet. */
  async pull(remote: RemoteItem): Promise<void> {
    const { project, store } = this.o;
    const type: FolderType = 'issue';
    const countersFile = path.join(project.root, COUNTERS_FILE);
    const taken = this.taken;
    const folder = typeFolder(project.root, project.config, type);
    for (let attempt = 0; attempt < 5; attempt++) {
      const countersBefore = await store.read(countersFile);
      const { id, countersText } = allocateId(project.config, type, countersBefore, taken);
      const file = path.join(folder, fileNameFor(id, remote.fields.title));
      const fresh = newItemText(id, {
        type,
        title: remote.fields.title,
        assignee: remote.fields.assignee,
        labels: remote.fields.labels,
        priority: remote.fields.priority,
        now: this.now(),
      });
      const item = this.index.parse(file, fresh)?.item;
      if (!item) throw new Error(`${file} is not inside the project's issues folder.`);
      const text = applyLocal(fresh, item, {
        changes: { body: remote.fields.body, state: remote.fields.state },
        provider: this.p.id,
        by: this.p.label,
        remoteId: remote.remoteId,
        syncStatus: 'synced',
        now: this.now(),
      });
      if (!(await store.create(file, text))) {
        taken.add(id);
        continue;
      }
      if (project.hasConfig) {
        // The file is what counts (ids on disk are never reused); a counters.json someone changed meanwhile stays theirs.
        if (countersBefore === undefined) await store.create(countersFile, countersText);
        else await store.write(countersFile, countersBefore, countersText);
      }
      taken.add(id);
      const written = await this.readLocal(file);
      this.link(id, remote, written?.fields ?? remote.fields, hashText(text));
      this.summary.imported.push(id);
      await this.save();
      return;
    }
    throw new Error(`Could not find a free issue id for ${remote.key}.`);
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Run `fn` holding the project's sync lock (SyncBusyError when another run holds it past the wait),
 * with a signal that also fires if the lock is lost; `fn`'s writes check `lost` before each save.
 */
async function locked<T>(o: SyncRunOptions, fn: (o: SyncRunOptions, lost: AbortSignal) => Promise<T>): Promise<T> {
  const lock = await acquireSyncLock(o.project.root, o.lockWaitMs ?? SYNC_LOCK_WAIT_MS);
  try {
    const signal = o.signal ? AbortSignal.any([o.signal, lock.lost]) : lock.lost;
    const result = await fn({ ...o, signal }, lock.lost);
    if (lock.lost.aborted) throw lock.lost.reason;
    return result;
  } finally {
    await lock.release();
  }
}

/**
 * One sync run, alone in its project. Never throws for one item's failure; throws for a state file it
 * cannot read, and SyncBusyError when another sync of the project is running.
 */
export function runSync(o: SyncRunOptions): Promise<SyncSummary> {
  return locked(o, runLocked);
}

async function runLocked(o: SyncRunOptions, lost: AbortSignal): Promise<SyncSummary> {
  const state = await loadSyncState(o.project.root, o.provider.id);
  const run = new Run(o, state, lost);
  const s = run.summary;
  const report = (message: string, done: number, total?: number) => o.progress?.({ message, done, total });
  try {
    report(`Reading ${o.project.config.name}`, 0);
    const locals = await run.locals();
    // Which remote id each local id is linked to: the state file, else the file's own `sync:` map.
    const linkOf = (id: string, item: Item) => state.items[id]?.remoteId ?? syncIds(item)[o.provider.id];
    const byRemote = new Map<string, string>();
    for (const [id, { local }] of locals) {
      const r = linkOf(id, local.item);
      if (r) byRemote.set(r, id);
    }
    // Items linked once whose file is gone here: deleting a file neither deletes the remote item nor brings it back.
    for (const [id, rec] of Object.entries(state.items)) if (!locals.has(id) && !byRemote.has(rec.remoteId)) byRemote.set(rec.remoteId, id);

    const remotes = new Map<string, RemoteItem>();
    let cursor: string | undefined;
    if (!o.only) {
      report(`Listing changes on ${o.provider.label}`, 0);
      for await (const r of o.provider.listChanged(state.cursor, { signal: o.signal })) {
        remotes.set(r.remoteId, r);
        if (!cursor || r.updatedAt > cursor) cursor = r.updatedAt;
      }
    }

    // Remote items carrying the marker of a local item linked to nothing: made for it by a run whose
    // link was never written, or by another run. The local item's job links it instead of creating a twin.
    const markedFor = new Map<string, RemoteItem>();
    for (const r of remotes.values()) {
      const marked = r.localId && !byRemote.has(r.remoteId) ? locals.get(r.localId) : undefined;
      if (marked && !linkOf(r.localId!, marked.local.item) && !markedFor.has(r.localId!)) markedFor.set(r.localId!, r);
    }

    const wanted = o.only ? new Set(o.only) : undefined;
    const types = pushTypes(o.project, o.provider.id);
    type Job = { label: string; remote?: RemoteItem; run: () => Promise<void> };
    const jobs: Job[] = [];
    for (const [id, { file, local }] of locals) {
      if (wanted && !wanted.has(id)) continue;
      const remoteId = linkOf(id, local.item);
      const rec = state.items[id];
      if (remoteId) {
        const listed = remotes.get(remoteId);
        const unchanged = rec && rec.remoteId === remoteId && rec.localHash === hashText(local.text);
        if (unchanged && !wanted && !listed) continue;
        if (unchanged && listed && listed.updatedAt === rec.remoteUpdatedAt) {
          const m = mergeFields(rec.base, local.fields, listed.fields, o.provider, new Set());
          if (!Object.keys(m.toLocal).length && !Object.keys(m.toRemote).length) continue;
        }
        const base = rec?.remoteId === remoteId ? rec.base : undefined;
        jobs.push({ label: id, remote: listed, run: () => run.syncLinked(id, file, remoteId, base, listed) });
      } else if (markedFor.has(id) || state.pending[id] || wanted || (types.includes(local.item.type as FolderType) && local.item.state !== 'archived')) {
        const listed = markedFor.get(id);
        jobs.push({ label: id, remote: listed, run: () => run.push(id, file, local, listed) });
      }
    }
    for (const r of remotes.values()) {
      if (byRemote.has(r.remoteId)) continue;
      const marked = r.localId ? locals.get(r.localId) : undefined;
      if (marked && markedFor.get(r.localId!) === r) continue; // the local item's job links it
      if (marked) {
        run.fail(r.key, `${r.key} carries the marker of ${r.localId}, which is linked to another item; it is not imported. Delete the duplicate on ${o.provider.label}.`);
        continue;
      }
      jobs.push({ label: r.key, remote: r, run: () => run.pull(r) });
    }

    let failedAt: string | undefined;
    for (let i = 0; i < jobs.length; i++) {
      if (o.signal?.aborted) throw new CancelledError();
      const job = jobs[i];
      report(`${o.provider.label}: ${job.label}`, i, jobs.length);
      try {
        await job.run();
      } catch (e) {
        if (e instanceof CancelledError || o.signal?.aborted) throw new CancelledError();
        run.fail(job.label, describe(e));
        // A remote change not taken is listed again next time: the cursor stays before it.
        const held = e instanceof RateLimitError ? jobs.slice(i) : [job];
        for (const h of held) if (h.remote && (!failedAt || h.remote.updatedAt < failedAt)) failedAt = h.remote.updatedAt;
        if (e instanceof RateLimitError) {
          // Every further request would be refused too: the rest waits for the next run.
          if (i + 1 < jobs.length) run.fail(`${jobs.length - i - 1} more`, `Not synced: ${o.provider.label}'s rate limit allows the next request at ${e.retryAt.toISOString()}.`);
          break;
        }
      }
    }
    if (!o.only) {
      const next = failedAt ?? cursor;
      if (next) state.cursor = next;
      state.lastSync = (o.now ?? (() => new Date()))().toISOString();
    }
    report('Done', jobs.length, jobs.length);
  } catch (e) {
    if (!(e instanceof CancelledError)) {
      s.conflicts = state.conflicts;
      throw e;
    }
    s.cancelled = true;
  }
  s.conflicts = state.conflicts;
  await run.save();
  return s;
}

/**
 * Settle one open conflict with the value chosen (local, remote, or an edited text): the file takes
 * it, the base takes the remote side's current value so that the value goes out as a local change,
 * and the item is synced again.
 */
export function resolveConflict(o: SyncRunOptions & { localId: string; field: SyncField; value: unknown }): Promise<SyncSummary> {
  return locked(o, (withSignal, lost) => resolveLocked({ ...o, signal: withSignal.signal }, lost));
}

async function resolveLocked(o: SyncRunOptions & { localId: string; field: SyncField; value: unknown }, lost: AbortSignal): Promise<SyncSummary> {
  const state = await loadSyncState(o.project.root, o.provider.id);
  const conflict = state.conflicts.find((c) => c.localId === o.localId && c.field === o.field);
  const rec = state.items[o.localId];
  if (!conflict || !rec) throw new Error(`${o.localId} has no open conflict on ${o.field}.`);
  const run = new Run(o, state, lost);
  const found = (await run.locals()).get(o.localId);
  if (!found) throw new Error(`The file of ${o.localId} was not found.`);
  const { file, local: located } = found;
  const remote = await o.provider.get(rec.remoteId, { signal: o.signal });
  if (!remote) throw new Error(`The linked item ${rec.key} is gone from ${o.provider.label}.`);
  const text = applyLocal(located.text, located.item, {
    changes: { [o.field]: o.value } as Partial<SyncFields>,
    provider: o.provider.id,
    by: o.provider.label,
    now: (o.now ?? (() => new Date()))(),
  });
  if (text !== located.text && !(await o.store.write(file, located.text, text))) {
    throw new Error(`${path.basename(file)} changed while the conflict was being resolved; try again.`);
  }
  rec.base = { ...rec.base, [o.field]: remote.fields[o.field] };
  state.conflicts = state.conflicts.filter((c) => c !== conflict);
  await run.save();
  try {
    await run.syncLinked(o.localId, file, rec.remoteId, rec.base, remote);
  } catch (e) {
    if (e instanceof CancelledError) run.summary.cancelled = true;
    else run.fail(o.localId, describe(e));
  }
  run.summary.conflicts = state.conflicts;
  await run.save();
  return run.summary;
}
