#!/usr/bin/env node
// Indexing in the real extension host: the packaged extension installed into code-server, a window
// opened in headless Chromium on a generated project, and the figures read from the window's logs:
//   first index   the extension's own figure ("Indexed N files … in X ms": from the start of its scan
//                 to the index being built), in an extension host that has compiled nothing yet, while
//                 the window starts (on 2 cores the window, its server and the other extensions'
//                 activation take most of the machine);
//   index again   *AI Trackdown: Refresh* once the window has settled: the same index with nothing else
//                 starting beside it, and the extension's code compiled by the first run.
// Each size runs in --runs fresh servers (a new profile and extension host each); medians are printed.
// Prints figures only; nothing here asserts on time.
//   node scripts/build.mjs --tests && node bench/host.mjs [--runs=3] [--sizes=1000,10000] [--outdir=out]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVsix } from '../scripts/package.mjs';
import { CODE_SERVER_VERSION, ensureInstalled } from '../test/launch/install.mjs';
import { Workbench } from '../test/e2e/workbench.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Where the compiled benchmark helpers are: the one option needed before they are loaded.
const OUTDIR = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? (process.env.AITD_OUTDIR || 'out');
const load = (name) => createRequire(import.meta.url)(path.join(ROOT, OUTDIR, 'bench', name));
const { writeCorpus } = load('corpus.js');
const { arg, median, printTable, settle, sizes } = load('measure.js');

const RUNS = Number(arg('runs', '3'));
const SIZES = sizes();
const WAIT_MS = 5 * 60 * 1000;

/** Every file below `dir` whose name passes `test`. */
function filesBelow(dir, test) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesBelow(p, test) : test(e.name) ? [p] : [];
  });
}

/** How long the extension's `count`-th index took, from its "Indexed" log line (waiting for it). */
async function indexed(logs, n, count) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const [own] = filesBelow(logs, (name) => name === 'AI Trackdown.log');
    const line = own && fs.readFileSync(own, 'utf8').split('\n').filter((l) => / Indexed \d+ files/.test(l))[count - 1];
    if (line) {
      const [, files, ms] = /Indexed (\d+) files .* in (\d+) ms/.exec(line);
      if (Number(files) < n) throw new Error(`only ${files} of ${n} files indexed: ${line}`);
      return Number(ms);
    }
    if (Date.now() > deadline) throw new Error(`no "Indexed" line #${count} in ${own ?? logs} after ${WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The figures of one fresh window (see the top of this file). */
async function figures(wb, n) {
  const logs = path.join(wb.server.runDir, 'user-data', 'logs');
  const first = await indexed(logs, n, 1);
  // Let the window finish starting, then index again.
  await wb.page.waitForTimeout(5000);
  await wb.runCommand('AI Trackdown: Refresh');
  const again = await indexed(logs, n, 2);
  return { index: first, settled: again };
}

async function main() {
  const bin = await ensureInstalled();
  const vsix = packageVsix(path.join(ROOT, 'test-results', 'ai-trackdown-bench.vsix'));
  const rows = [];
  for (const n of SIZES) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `aitd-host-${n}-`));
    writeCorpus(root, n);
    settle();
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      const wb = await Workbench.open({ bin, workspace: root, vsix, artifacts: path.join(ROOT, 'test-results', 'bench') });
      try {
        runs.push(await figures(wb, n));
      } finally {
        await wb.close();
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
    rows.push([n.toLocaleString('en'), ...['index', 'settled'].map((k) => median(runs.map((x) => x[k])).toFixed(0))]);
  }
  printTable(['items', 'first index ms (window starting)', 'index again, window settled ms'], rows, RUNS, `code-server ${CODE_SERVER_VERSION} (VS Code's extension host), ${os.cpus().length} cores, median of ${RUNS} fresh servers`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
