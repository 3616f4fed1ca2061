/**
 * The one way the extension (and any other front door) puts bytes on disk. A file is replaced through a
 * temp file beside it, fsynced and renamed over it, only while it still holds what the caller read; a new
 * file is made the same way but never over one that exists. Every byte written is the caller's: nothing
 * is decoded and encoded again, and a file that is not UTF-8 text is refused rather than "repaired".
 * Mode and owner stay, a symlink stays a link (its target is written), and no write lands outside the
 * folder the caller names. Writers of one file take turns (writeLock.ts), in this process or another:
 * the second finds the first one's change and refuses, instead of renaming over it.
 */
import * as crypto from 'crypto';
import { promises as fs, Stats } from 'fs';
import type { FileHandle } from 'fs/promises';
import * as path from 'path';
import { isUtf8 } from 'buffer';
import { notUtf8Message } from './fileRule';
import { inside } from './paths';
import { processRunning, withWriteLock } from './writeLock';

/** The file changed since the caller read it (or while it was being written); the caller may read again and retry. */
export class StaleFileError extends Error {}
/** The file cannot be written safely at all (not text, a hard link, outside the project, an owner we cannot keep). */
export class WriteRefusedError extends Error {}

/** Names of temp files: `.<name>.<pid>.<n>.tmp`, beside the file they become. They live only while a write is under way. */
export const TEMP_FILE = /^\..+\.\d+\.\d+\.tmp$/;
const TEMP_PID = /^\..+\.(\d+)\.\d+\.tmp$/;

/** Test seams: called at the two moments another writer (or a crash) matters most. */
export interface WriteHooks {
  /** The temp file is written and synced; the target has not been checked again yet. */
  tempWritten?(temp: string): unknown;
  /** The target was checked a last time; the rename comes next. */
  beforeRename?(temp: string): unknown;
}

export interface WriteOptions {
  /**
   * The folder the file must really lie in, links resolved (the project root). Null only for places
   * git or the user chose outside any project: a git hook, an exported report.
   */
  within: string | null;
  hooks?: WriteHooks;
}

export interface ReplaceOptions extends WriteOptions {
  /** What the file must still hold (text or bytes); omitted when any content may be replaced. */
  expected?: string | Uint8Array;
  /** The mode to give the file instead of keeping its own. */
  mode?: number;
}

export interface CreateOptions extends WriteOptions {
  /** The new file's exact mode; by default 0666 less the umask, as for any new file. */
  mode?: number;
}

