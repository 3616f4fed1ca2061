/**
 * One task-file edit written to disk, on generated corpora (default 1,000 and 10,000 items): the atomic
 * writer against its floor, a plain in-place write. Prints the median ms per write of a batch of 50.
 * Usage: node out/bench/write.js [--sizes=1000,10000 --runs=5]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { replaceFile } from '../src/core/atomicWrite';
import { writeCorpus } from './corpus';
import { printTable, runs as benchRuns, settle, sizes as benchSizes, timeRunsAsync } from './measure';

const BATCH = 50;

async function main() {
  const rows: string[][] = [];
  for (const n of benchSizes()) {
    const root = path.join(os.tmpdir(), `aitd-bench-write-${n}`);
    writeCorpus(root, n);
    settle();
    const dir = path.join(root, 'tasks', 'tasks');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md')).slice(0, BATCH).map((f) => path.join(dir, f));
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    // Each write flips one byte of the body, so that every write changes the file.
    const next = (f: string) => {
      const t = texts.get(f)!;
      const flipped = t.endsWith('\n\n') ? t.slice(0, -1) : `${t}\n`;
      texts.set(f, flipped);
      return { before: t, after: flipped };
    };
    const floor = await timeRunsAsync(async () => {
      for (const f of files) await fs.promises.writeFile(f, next(f).after);
    }, benchRuns());
    const atomic = await timeRunsAsync(async () => {
      for (const f of files) {
        const { before, after } = next(f);
        await replaceFile(f, after, { within: root, expected: before });
      }
    }, benchRuns());
    rows.push([n.toLocaleString('en'), (floor / BATCH).toFixed(2), (atomic / BATCH).toFixed(2)]);
  }
  printTable(['items', 'floor: in-place write, ms', 'atomic write (checked, synced), ms'], rows, benchRuns());
}

void main();
