#!/usr/bin/env node
// Packages the extension as a VSIX: production bundle, then vsce (no node_modules: the bundle holds
// every dependency; .vscodeignore lists what goes in). Both run in a staging copy of the tree, so that
// a production build never replaces the dist/ that a watch build or a test run is using.
//   node scripts/package.mjs [--out=dist/ai-trackdown.vsix]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChildSync } from './childProcess.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Not copied to the staging tree: dependencies are linked, outputs are rebuilt there.
const SKIP = new Set(['.git', 'node_modules', 'dist', 'test-results', '.vscode-test']);

function run(cwd, args) {
  const r = spawnChildSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** Build and package to `out`; returns the VSIX's absolute path. */
export function packageVsix(out = path.join(ROOT, 'dist', 'ai-trackdown.vsix')) {
  const file = path.resolve(out);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-package-'));
  try {
    for (const name of fs.readdirSync(ROOT)) {
      if (SKIP.has(name) || /^out/.test(name)) continue;
      fs.cpSync(path.join(ROOT, name), path.join(stage, name), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(stage, 'node_modules'));
    run(stage, [path.join(stage, 'scripts', 'build.mjs'), '--production']);
    run(stage, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', file]);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  return file;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv.slice(2).find((a) => a.startsWith('--out='))?.slice('--out='.length);
  try {
    packageVsix(out);
  } catch (e) {
    console.error(`package: ${e.message}`);
    process.exit(1);
  }
}
