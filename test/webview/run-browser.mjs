#!/usr/bin/env node
// Runs the board webview's browser tests (test/webview/*.browser.mjs) with mocha: the real board page
// and script in headless Chromium (see boardPage.mjs). Needs `node scripts/build.mjs --tests` first.
//   node test/webview/run-browser.mjs [--outdir=DIR] [--grep=PATTERN] [--invert]
// --outdir names the folder the tests were compiled to (default out; the tests read it from
// AITD_OUTDIR). Screenshots land in test-results/webview/. Exit code 0 when every test passed, 1 otherwise.
import Mocha from 'mocha';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const grep = option('grep');
process.env.AITD_OUTDIR = option('outdir') ?? process.env.AITD_OUTDIR ?? 'out';

const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60000, ...(grep ? { grep } : {}) });
if (grep && args.includes('--invert')) mocha.invert();
for (const f of fs.readdirSync(HERE).sort()) if (f.endsWith('.browser.mjs')) mocha.addFile(path.join(HERE, f));
try {
  await mocha.loadFilesAsync();
  mocha.run((failures) => process.exit(failures ? 1 : 0));
} catch (e) {
  console.error(`[browser] ERROR: ${e.stack ?? e}`);
  process.exit(1);
}
