#!/usr/bin/env node
// npm start: the extension in a real VS Code (code-server in your browser) on the bundled demo project.
//   node scripts/demo.mjs [--port=8080] [--in-place] [--keep]
// Installs what is missing (npm dependencies, code-server into the cache dir), packages the extension
// as a VSIX and installs it into a fresh profile, and serves http://127.0.0.1:PORT with no password.
// The demo opens in a temp copy of demo/, because the extension writes task files (state changes,
// new items, migration) and a demo run should not leave changes in the repository: --in-place opens
// demo/ itself, --keep keeps the copy after exit. Ctrl+C stops the server and cleans up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { portIsFree, startCodeServer, tempCopy } from '../test/launch/codeServer.mjs';
import { ensureInstalled } from '../test/launch/install.mjs';
import { ensureNpmDependencies } from './npmDependencies.mjs';
import { packageVsix } from './package.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => console.log(`[demo] ${msg}`);
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const portArg = args.find((a) => a.startsWith('--port='))?.slice('--port='.length);

async function main() {
  const t0 = Date.now();
  await ensureNpmDependencies(say);
  const bin = await ensureInstalled();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-demo-'));
  const vsix = packageVsix(path.join(runDir, 'ai-trackdown.vsix'));
  const workspace = flag('in-place') ? path.join(ROOT, 'demo') : tempCopy(path.join(ROOT, 'demo'), 'aitd-demo-ws-');

  let port = Number(portArg ?? 8080);
  if (!(await portIsFree(port))) {
    if (portArg) throw new Error(`port ${port} is in use`);
    port = 0;
  }
  let server;
  let watch;
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    say('stopping code-server');
    await server?.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
    if (!flag('in-place')) {
      if (flag('keep')) say(`your copy of the demo project stays in ${workspace}`);
      else fs.rmSync(workspace, { recursive: true, force: true });
    }
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop(0));

  server = await startCodeServer({ bin, vsix: [vsix], runDir: path.join(runDir, 'server'), ...(port ? { port } : {}) });
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(0)} s; demo project: ${workspace}${flag('in-place') ? '' : ' (a temp copy of demo/)'}`);
  console.log(`\n  Open ${server.origin}/?folder=${encodeURIComponent(workspace)}\n`);
  say('the AI Trackdown icon is in the activity bar on the left; press Ctrl+C here to stop');
  // The server runs until Ctrl+C; if it dies on its own, say so and stop.
  watch = setInterval(() => {
    const exited = server.exited();
    if (exited && !stopping) {
      const log = fs.readFileSync(server.serverLog, 'utf8').split('\n').slice(-20).join('\n');
      console.error(`[demo] code-server exited on its own (${JSON.stringify(exited)}); the end of its log:\n${log}`);
      void stop(1);
    }
  }, 1000);
}

main().catch((e) => {
  console.error(`[demo] ERROR: ${e.message}`);
  process.exit(1);
});
