/**
 * One sync per project at a time, across windows and processes: two runs at once would both list,
 * both create and both save the state file, each over the other's. The lock is a directory under
 * `.ai-trackdown/sync/` made by proper-lockfile, whose time the holder refreshes while it runs, so a
 * lock left by a run that died (a crash, a killed window) is taken over once it is stale, as a stale
 * index.lock is cleared in git.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import * as lockfile from 'proper-lockfile';

/** A lock not refreshed for this long belongs to a run that is gone. Every holder must use the same value. */
export const SYNC_LOCK_STALE_MS = 20_000;
/** How long a run waits by default for another run of the project to finish. */
export const SYNC_LOCK_WAIT_MS = 3_000;
const RETRY_MS = 250;

export class SyncBusyError extends Error {
  constructor() {
    super('A sync of this project is already running (in this or another window, or another process); try again when it has finished.');
  }
}

export function syncLockPath(root: string): string {
  return path.join(root, '.ai-trackdown', 'sync', 'run.lock');
}

export interface SyncLock {
  /**
   * Aborted, with an Error as its reason, when the lock was lost while held (its refresh failed, or the
   * run was paused past the stale time and another run took it over): the run must stop writing.
   */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/** Take the project's sync lock, waiting up to `waitMs` for another run to finish; SyncBusyError if it does not. */
export async function acquireSyncLock(root: string, waitMs = 0): Promise<SyncLock> {
  const file = syncLockPath(root);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const lost = new AbortController();
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path.dirname(file), {
      lockfilePath: file,
      stale: SYNC_LOCK_STALE_MS,
      retries: { retries: Math.ceil(Math.max(0, waitMs) / RETRY_MS), factor: 1, minTimeout: RETRY_MS, maxTimeout: RETRY_MS },
      // Called from a timer: throwing there (the library's default) would crash the host.
      onCompromised: (e) => lost.abort(new Error(`The sync of this project stopped: it lost its lock (${e.message}), and another sync may be running.`)),
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') throw new SyncBusyError();
    throw e;
  }
  return {
    lost: lost.signal,
    // A lock already lost has nothing left to release.
    release: () => (lost.signal.aborted ? Promise.resolve() : release()),
  };
}
