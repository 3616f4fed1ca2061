#!/usr/bin/env node
// Runs the integration suite inside a real VS Code extension host: code-server + headless Chromium,
// the extension loaded from source, on a fresh temp copy of test/fixtures/workspace.
//
//   node test/launch/run-integration.mjs [--outdir=out] [--grep=PATTERN] [--timeout=SECONDS] [--keep] [--verbose]
//
// Build first (node scripts/build.mjs --tests --outdir=DIR). Streams the mocha output.
// Exit code 0: all tests passed. 1: a test failed, the suite did not load, the extension host crashed,
// the run timed out, or the launcher itself failed. Logs are kept (path printed) unless it passed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';
import { log, openBrowser, remoteUri, startCodeServer, tempCopy, workbenchUrl } from './codeServer.mjs';
import { ensureInstalled } from './install.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHIM = path.join(ROOT, 'test', 'launch', 'shim.cjs');

// Lines the workbench logs on every start; shown only with --verbose.
const CHATTER = /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Updating additional builtin extensions cache|Ignoring fetching additional builtin extensions|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\])/;

function parseArgs(argv) {
  const o = { outdir: 'out', grep: process.env.AITD_TEST_GREP, timeout: 600, keep: false, verbose: false };
  for (const a of argv) {
    const [, key, val] = /^--([a-z]+)(?:=(.*))?$/s.exec(a) ?? [];
    if (key === 'keep' || key === 'verbose') o[key] = true;
    else if (key === 'outdir' || key === 'grep') o[key] = val;
    else if (key === 'timeout' && Number(val) > 0) o.timeout = Number(val);
    else throw new Error(`unknown argument ${a}; usage: run-integration.mjs [--outdir=out] [--grep=PATTERN] [--timeout=SECONDS] [--keep] [--verbose]`);
  }
  return o;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tests = path.resolve(ROOT, opts.outdir, 'test', 'integration', 'suite', 'index.js');
  const entry = path.join(ROOT, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).main);
  for (const f of [tests, entry]) if (!fs.existsSync(f)) throw new Error(`${f} does not exist: build first (node scripts/build.mjs --tests --outdir=${opts.outdir})`);

  const bin = await ensureInstalled();
  const t0 = Date.now();
  const workspace = tempCopy(path.join(ROOT, 'test', 'fixtures', 'workspace'), 'aitd-ws-');
  // VS Code's own git extension watches the repositories the git tests make and remove, and its failing
  // `git` calls then throw into the extension host the tests share; the extension reads git on its own.
  const server = await startCodeServer({ bin, devMode: true, settings: { 'git.enabled': false } });
  const resultFile = path.join(server.runDir, 'result.json');
  const workbenchLog = fs.createWriteStream(path.join(server.runDir, 'workbench.log'));
  const consoleLog = fs.createWriteStream(path.join(server.runDir, 'browser-console.log'));
  let browser;
  let passed = false;
  try {
    log(`code-server ${server.origin} up in ${((Date.now() - t0) / 1000).toFixed(1)} s; workspace ${workspace}; run folder ${server.runDir}`);
    const opened = await openBrowser(bin);
    browser = opened.browser;
    const page = opened.page;
    let finish;
    const finished = new Promise((resolve) => { finish = resolve; });
    // The extension host's console (the mocha reporter) arrives here.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      let line = util.format(...(Array.isArray(args) ? args : [args]));
      workbenchLog.write(`${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} [${type}] ${line}\n`);
      if (!opts.verbose) {
        if ((type === 'info' || type === 'trace' || type === 'debug') && CHATTER.test(line)) return;
        line = line.split('\n').filter((l) => !(/^\s+at /.test(l) && l.includes(`${server.origin}/`))).join('\n');
      }
      (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish({ code }));
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('crash', () => finish({ error: 'the browser page crashed' }));

    const env = { AITD_TESTS: tests, AITD_RESULT: resultFile, ...(opts.grep ? { AITD_TEST_GREP: opts.grep } : {}) };
    await page.goto(workbenchUrl(server, workspace, [
      ['extensionDevelopmentPath', remoteUri(server.authority, ROOT)],
      ['extensionTestsPath', remoteUri(server.authority, SHIM)],
      ['extensionEnvironment', JSON.stringify(env)],
    ]), { timeout: 120000 });

    let timer;
    const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve({ error: `no result after ${opts.timeout} s` }), opts.timeout * 1000); });
    const result = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (result.error) {
      await page.screenshot({ path: path.join(server.runDir, 'timeout.png') }).catch(() => {});
      log(`FAILED: ${result.error} (${secs} s); did the extension host hang or run() never settle?`);
      return 1;
    }
    let outcome;
    try { outcome = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { outcome = undefined; }
    if (!outcome) log(`FAILED: the extension host ended (exit code ${result.code}) before the suite settled: it crashed or was killed (${secs} s)`);
    else if (!outcome.ok) log(`FAILED: ${outcome.error.split('\n')[0]} (${secs} s)`);
    else if (result.code !== 0) log(`FAILED: the extension host exited with code ${result.code} (${secs} s)`);
    else passed = true;
    if (passed) log(`integration suite passed (${secs} s)`);
    return passed ? 0 : 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.stop();
    await Promise.all([workbenchLog, consoleLog].map((s) => new Promise((r) => s.end(r))));
    if (passed && !opts.keep) {
      fs.rmSync(server.runDir, { recursive: true, force: true });
      fs.rmSync(workspace, { recursive: true, force: true });
    } else {
      log(`logs kept in ${server.runDir} (server.log, workbench.log, browser-console.log); workspace copy ${workspace}`);
    }
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(`ERROR: ${e.stack ?? e}`);
    process.exit(1);
  },
);
