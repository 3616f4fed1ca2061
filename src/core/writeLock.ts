/**
 * A lock on one file for the moment of its replacement. A rename cannot compare and swap: two writers
 * that both checked a file and then both renamed over it would silently lose the first one's change.
 * Every writer in this code (the editor, the CLI, agents) holds this lock from its last look at the
 * file to its rename, so the second one waits, then finds the file changed and refuses.
 *
 * The lock is a file beside the target, `.<name>.lock`, made exclusively and holding the holder's pid
 * and host. A folder would do too, but a folder appearing in a tasks folder makes the editor re-read
 * the project. A lock left by a process that died (same host, pid gone), one naming this process that
 * it does not hold (a lock file copied back with a backup or a snapshot), or one far older than any
 * write takes is taken over.
 */
import { randomUUID } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** How long a writer waits for another one's write of the same file. */
const WAIT_MS = 5000;
const POLL_MS = 5;
/** A write holds its lock for milliseconds: one held this long was left behind, wherever its holder ran. */
const ABANDONED_MS = 30_000;

export const lockPathOf = (file: string): string => path.join(path.dirname(file), `.${path.basename(file)}.lock`);
/** Names of those lock files: they live only while a write is under way. */
export const LOCK_FILE = /^\..+\.lock$/;

/** The locks this process holds now: a lock naming this process but not held by it was left behind (copied back, say). */
const held = new Set<string>();

/** Does a process with this pid run on this machine? */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Run `fn` holding the lock of `file` (a real path). `busy` makes the error to throw when another
 * writer holds it past the wait.
 */
export async function withWriteLock<T>(file: string, fn: () => Promise<T>, busy: () => Error): Promise<T> {
  const lock = lockPathOf(file);
  const token = `${process.pid} ${os.hostname()} ${randomUUID()}\n`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      await fs.writeFile(lock, token, { flag: 'wx' });
      held.add(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await takeOverAbandoned(lock)) continue;
    if (Date.now() > deadline) throw busy();
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  try {
    return await fn();
  } finally {
    try {
      // Only our own: a lock taken over from us (we were stopped past ABANDONED_MS) is its new holder's.
      if ((await fs.readFile(lock, 'utf8').catch(() => undefined)) === token) await fs.rm(lock, { force: true });
    } finally {
      held.delete(lock);
    }
  }
}

/** Remove the lock when its holder is gone; true when it was removed (or vanished meanwhile). */
async function takeOverAbandoned(lock: string): Promise<boolean> {
  const seen = await fs.readFile(lock, 'utf8').catch(() => undefined);
  const st = await fs.stat(lock).catch(() => undefined);
  if (seen === undefined || !st) return true;
  const [pid, host] = seen.split(' ');
  // An empty lock is one whose holder has not written its pid yet, or died before it did: only its age tells.
  const dead = host === os.hostname() && /^\d+$/.test(pid) && (Number(pid) === process.pid ? !held.has(lock) : !processRunning(Number(pid)));
  if (!dead && Date.now() - st.mtimeMs < ABANDONED_MS) return false;
  // Moved aside first, then checked: another writer may have taken it over and made a fresh one meanwhile.
  const aside = `${lock}.${process.pid}.${randomUUID()}`;
  try {
    await fs.rename(lock, aside);
  } catch (e) {
    // Gone already: try again. Not ours to move (permissions): wait for it like for a live one.
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== seen) await fs.link(aside, lock).catch(() => undefined);
  await fs.rm(aside, { force: true });
  return moved === seen;
}