const name = (file: string) => path.basename(file);
const bytesOf = (data: string | Uint8Array) => (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
const sha1 = (b: Buffer) => crypto.createHash('sha1').update(b).digest('base64');
const notText = (file: string) => new WriteRefusedError(notUtf8Message(file));

/**
 * Replace an existing file's content, atomically. Refused when the file is not what `expected` says
 * (StaleFileError, nothing written), or cannot be replaced without losing something (WriteRefusedError).
 * An ENOENT error when there is no file.
 */
export async function replaceFile(file: string, data: string | Uint8Array, opts: ReplaceOptions): Promise<void> {
  const target = await realTarget(file, opts.within);
  // Opening a FIFO or a device to read it could block or consume it.
  if (!(await fs.stat(target)).isFile()) throw new WriteRefusedError(`${name(file)} is not a regular file; it was left as it is.`);
  const busy = () => new StaleFileError(`${name(file)} is being written by another program; nothing was written. Try again.`);
  await withWriteLock(target, () => replaceLocked(file, target, bytesOf(data), opts), busy);
}

/** replaceFile's work, with the target's write lock held. */
async function replaceLocked(file: string, target: string, bytes: Buffer, opts: ReplaceOptions): Promise<void> {
  const dir = path.dirname(target);
  await sweepStaleTemps(dir);
  // The old inode stays open to the end: after the rename it tells whether someone wrote to it meanwhile.
  const old = await fs.open(target, 'r');
  let temp: string | undefined;
  try {
    let st = await old.stat();
    if (!st.isFile()) throw new WriteRefusedError(`${name(file)} is not a regular file; it was left as it is.`);
    // A new file killed between its link and the removal of its temp file has a second name: the temp file.
    if (st.nlink > 1 && (await sweepStaleTemps(dir, true))) st = await old.stat();
    // Writing in place would keep the links but is not atomic: a crash midway would leave a torn file
    // under every name. A rename would leave the other names holding the old text. So: neither.
    if (st.nlink > 1) {
      throw new WriteRefusedError(`${name(file)} has ${st.nlink} hard links; replacing it would cut it off from the others, so it was left as it is.`);
    }
    const seen = await contentOf(old);
    if (typeof opts.expected === 'string' && !isUtf8(seen.bytes)) throw notText(file);
    if (opts.expected !== undefined && !seen.bytes.equals(bytesOf(opts.expected))) {
      throw new StaleFileError(`${name(file)} changed on disk since it was read; nothing was written. Try again.`);
    }
    temp = await writeTemp(dir, target, bytes, { mode: opts.mode ?? st.mode & 0o7777, like: st });
    await opts.hooks?.tempWritten?.(temp);
    const now = await contentOf(old);
    const current = await fs.stat(target).catch(() => undefined);
    if (!sameContent(seen, now) || current?.ino !== st.ino || current.dev !== st.dev) {
      throw new StaleFileError(`${name(file)} changed on disk while it was being written; nothing was written. Try again.`);
    }
    await opts.hooks?.beforeRename?.(temp);
    await fs.rename(temp, target);
    temp = undefined;
    await syncDir(dir);
    // Written to the old inode between the last check and the rename: those bytes are no longer under the name.
    const after = await contentOf(old);
    if (!sameContent(seen, after)) await putTheirsBack(file, target, bytes, after.bytes);
  } finally {
    await old.close();
    if (temp) await fs.rm(temp, { force: true });
  }
}

/**
 * Make a new file atomically (it appears whole or not at all); false, with nothing written, when a file
 * (or a link) already has the name. Missing folders are made, but never through a link out of `within`.
 */
export async function createFile(file: string, data: string | Uint8Array, opts: CreateOptions): Promise<boolean> {
  const dir = await makeFolder(path.dirname(file), opts.within);
  await sweepStaleTemps(dir);
  const target = path.join(dir, name(file));
  const temp = await writeTemp(dir, target, bytesOf(data), { mode: opts.mode });
  try {
    await opts.hooks?.tempWritten?.(temp);
    await opts.hooks?.beforeRename?.(temp);
    // A hard link is the exclusive rename: it fails when the name is taken, where a rename would replace.
    await fs.link(temp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(code ?? '')) throw e;
    // A file system without hard links: an exclusive create, written and synced.
    if (!(await writeNew(target, bytesOf(data), { mode: opts.mode }))) return false;
  } finally {
    await fs.rm(temp, { force: true });
  }
  await syncDir(dir);
  return true;
}

/** Replace a file if it still holds `expected`; false, with nothing written, when it changed or went meanwhile. */
export async function replaceIfUnchanged(file: string, expected: string | Uint8Array, data: string | Uint8Array, opts: WriteOptions): Promise<boolean> {
  try {
    await replaceFile(file, data, { ...opts, expected });
    return true;
  } catch (e) {
    if (e instanceof StaleFileError || (e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Replace a file if it still holds `before`, or make it if `before` is undefined (and it still does not exist). */
export async function writeIfUnchanged(file: string, before: string | undefined, data: string | Uint8Array, opts: WriteOptions): Promise<void> {
  if (before !== undefined) return replaceFile(file, data, { ...opts, expected: before });
  if (!(await createFile(file, data, opts))) throw new StaleFileError(`${name(file)} appeared on disk meanwhile; nothing was written. Try again.`);
}

/** Make the file or replace whatever it holds (a state file only we write, an export the user asked to overwrite). */
export async function saveFile(file: string, data: string | Uint8Array, opts: WriteOptions): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (await createFile(file, data, opts)) return;
    try {
      return await replaceFile(file, data, opts);
    } catch (e) {
      // Removed between the two: make it again.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 2) throw e;
    }
  }
}

/** The real path of an existing file, refused when it lies outside `within`. */
async function realTarget(file: string, within: string | null): Promise<string> {
  const real = await fs.realpath(file);
  if (within !== null) await checkInside(file, real, within);
  return real;
}

/** Refuse `real` (the real path of `p`) unless it lies inside `within`. */
async function checkInside(p: string, real: string, within: string): Promise<void> {
  const root = await fs.realpath(within);
  if (!inside(root, real)) throw new WriteRefusedError(`${p} leads outside the project (to ${real}); nothing was written there.`);
}

/** Make a folder (and its parents) and return its real path; the folder must really lie inside `within`. */
async function makeFolder(dir: string, within: string | null): Promise<string> {
  if (within !== null) {
    // mkdir follows links in the path: check the nearest folder that exists before anything is made.
    let existing = dir;
    for (;;) {
      const real = await fs.realpath(existing).catch(() => undefined);
      if (real !== undefined) {
        await checkInside(existing, real, within);
        break;
      }
      if (path.dirname(existing) === existing) break;
      existing = path.dirname(existing);
    }
  }
  await fs.mkdir(dir, { recursive: true });
  const real = await fs.realpath(dir);
  if (within !== null) await checkInside(dir, real, within);
  return real;
}

/** A unique temp name beside `target`, within this process. */
let lastStamp = 0;
function tempPath(dir: string, target: string): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return path.join(dir, `.${name(target)}.${process.pid}.${lastStamp}.tmp`);
}

/** Write bytes to a new temp file beside `target` and sync them; see writeNew for `like`. */
async function writeTemp(dir: string, target: string, bytes: Buffer, o: { mode?: number; like?: Stats }): Promise<string> {
  const temp = tempPath(dir, target);
  if (!(await writeNew(temp, bytes, { ...o, label: target }))) throw new Error(`${temp} exists already`);
  return temp;
}

/**
 * Make a file that does not exist yet (false, with nothing written, when the name is taken), write the
 * bytes and sync them; on a failure the half-made file goes. `like`: the file it will replace, whose
 * owner it takes (refused, naming `label`, when that is impossible: silently giving the file to this
 * user is not ours to do).
 */
async function writeNew(file: string, bytes: Buffer, o: { mode?: number; like?: Stats; label?: string }): Promise<boolean> {
  let h: FileHandle;
  try {
    // Readable by this user only until its owner and mode are the ones it is to have.
    h = await fs.open(file, 'wx', o.like ? 0o600 : (o.mode ?? 0o666));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await writeAll(h, bytes);
    const like = o.like;
    if (like && process.platform !== 'win32') {
      const mine = await h.stat();
      if (mine.uid !== like.uid || mine.gid !== like.gid) {
        await h.chown(like.uid, like.gid).catch(() => {
          throw new WriteRefusedError(`${name(o.label ?? file)} belongs to user ${like.uid}, group ${like.gid}; replacing it would change that, so it was left as it is.`);
        });
      }
    }
    // After chown, which clears set-id bits; and exact, whatever the umask.
    if (o.mode !== undefined) await h.chmod(o.mode);
    await h.sync();
    await h.close();
    return true;
  } catch (e) {
    await h.close().catch(() => undefined);
    await fs.rm(file, { force: true });
    throw e;
  }
}

async function writeAll(h: FileHandle, bytes: Buffer): Promise<void> {
  for (let off = 0; off < bytes.length; ) off += (await h.write(bytes, off, bytes.length - off, off)).bytesWritten;
}

interface Content {
  size: number;
  mtimeMs: number;
  hash: string;
  bytes: Buffer;
}

/** What an open file holds now: its size, time and bytes (read from the start, whatever was read before). */
async function contentOf(h: FileHandle): Promise<Content> {
  const st = await h.stat();
  const chunks: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.max(st.size - pos + 1, 16 * 1024));
    const { bytesRead } = await h.read(buf, 0, buf.length, pos);
    if (!bytesRead) break;
    chunks.push(buf.subarray(0, bytesRead));
    pos += bytesRead;
  }
  const bytes = Buffer.concat(chunks);
  return { size: st.size, mtimeMs: st.mtimeMs, hash: sha1(bytes), bytes };
}

