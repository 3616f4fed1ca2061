#!/usr/bin/env node
// Runs the UI end-to-end tests (test/e2e/*.e2e.mjs) with mocha. Each file packages the extension,
// installs the VSIX into a fresh code-server and drives the workbench in headless Chromium;
// screenshots land in test-results/e2e/.
//   node test/e2e/run-e2e.mjs [--grep=PATTERN]
// Exit code 0 when every test passed, 1 otherwise.
import Mocha from 'mocha';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const grep = process.argv.slice(2).find((a) => a.startsWith('--grep='))?.slice('--grep='.length);

const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 90000, ...(grep ? { grep } : {}) });
for (const f of fs.readdirSync(HERE).sort()) if (f.endsWith('.e2e.mjs')) mocha.addFile(path.join(HERE, f));
try {
  await mocha.loadFilesAsync();
  mocha.run((failures) => process.exit(failures ? 1 : 0));
} catch (e) {
  console.error(`[e2e] ERROR: ${e.stack ?? e}`);
  process.exit(1);
}
