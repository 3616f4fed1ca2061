/**
 * Index benchmarks on generated corpora of 1,000 and 10,000 items. Prints a table of medians.
 * Usage: npm run bench [-- --sizes=1000,10000 --runs=5]
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { TaskIndex } from '../src/core/index';
import { indexProject, listTaskFiles, loadProject } from '../src/core/project';
import { writeCorpus } from './corpus';
import { median, ms, printTable, runs as benchRuns, settle, sizes as benchSizes, timeRunsAsync } from './measure';

const sizes = benchSizes();
const runs = benchRuns();
const timeRuns = (fn: () => Promise<unknown> | unknown) => timeRunsAsync(fn, runs);

/** The fastest plain read of every file (synchronous: on many small files it beats the thread pool). */
async function readAll(files: string[]): Promise<string[]> {
  return files.map((f) => readFileSync(f, 'utf8'));
}

/** The floor: read every file and parse its frontmatter with plain yaml.parse, nothing else. */
function parseFloor(texts: string[]) {
  for (const t of texts) {
    const m = /^\ufeff?---\r?\n([\s\S]*?)\r?\n---/.exec(t);
    if (!m) continue;
    try {
      parseYaml(m[1]);
    } catch {
      // broken files count too
    }
  }
}

async function main() {
  const rows: string[][] = [];
  for (const n of sizes) {
    const root = path.join(os.tmpdir(), `aitd-bench-${n}`);
    const stats = writeCorpus(root, n);
    settle();
    const project = await loadProject(root);
    const files = await listTaskFiles(project);

    const raw = await timeRuns(() => readAll(files));
    const floor = await timeRuns(async () => parseFloor(await readAll(files)));
    const cold = await timeRuns(async () => {
      const index = new TaskIndex();
      index.setProject(project);
      await indexProject(index, project);
    });

    const index = new TaskIndex();
    index.setProject(project);
    await indexProject(index, project);
    const texts = await readAll(files.slice(0, 200));
    const upd: number[] = [];
    for (let i = 0; i < texts.length; i++) {
      const t0 = process.hrtime.bigint();
      index.set(files[i], texts[i].replace('priority: ', 'priority:  '));
      upd.push(ms(t0));
    }
    const epics = [...index.items()].filter((i) => i.type === 'epic');
    const byState = await timeRuns(() => index.byState('active'));
    const byEpic = await timeRuns(() => epics.forEach((e) => index.children(e).forEach((c) => index.children(c))));
    // Three fresh processes: the first index of each, and its memory.
    const fresh = [0, 1, 2].map(() => execFileSync(process.execPath, ['--expose-gc', path.join(__dirname, 'memory.js'), root], { encoding: 'utf8' }).trim().split(' ').map(Number));
    const [firstMs, heldMb, peakMb] = [0, 1, 2].map((k) => median(fresh.map((f) => f[k])));

    rows.push([
      n.toLocaleString('en'),
      `${stats.files} / ${(stats.bytes / 1048576).toFixed(1)} MB`,
      raw.toFixed(0),
      floor.toFixed(0),
      cold.toFixed(0),
      (cold / floor).toFixed(2),
      firstMs.toFixed(0),
      median(upd).toFixed(3),
      byState.toFixed(2),
      byEpic.toFixed(2),
      `${heldMb} / ${peakMb}`,
    ]);
  }
  const head = ['items', 'files / size', 'raw read ms', 'read+YAML floor ms', 'cold index ms', 'cold/floor', 'first index in a fresh process ms', 'update 1 file ms', 'query state ms', 'query epics→children ms', 'index heap MB / peak RSS MB'];
  printTable(head, rows, runs);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
