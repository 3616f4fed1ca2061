/** Snapshot the fixture workspace and put it back, so tests that write files leave no trace for later ones. */
import * as fs from 'fs';
import * as path from 'path';
import { TaskIndex } from '../../../src/core/index';
import { listTaskFiles } from '../../../src/core/project';
import { hashText } from '../../../src/core/text';
import { TEMP_FILE } from '../../../src/core/atomicWrite';
import { LOCK_FILE } from '../../../src/core/writeLock';

function walk(dir: string, out = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) walk(p, out);
    // A write under way (a regeneration after an earlier suite's save) is not part of the workspace:
    // restoring its temp file after the rename would leave a stray copy behind, its lock a stale lock.
    else if (d.isFile() && !TEMP_FILE.test(d.name) && !LOCK_FILE.test(d.name)) out.set(p, fs.readFileSync(p));
  }
  return out;
}

/** Returns a function that restores `root` to the bytes it holds now (changed files rewritten, new ones removed). */
export function snapshot(root: string): () => void {
  const before = walk(root);
  return () => {
    const now = walk(root);
    for (const file of now.keys()) if (!before.has(file)) fs.rmSync(file);
    for (const [file, bytes] of before) {
      const cur = now.get(file);
      if (!cur || !cur.equals(bytes)) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, bytes);
      }
    }
    removeEmptyDirs(root);
  };
}

function removeEmptyDirs(dir: string): boolean {
  let empty = true;
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    if (d.isDirectory() && removeEmptyDirs(path.join(dir, d.name))) fs.rmdirSync(path.join(dir, d.name));
    else empty = false;
  }
  return empty;
}

/** Wait until the index holds exactly what is on disk for every file it tracks (watcher events are async). */
export async function indexMatchesDisk(index: TaskIndex, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const stale: string[] = [];
    for (const e of index.allEntries()) {
      const disk = fs.existsSync(e.file) ? hashText(fs.readFileSync(e.file, 'utf8')) : undefined;
      if (disk !== e.item?.hash) stale.push(e.file);
    }
    for (const p of index.getProjects()) {
      for (const f of await listTaskFiles(p)) if (!index.entry(f)) stale.push(f);
    }
    if (!stale.length) return;
    if (Date.now() > end) throw new Error(`index differs from disk for: ${stale.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
