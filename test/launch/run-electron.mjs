#!/usr/bin/env node
// Runs the integration suite in desktop VS Code (Electron) through @vscode/test-electron, which
// downloads VS Code into .vscode-test/ (machines that cannot download use run-integration.mjs).
//
//   node test/launch/run-electron.mjs [--outdir=out] [--grep=PATTERN]
//   VSCODE_VERSION=1.95.0 (default: stable)   VSCODE_EXECUTABLE=/path/to/code (skip the download)
//
// Same suite, same fixture copy, same outcome check as the code-server launcher: exit 0 only when the
// suite itself reported success.
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main() {
  const arg = (name) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const outdir = arg('outdir') ?? 'out';
  const grep = arg('grep') ?? process.env.AITD_TEST_GREP;
  const tests = path.resolve(ROOT, outdir, 'test', 'integration', 'suite', 'index.js');
  if (!fs.existsSync(tests)) throw new Error(`${tests} does not exist: build first (node scripts/build.mjs --tests --outdir=${outdir})`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-electron-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const resultFile = path.join(tmp, 'result.json');
  let passed = false;
  try {
    const code = await runTests({
      ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION ?? 'stable' }),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'test', 'launch', 'shim.cjs'),
      extensionTestsEnv: { AITD_TESTS: tests, AITD_RESULT: resultFile, ...(grep ? { AITD_TEST_GREP: grep } : {}) },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', path.join(tmp, 'user-data')],
    }).catch((e) => (typeof e?.code === 'number' ? e.code : Promise.reject(e)));
    let outcome;
    try { outcome = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { outcome = undefined; }
    passed = code === 0 && outcome?.ok === true;
    if (!outcome) console.error(`[electron] FAILED: VS Code exited (code ${code}) before the suite settled: the extension host crashed or was killed`);
    else if (!passed) console.error(`[electron] FAILED: ${outcome.error?.split('\n')[0] ?? `VS Code exit code ${code}`}`);
    return passed ? 0 : 1;
  } finally {
    if (passed) fs.rmSync(tmp, { recursive: true, force: true });
    else console.error(`[electron] workspace copy and profile kept in ${tmp}`);
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[electron] ERROR: ${e.stack ?? e}`);
    process.exit(1);
  },
);