const sameContent = (a: Content, b: Content) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.hash === b.hash;

/**
 * Another program wrote to the file just before our rename hid its bytes: put them back under the name
 * (unless yet another write came since, then beside it), and report that this change was not made.
 */
async function putTheirsBack(file: string, target: string, ours: Buffer, theirs: Buffer): Promise<never> {
  const raced = `${name(file)} was changed by another program while it was being written; that change was kept and this one was not made. Try again.`;
  try {
    // Still holding the lock: the replace that undoes ours must not wait for it.
    await replaceLocked(target, target, theirs, { within: null, expected: ours });
  } catch {
    const aside = `${target}.theirs-${sha1(theirs).replace(/[^A-Za-z0-9]/g, '').slice(0, 10)}`;
    await createFile(aside, theirs, { within: null });
    throw new StaleFileError(`${name(file)} was changed by another program while it was being written, and again after; that program's first change is kept in ${name(aside)}.`);
  }
  throw new StaleFileError(raced);
}

/** Make a rename or a new name in `dir` durable. Some platforms cannot sync a folder; their rename is what it is. */
async function syncDir(dir: string): Promise<void> {
  let h: FileHandle | undefined;
  try {
    h = await fs.open(dir, 'r');
    await h.sync();
  } catch (e) {
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await h?.close();
  }
}

/** When each folder was last swept: a folder of thousands of task files is not listed on every write. */
const swept = new Map<string, number>();
const SWEEP_EVERY_MS = 60_000;

/**
 * Remove temp files left in `dir` by writers that were killed; true when one was removed. Only those of
 * a process that no longer runs: a killed writer never touched the original file, and a live writer still
 * needs its temp file.
 */
async function sweepStaleTemps(dir: string, now = false): Promise<boolean> {
  const time = Date.now();
  if (!now && time - (swept.get(dir) ?? -Infinity) < SWEEP_EVERY_MS) return false;
  swept.set(dir, time);
  let removed = false;
  for (const n of await fs.readdir(dir).catch(() => [] as string[])) {
    const pid = Number(TEMP_PID.exec(n)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || processRunning(pid)) continue;
    const p = path.join(dir, n);
    if (!(await fs.lstat(p).catch(() => undefined))?.isFile()) continue;
    if (await fs.rm(p, { force: true }).then(() => true, () => false)) removed = true;
  }
  return removed;
}

