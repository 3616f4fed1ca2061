#!/usr/bin/env node
// Hostile task files: what reading and editing each one costs, in a fresh process per file, beside the
// floor of a normal task file. The files come from test/unit/support/hostileFiles.ts: every shape once as
// large as the frontmatter limits let it be, and once just under the 1 MiB file limit. Prints figures
// beside a budget; nothing here asserts on time.
//   node scripts/build.mjs --tests && node bench/hostile.mjs [--outdir=out] [--target=<build dir>] [--runs=3]
//
// --outdir   the build holding the generator (default out)
// --target   the build whose parse.ts/edit.ts/index are measured (default: --outdir); point it at a build
//            of an older commit to compare.
// Per file, --runs child processes (median times, largest memory) each load the code, read, parse and
// edit a normal task file and one the YAML library reads, 20 times (their JIT and heap then count as the
// baseline), then the hostile file:
//   parse    parseItem (what indexing and the live diagnostics run)
//   edit     editFrontmatter setting the title (what every command and quick fix runs); refused is fine
//   peak     the most resident memory the process ever had (resourceUsage().maxRSS), and how much above
//            the baseline that is
//   problems how many the file got, and the first one's code
// Then one process indexes a project holding all of them, as a cloned repository would be indexed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const OUTDIR = path.resolve(ROOT, option('outdir', process.env.AITD_OUTDIR || 'out'));
const TARGET = path.resolve(ROOT, option('target', OUTDIR));
const RUNS = Number(option('runs', '3'));
const BUDGET_MS = 200;
const BUDGET_MIB = 64;
const NORMAL = path.join(ROOT, 'test', 'fixtures', 'corpus', 'cli', 'tasks', 'tasks', 'TSK-0001-cart-markup.md');
const MiB = 1024 * 1024;

/** In a child: the figures of one file, as JSON on stdout. */
function child(target, file) {
  const load = createRequire(import.meta.url);
  const { parseItem } = load(path.join(target, 'src', 'core', 'parse.js'));
  const { editFrontmatter } = load(path.join(target, 'src', 'core', 'edit.js'));
  const { defaultConfig } = load(path.join(target, 'src', 'core', 'config.js'));
  const ctx = { file: '/p/tasks/tasks/TSK-0001-x.md', root: '/p', type: 'task', config: defaultConfig('p') };
  const normal = fs.readFileSync(NORMAL, 'utf8');
  // The same file with a flow map under an anchor, which the fast reader leaves to the YAML library.
  const viaLibrary = normal.replace('\ntitle:', '\nx: &a {b: [c, d]}\ntitle:');
  for (let i = 0; i < 20; i++) {
    for (const t of [normal, viaLibrary]) {
      parseItem(t, ctx);
      editFrontmatter(t, [{ key: 'title', value: `t${i}` }]);
    }
  }
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  const text = fs.readFileSync(file, 'utf8');
  let t0 = performance.now();
  const r = parseItem(text, ctx);
  const parseMs = performance.now() - t0;
  t0 = performance.now();
  let edit = 'written';
  try {
    editFrontmatter(text, [{ key: 'title', value: 'Edited' }]);
  } catch (e) {
    edit = e.constructor.name === 'EditError' ? 'refused' : `threw ${e.constructor.name}`;
  }
  const editMs = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ parseMs, editMs, edit, peak, overBase: Math.max(0, peak - base), problems: r.problems.length, first: r.problems[0]?.code ?? '' }));
}

/** In a child: index a project of all the files. */
async function childIndex(target, root) {
  const load = createRequire(import.meta.url);
  const { TaskIndex } = load(path.join(target, 'src', 'core', 'index.js'));
  const { indexProject, loadProject } = load(path.join(target, 'src', 'core', 'project.js'));
  const project = await loadProject(root);
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  const index = new TaskIndex();
  index.setProject(project);
  const t0 = performance.now();
  const n = await indexProject(index, project);
  const ms = performance.now() - t0;
  const problems = [...index.allEntries()].reduce((sum, e) => sum + e.problems.length, 0);
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ n, ms, problems, peak, overBase: Math.max(0, peak - base) }));
}

function run(args) {
  return JSON.parse(execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', maxBuffer: 16 * MiB }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** RUNS fresh processes of one file: median times, the largest memory. */
function runs(args) {
  const all = Array.from({ length: RUNS }, () => run(args));
  const r = { ...all[0] };
  for (const k of ['parseMs', 'editMs', 'ms']) if (k in r) r[k] = median(all.map((x) => x[k]));
  for (const k of ['peak', 'overBase']) r[k] = Math.max(...all.map((x) => x[k]));
  return r;
}

function table(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

async function main() {
  const { hostileFiles } = createRequire(import.meta.url)(path.join(OUTDIR, 'test', 'unit', 'support', 'hostileFiles.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-hostile-'));
  try {
    const files = hostileFiles();
    const taskDir = path.join(dir, 'tasks', 'tasks');
    fs.mkdirSync(taskDir, { recursive: true });
    fs.mkdirSync(path.join(dir, '.ai-trackdown'));
    fs.writeFileSync(path.join(dir, '.ai-trackdown', 'config.yaml'), 'name: hostile\n');
    const paths = files.map((f, i) => {
      const id = `TSK-${String(i + 1).padStart(4, '0')}`;
      const p = path.join(taskDir, `${id}-hostile.md`);
      fs.writeFileSync(p, f.text.replace('TSK-0001', id));
      return p;
    });
    console.log(`node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}; code measured: ${TARGET.startsWith(ROOT + path.sep) ? path.relative(ROOT, TARGET) : TARGET}; median of ${RUNS} processes per file; budget ${BUDGET_MS} ms and ${BUDGET_MIB} MiB over the baseline per file`);
    const normal = runs(['--child', TARGET, NORMAL]);
    const rows = [[`floor: a normal task file (${(fs.statSync(NORMAL).size / 1024).toFixed(1)} KiB)`, '', normal.parseMs.toFixed(1), normal.editMs.toFixed(1), normal.edit, (normal.peak / MiB).toFixed(0), (normal.overBase / MiB).toFixed(1), String(normal.problems), '']];
    files.forEach((f, i) => {
      const r = runs(['--child', TARGET, paths[i]]);
      const over = r.parseMs > BUDGET_MS || r.editMs > BUDGET_MS || r.overBase > BUDGET_MIB * MiB;
      rows.push([f.name, (f.text.length / 1024).toFixed(0), r.parseMs.toFixed(1), r.editMs.toFixed(1), r.edit, (r.peak / MiB).toFixed(0), (r.overBase / MiB).toFixed(1), `${r.problems} ${r.first}`, over ? 'OVER' : 'ok']);
    });
    table(['file', 'KiB', 'parse ms', 'edit ms', 'edit', 'peak MiB', 'over base MiB', 'problems', 'budget'], rows);
    const idx = runs(['--child-index', TARGET, dir]);
    console.log(`\nindex of all ${idx.n} files in one process: ${idx.ms.toFixed(0)} ms, ${idx.problems} problems, peak ${(idx.peak / MiB).toFixed(0)} MiB (${(idx.overBase / MiB).toFixed(0)} MiB over its baseline)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, target, file] = process.argv.slice(2);
if (mode === '--child') child(target, file);
else if (mode === '--child-index') await childIndex(target, file);
else await main();
