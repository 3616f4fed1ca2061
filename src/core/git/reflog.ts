/** New commits from HEAD's reflog: what was committed here (not what a checkout, reset or rebase moved to). */
import { promises as fs } from 'fs';
import * as path from 'path';

export interface ReflogEntry {
  old: string;
  new: string;
  message: string;
}

/** Reflog actions that make a new commit the user wrote a message for. */
const COMMIT_ACTION = /^commit( \((initial|amend|merge)\))?:/;

export function parseReflog(text: string): ReflogEntry[] {
  const out: ReflogEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{40,64}) ([0-9a-f]{40,64}) [^\t]*\t(.*)$/.exec(line);
    if (m) out.push({ old: m[1], new: m[2], message: m[3] });
  }
  return out;
}

export function madeCommits(entries: readonly ReflogEntry[]): string[] {
  return entries.filter((e) => COMMIT_ACTION.test(e.message) && !/^0+$/.test(e.new)).map((e) => e.new);
}

export function headReflogFile(gitDir: string): string {
  return path.join(gitDir, 'logs', 'HEAD');
}

/**
 * Reads HEAD's reflog incrementally: each call returns the commits appended since the last one.
 * The first call only takes the position (what was committed before the extension looked is not new).
 */
export class ReflogReader {
  private offset: number | undefined;

  constructor(private readonly file: string) {}

  async newCommits(): Promise<string[]> {
    let size: number;
    try {
      size = (await fs.stat(this.file)).size;
    } catch {
      // No reflog (yet, or any more): everything written to a new one is new.
      this.offset = 0;
      return [];
    }
    if (this.offset === undefined || size < this.offset) {
      // First look, or the reflog was expired or rewritten: start from its end.
      this.offset = size;
      return [];
    }
    if (size === this.offset) return [];
    const handle = await fs.open(this.file, 'r');
    try {
      const buf = Buffer.alloc(size - this.offset);
      await handle.read(buf, 0, buf.length, this.offset);
      const text = buf.toString('utf8');
      // Only whole lines: a line being written is read next time.
      const end = text.lastIndexOf('\n') + 1;
      this.offset += Buffer.byteLength(text.slice(0, end));
      return madeCommits(parseReflog(text.slice(0, end)));
    } finally {
      await handle.close();
    }
  }
}
