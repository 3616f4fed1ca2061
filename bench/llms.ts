/**
 * llms.txt and llms-full.txt generation on generated corpora (default 1,000 and 10,000 items).
 * Prints a table of medians. Usage: node out/bench/llms.js [--sizes=1000,10000 --runs=5]
 */
import * as os from 'os';
import * as path from 'path';
import { TaskIndex } from '../src/core/index';
import { checkLlmsFullTxt, checkLlmsTxt, llmsFullItems, llmsFullTxt, llmsSource, llmsTxt, readBodySync } from '../src/core/llms';
import { indexProject, loadProject } from '../src/core/project';
import { writeCorpus } from './corpus';

const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const sizes = arg('sizes', '1000,10000').split(',').map(Number);
const runs = Number(arg('runs', '5'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function timeRuns(fn: () => unknown): number {
  const times: number[] = [];
  fn(); // warm-up: the OS file cache and the JIT
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(ms(t0));
  }
  return median(times);
}

async function main() {
  const rows: string[][] = [];
  for (const n of sizes) {
    const root = path.join(os.tmpdir(), `aitd-bench-llms-${n}`);
    writeCorpus(root, n);
    const project = await loadProject(root);
    const index = new TaskIndex();
    index.setProject(project);
    await indexProject(index, project);

    const items = llmsFullItems(index, project);
    const bodies = new Map(items.map((i) => [i.file, readBodySync(i)]));
    const txt = llmsTxt(index, project);
    const full = llmsFullTxt(index, project, (i) => bodies.get(i.file));
    const problems = [...checkLlmsTxt(txt), ...checkLlmsFullTxt(full)];
    if (problems.length) throw new Error(`generated files are not well formed: ${problems.slice(0, 5).join('; ')}`);

    const tTxt = timeRuns(() => llmsTxt(index, project));
    const tFull = timeRuns(() => llmsFullTxt(index, project, (i) => bodies.get(i.file)));
    const source = llmsSource(index, project);
    const tSource = timeRuns(() => llmsSource(index, project));
    const tFromSource = timeRuns(() => {
      source.txt();
      source.full((i) => bodies.get(i.file));
    });
    const tRead = timeRuns(() => items.forEach((i) => readBodySync(i)));
    // What a save costs the extension host: one source for both files, the bodies read from disk.
    const tAll = timeRuns(() => {
      const source = llmsSource(index, project);
      const b = new Map(source.fullItems.map((i) => [i.file, readBodySync(i)]));
      source.txt();
      source.full((i) => b.get(i.file));
    });
    const tCheck = timeRuns(() => checkLlmsTxt(txt));

    rows.push([
      n.toLocaleString('en'),
      index.size.toLocaleString('en'),
      items.length.toLocaleString('en'),
      tTxt.toFixed(1),
      (Buffer.byteLength(txt) / 1024).toFixed(1),
      tFull.toFixed(1),
      (Buffer.byteLength(full) / 1048576).toFixed(2),
      tSource.toFixed(1),
      tFromSource.toFixed(1),
      tRead.toFixed(1),
      tAll.toFixed(1),
      tCheck.toFixed(2),
    ]);
  }
  const head = ['items', 'indexed files', 'items in full', 'llms.txt ms', 'llms.txt KB', 'llms-full.txt ms (bodies in memory)', 'llms-full.txt MB', 'llmsSource ms', 'both texts from it ms', 'read bodies ms', 'per save: source + read + both ms', 'checkLlmsTxt ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padStart(widths[i])).join(' | ') + ' |';
  console.log(`node ${process.version}, ${os.cpus().length} cores, median of ${runs} runs after a warm-up`);
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
