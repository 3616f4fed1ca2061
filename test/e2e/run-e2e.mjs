#!/usr/bin/env node
// Runs the UI end-to-end tests (test/e2e/*.e2e.mjs) with mocha. Each file packages the extension,
// installs the VSIX into a fresh code-server and drives the workbench in headless Chromium;
// screenshots land in test-results/e2e/.
//   node test/e2e/run-e2e.mjs [--grep=PATTERN]
// Exit code 0 when every test passed, 1 otherwise.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMochaFiles } from '../launch/mochaFiles.mjs';

const grep = process.argv.slice(2).find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
await runMochaFiles(path.dirname(fileURLToPath(import.meta.url)), '.e2e.mjs', { timeout: 90000, grep, label: 'e2e' });
