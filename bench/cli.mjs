#!/usr/bin/env node
// The trackdown command line as scripts run it: whole processes, timed from spawn to exit, on generated
// projects of 1,000 and 10,000 items, beside the floor of a bare Node start and a Node process that only
// reads every task file. Prints figures; asserts nothing.
//   node scripts/build.mjs --tests && node bench/cli.mjs [--outdir=out] [--sizes=1000,10000] [--runs=9]
//
// --outdir   the build holding the corpus generator (bench/corpus.ts compiled); dist/cli.js is measured
// Rows:
//   node -e 0              Node starting and stopping: no command can be faster
//   read all files         Node listing the type folders and reading every task file, nothing else
//   --version              the CLI's own start: its bundle compiled and what every command loads
//   status --format json   every item listed as JSON
//   show ID                one item's file
//   check                  every file's problems, as the editor shows them
//   update ISS-0001 …      a label and an assignee written to one item (its file put back before each run)
// Each figure is the median of --runs processes after one warm-up (the file cache and the disk).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const OUTDIR = path.resolve(ROOT, option('outdir', process.env.AITD_OUTDIR || 'out'));
const SIZES = option('sizes', '1000,10000').split(',').map(Number);
const RUNS = Number(option('runs', '9'));
const CLI = path.join(ROOT, 'dist', 'cli.js');
/** What a status or show should cost beyond the floor, to be felt as instant in a script. */
const BUDGET_MS = 50;

const load = createRequire(import.meta.url);
const { writeCorpus } = load(path.join(OUTDIR, 'bench', 'corpus.js'));
const { settle } = load(path.join(OUTDIR, 'bench', 'measure.js'));

/** Median wall time (ms) of `runs` processes, after one warm-up; the exit code must be one of `ok`. */
function time(args, { cwd, ok = [0], before } = {}) {
  const once = () => {
    before?.();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!ok.includes(r.status)) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return ms;
  };
  once();
  const times = Array.from({ length: RUNS }, once).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** A Node process that lists the four type folders and reads every file in them. */
const READ_ALL = `const fs=require('fs'),p=require('path');let n=0;for(const d of ['epics','issues','tasks','prs']){const dir=p.join('tasks',d);for(const f of fs.readdirSync(dir))if(f.endsWith('.md')){fs.readFileSync(p.join(dir,f),'utf8');n++}}`;

/** Puts an item's file back as the corpus wrote it, so that every timed update makes the same change. */
function restore(root, id) {
  const dir = path.join(root, 'tasks', 'issues');
  const file = path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(`${id}-`)));
  const text = fs.readFileSync(file);
  return () => fs.writeFileSync(file, text);
}

const rows = [];
for (const n of SIZES) {
  const root = path.join(os.tmpdir(), `aitd-bench-cli-${n}`);
  writeCorpus(root, n);
  settle();
  const opts = { cwd: root };
  const bare = time(['-e', '0'], opts);
  const floor = time(['-e', READ_ALL], opts);
  const figures = [
    ['node -e 0', bare],
    ['read all files', floor],
    ['--version', time([CLI, '--version'], opts)],
    ['status --format json', time([CLI, 'status', '--format', 'json'], opts)],
    ['show ISS-0001', time([CLI, 'show', 'ISS-0001'], opts)],
    // The corpus holds deliberate problems: check exits 1.
    ['check', time([CLI, 'check'], { ...opts, ok: [0, 1] })],
    ['update ISS-0001 --add-label --assignee', time([CLI, 'update', 'ISS-0001', '--add-label', 'bench', '--assignee', 'bench-user'], { ...opts, before: restore(root, 'ISS-0001') })],
  ];
  for (const [what, ms] of figures) rows.push([String(n), what, ms.toFixed(0), (ms - bare).toFixed(0), (ms - floor).toFixed(0)]);
}

const head = ['items', 'process', 'median ms', 'over node -e 0', 'over reading the files'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => '| ' + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
console.log(`node ${process.version}, ${os.cpus().length} cores, median of ${RUNS} processes after a warm-up; the CLI's own start (--version over node -e 0) should stay under ${BUDGET_MS} ms`);
console.log(line(head));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows) console.log(line(r));
