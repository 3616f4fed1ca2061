#!/usr/bin/env node
// Runs the board webview's browser tests (test/webview/*.browser.mjs) with mocha: the real board page
// and script in headless Chromium (see webviewPage.mjs). Needs `node scripts/build.mjs --tests` first.
//   node test/webview/run-browser.mjs [--outdir=DIR] [--grep=PATTERN] [--invert]
// --outdir names the folder the tests were compiled to (default out; the tests read it from
// AITD_OUTDIR). Screenshots land in test-results/webview/. Exit code 0 when every test passed, 1 otherwise.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMochaFiles } from '../launch/mochaFiles.mjs';

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
process.env.AITD_OUTDIR = option('outdir') ?? process.env.AITD_OUTDIR ?? 'out';
await runMochaFiles(path.dirname(fileURLToPath(import.meta.url)), '.browser.mjs', {
  timeout: 60000,
  grep: option('grep'),
  invert: args.includes('--invert'),
  label: 'browser',
});
