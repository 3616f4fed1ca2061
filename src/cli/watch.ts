/**
 * Keeping a project's index current while a command waits: each type folder is watched (fs.watch,
 * which sees another process's atomic write, its rename into place, as it happens), changed files are
 * read again, and once a second every folder is looked at, so that a folder made, removed or replaced
 * after the start (a checkout) is watched and read anew, and one that cannot be watched (the system's
 * watches used up) is polled: its files whose size, time or inode changed are read again.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FOLDER_TYPES, typeFolder } from '../core/config';
import type { Project, TaskIndex } from '../core/index';
import { applyRead, readIndexedFile } from '../core/project';

/** Events closer together than this are read as one change (a writer's temp file, then its rename). */
const SETTLE_MS = 20;
const POLL_MS = 1000;

export interface Watch {
  close(): void;
}

interface Folder {
  dir: string;
  watcher?: fs.FSWatcher;
  /** The folder's inode when it was watched: another one means it was replaced. */
  ino?: number;
}

/**
 * Calls `onChange` after task files changed on disk, once the index holds what they hold now. Changes
 * seen before `indexed` resolves wait for it: a watch started before the project is read misses nothing
 * written meanwhile, and the reading cannot put back what a change replaced.
 */
export function watchTasks(index: TaskIndex, project: Project, onChange: () => void, indexed: Promise<void> = Promise.resolve()): Watch {
  const folders: Folder[] = [...new Set(FOLDER_TYPES.map((t) => typeFolder(project.root, project.config, t)))].map((dir) => ({ dir }));
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = () => {
    timer = undefined;
    const files = [...pending];
    pending.clear();
    index.batch(() => {
      for (const file of files) if (file.endsWith('.md')) applyRead(index, file, readIndexedFile(index, file));
    });
    if (files.length) onChange();
  };
  const queue = (file: string) => {
    pending.add(file);
    timer ??= setTimeout(() => void indexed.then(() => !closed && flush()), SETTLE_MS);
  };

  /** Per file seen by a rescan: its inode, size and time then. */
  const seen = new Map<string, string>();
  /** Read a folder's changed files again (all of them the first time), and drop those it no longer holds. */
  const rescan = (f: Folder) => {
    let names: string[] = [];
    try {
      names = fs.readdirSync(f.dir);
    } catch {
      // gone: every file it held is gone too
    }
    const now = new Set(names.filter((n) => n.endsWith('.md')).map((n) => path.join(f.dir, n)));
    for (const e of index.allEntries()) if (path.dirname(e.file) === f.dir && !now.has(e.file)) queue(e.file);
    for (const file of seen.keys()) if (path.dirname(file) === f.dir && !now.has(file)) seen.delete(file);
    for (const file of now) {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      const key = st ? `${st.ino}:${st.size}:${st.mtimeMs}` : '';
      if (seen.get(file) === key) continue;
      seen.set(file, key);
      queue(file);
    }
  };

  const detach = (f: Folder) => {
    f.watcher?.close();
    f.watcher = undefined;
    f.ino = undefined;
  };

  const attach = (f: Folder) => {
    const ino = fs.statSync(f.dir, { throwIfNoEntry: false })?.ino;
    if (ino === f.ino && f.watcher) return;
    detach(f);
    if (ino === undefined) return;
    try {
      f.watcher = fs.watch(f.dir, (_event, name) => (name ? queue(path.join(f.dir, name.toString())) : rescan(f)));
      f.watcher.on('error', () => detach(f));
      f.ino = ino;
    } catch {
      // cannot be watched now (too many watches, no permission): the next look tries again
      return;
    }
  };

  for (const f of folders) attach(f);
  const poll = setInterval(() => {
    for (const f of folders) {
      const before = f.ino;
      attach(f);
      if (f.ino !== before || !f.watcher) rescan(f);
    }
  }, POLL_MS);

  return {
    close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      for (const f of folders) detach(f);
    },
  };
}
