// Runs every file of a folder whose name ends in `suffix` with mocha, and exits 0 when all passed, else 1.
// Shared by the UI end-to-end runner and the webview browser-test runner.
import Mocha from 'mocha';
import fs from 'node:fs';
import path from 'node:path';

export async function runMochaFiles(dir, suffix, { timeout, grep, invert = false, label }) {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout, ...(grep ? { grep } : {}) });
  if (grep && invert) mocha.invert();
  for (const f of fs.readdirSync(dir).sort()) if (f.endsWith(suffix)) mocha.addFile(path.join(dir, f));
  try {
    await mocha.loadFilesAsync();
    mocha.run((failures) => process.exit(failures ? 1 : 0));
  } catch (e) {
    console.error(`[${label}] ERROR: ${e.stack ?? e}`);
    process.exit(1);
  }
}
