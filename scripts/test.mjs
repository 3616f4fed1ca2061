#!/usr/bin/env node
// npm test: every check in order, output streamed, then one summary.
//   dependencies (npm ci when needed) · typecheck · build · install (Node 24, code-server, Chromium) ·
//   unit (mocha) · integration (real extension host) · webview (the board's page in Chromium) ·
//   e2e (VSIX in the real workbench UI)
//
// On a fresh clone it installs what is missing first. The dependencies stage runs whatever --only says;
// when it or the install stage fails (no registry, not root for apt) nothing after it runs, and its
// message, which names what to run, is repeated above the last line.
//
//   node scripts/test.mjs [--outdir=out] [--only=unit,integration] [--skip=e2e]
//
// The last line is "N passed, N failed": the tests counted from each mocha run's closing lines, plus
// one failure for each stage that failed without a test failing (a type error, a build error, a crash),
// so that "0 failed" means everything passed. Exit code 1 when anything failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCode, spawnChild } from './childProcess.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const outdir = arg('outdir') ?? 'out';
const only = arg('only')?.split(',');
const skip = arg('skip')?.split(',') ?? [];

/** The unit-test mocha config with its spec pointed at `outdir` (mocha adds command-line specs to the config's). */
function mochaConfig() {
  const file = path.join(ROOT, 'test', 'unit', '.mocharc.json');
  if (outdir === 'out') return file;
  const rc = JSON.parse(fs.readFileSync(file, 'utf8'));
  rc.spec = [rc.spec].flat().map((s) => s.replace(/^out\//, `${outdir}/`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-mocharc-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, '.mocharc.json'), JSON.stringify(rc));
  return path.join(dir, '.mocharc.json');
}

const node = process.execPath;
const STAGES = [
  { name: 'dependencies', setup: true, always: true, cmd: [node, 'scripts/npmDependencies.mjs'] },
  { name: 'typecheck', cmd: [node, path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--noEmit'] },
  { name: 'build', cmd: [node, 'scripts/build.mjs', '--tests', `--outdir=${outdir}`] },
  { name: 'install', setup: true, cmd: [node, 'test/launch/install.mjs'] },
  { name: 'unit', needs: ['build'], mocha: true, cmd: () => [node, 'node_modules/mocha/bin/mocha.js', '--config', mochaConfig()] },
  { name: 'integration', needs: ['build', 'install'], mocha: true, cmd: [node, 'test/launch/run-integration.mjs', `--outdir=${outdir}`] },
  { name: 'webview', needs: ['build', 'install'], mocha: true, cmd: [node, 'test/webview/run-browser.mjs', `--outdir=${outdir}`] },
  { name: 'e2e', needs: ['install'], mocha: true, cmd: [node, 'test/e2e/run-e2e.mjs'] },
];

/** Run a command with its output shown live; resolves to its exit code and the text it printed. */
async function run(cmd) {
  const child = spawnChild(cmd[0], cmd.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { FORCE_COLOR: '0' } });
  let text = '';
  child.stdout.on('data', (d) => { process.stdout.write(d); text += d; });
  child.stderr.on('data', (d) => { process.stderr.write(d); text += d; });
  child.on('error', (e) => { text += `${e.message}\n`; });
  const code = await exitCode(child);
  return { code, text };
}

/** Counts from mocha's closing lines ("  12 passing (3s)", "  1 failing", "  2 pending"). */
function mochaCounts(text) {
  const last = (word) => {
    const all = [...text.replace(/\x1b\[[0-9;]*m/g, '').matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : 0;
  };
  return { passed: last('passing'), failed: last('failing'), skipped: last('pending') };
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = [];
const t0 = Date.now();
let stopped;
for (const stage of STAGES) {
  if (skip.includes(stage.name) || (only && !only.includes(stage.name) && !stage.always)) continue;
  if (stopped) {
    results.push({ name: stage.name, ok: false, skippedFor: [stopped.name], passed: 0, failed: 0, skipped: 0, ms: 0 });
    continue;
  }
  const missing = (stage.needs ?? []).filter((n) => results.some((r) => r.name === n && !r.ok));
  if (missing.length) {
    results.push({ name: stage.name, ok: false, skippedFor: missing, passed: 0, failed: 0, skipped: 0, ms: 0 });
    console.log(`\n=== ${stage.name}: not run, ${missing.join(' and ')} failed`);
    continue;
  }
  console.log(`\n=== ${stage.name}`);
  const t = Date.now();
  const { code, text } = await run(typeof stage.cmd === 'function' ? stage.cmd() : stage.cmd);
  const counts = stage.mocha ? mochaCounts(text) : { passed: 0, failed: 0, skipped: 0 };
  const ok = code === 0 && counts.failed === 0;
  // A failed stage that counted no failing test (type error, crash, timeout) still counts as one failure.
  if (!ok && counts.failed === 0) counts.failed = 1;
  results.push({ name: stage.name, ok, code, ...counts, ms: Date.now() - t });
  console.log(`=== ${stage.name}: ${ok ? 'ok' : `FAILED (exit ${code})`}, ${secs(Date.now() - t)}`);
  if (!ok && stage.setup) {
    const said = text.split('\n').filter((l) => /\bERROR:/.test(l)).pop()?.trim();
    stopped = { name: stage.name, message: said ?? `${stage.name} failed (exit ${code}); see its output above` };
  }
}

const total = { passed: 0, failed: 0, skipped: 0 };
console.log('\n=== summary');
for (const r of results) {
  for (const k of Object.keys(total)) total[k] += r[k];
  const tests = r.passed + r.failed + r.skipped ? `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}` : '';
  const status = r.skippedFor ? `not run (${r.skippedFor.join(', ')} failed)` : r.ok ? 'ok' : 'FAILED';
  console.log(`  ${r.name.padEnd(12)} ${status.padEnd(28)} ${secs(r.ms).padStart(8)}  ${tests}`);
}
console.log(`  ${'total'.padEnd(12)} ${''.padEnd(28)} ${secs(Date.now() - t0).padStart(8)}`);
if (stopped) console.log(`\nStopped: ${stopped.message}`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
