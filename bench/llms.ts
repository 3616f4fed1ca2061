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
import { printTable, runs as benchRuns, settle, sizes as benchSizes, timeRuns } from './measure';

const sizes = benchSizes();
const runs = benchRuns();
const time = (fn: () => unknown) => timeRuns(fn, runs);

async function main() {
  const rows: string[][] = [];
  for (const n of sizes) {
    const root = path.join(os.tmpdir(), `aitd-bench-llms-${n}`);
    writeCorpus(root, n);
    settle();
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

    const tTxt = time(() => llmsTxt(index, project));
    const tFull = time(() => llmsFullTxt(index, project, (i) => bodies.get(i.file)));
    const source = llmsSource(index, project);
    const tSource = time(() => llmsSource(index, project));
    const tFromSource = time(() => {
      source.txt();
      source.full((i) => bodies.get(i.file));
    });
    const tRead = time(() => items.forEach((i) => readBodySync(i)));
    // What a save costs the extension host: one source for both files, the bodies read from disk.
    const tAll = time(() => {
      const source = llmsSource(index, project);
      const b = new Map(source.fullItems.map((i) => [i.file, readBodySync(i)]));
      source.txt();
      source.full((i) => b.get(i.file));
    });
    const tCheck = time(() => checkLlmsTxt(txt));

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
  printTable(head, rows, runs);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
