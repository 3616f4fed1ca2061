// Start and stop a throw-away code-server (the real VS Code server and web workbench, with a Node
// extension host) on 127.0.0.1, and open it in Debian's Chromium through playwright-core.
// Shared by the integration launcher, the UI end-to-end test and the demo.
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnChild, spawnChildSync } from '../../scripts/childProcess.mjs';

/** Settings of every fresh profile: no welcome page, trust prompt, telemetry, updates or AI panels. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
};

export const log = (...a) => console.error('[launch]', ...a);

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.on('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function healthy(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => { req.destroy(); resolve(false); });
  });
}

function tail(file, lines = 30) {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

/** How the workbench names a file of the server machine. */
export function remoteUri(authority, absPath) {
  return `vscode-remote://${authority}${absPath.split('/').map(encodeURIComponent).join('/')}`;
}

/** Copy a folder to a fresh temp folder (tests and the demo never touch the originals). */
export function tempCopy(src, prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}

/**
 * Start code-server with a fresh profile in runDir (a new temp folder unless given).
 * opts.bin: paths from ensureInstalled(). opts.vsix: files installed with --install-extension first.
 * opts.devMode: enable the smoke-test driver, without which the web workbench ignores the
 *   extensionDevelopmentPath/extensionTestsPath entries of the `payload` URL parameter.
 * opts.port: fixed port (default: a free one). opts.settings: merged over QUIET_SETTINGS.
 * opts.restricted: workspace trust on, without its startup prompt: a folder opens in Restricted Mode.
 */
export async function startCodeServer(opts) {
  const { bin } = opts;
  // Short: code-server puts a Unix socket in here, and socket paths are limited to 107 bytes.
  const runDir = opts.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-run-'));
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const config = path.join(runDir, 'config.yaml');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const trust = opts.restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...trust, ...opts.settings }, null, 2));
  fs.writeFileSync(config, '{}\n'); // so that ~/.config/code-server is neither read nor written

  // Added to this process's environment, less what npm set in it (see childProcess.mjs).
  const env = {
    PATH: `${path.dirname(bin.node)}:${process.env.PATH}`,
    EXTENSIONS_GALLERY: '{}', // no marketplace: nothing leaves the machine
    XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
    VSCODE_IPC_HOOK_CLI: undefined, // inside a VS Code terminal, code-server would hand over to that window
  };
  const common = [bin.codeServer, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  if (opts.vsix?.length) {
    const r = spawnChildSync(bin.node, [...common, ...opts.vsix.flatMap((v) => ['--install-extension', path.resolve(v)])], {
      env, encoding: 'utf8', timeout: 180000,
    });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (r.status !== 0 || /Failed Installing/i.test(out)) throw new Error(`installing ${opts.vsix.join(', ')} failed (exit ${r.status}):\n${out}`);
  }

  const port = opts.port ?? (await freePort());
  const authority = `127.0.0.1:${port}`;
  const serverLog = path.join(runDir, 'server.log');
  const fd = fs.openSync(serverLog, 'a');
  const args = [...common, '--auth', 'none', '--bind-addr', authority, '--disable-telemetry', '--disable-update-check',
    ...(opts.restricted ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', '--ignore-last-opened'];
  if (opts.devMode) args.push('--vscode-option', 'enable-smoke-test-driver');
  // Its own process group: the server, extension hosts and helpers stop together.
  const child = spawnChild(bin.node, args, { env, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  let exited;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const signalGroup = (sig) => { try { process.kill(-child.pid, sig); return true; } catch { return false; } };
  const killOnExit = () => signalGroup('SIGKILL');
  process.on('exit', killOnExit);
  // Ctrl+C or a kill ends this process without 'exit' unless something handles the signal.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    if (!process.listenerCount(sig)) process.once(sig, () => process.exit(130));
  }

  const stop = async () => {
    process.off('exit', killOnExit);
    if (!signalGroup('SIGTERM')) return;
    for (let i = 0; i < 50 && signalGroup(0); i++) await new Promise((r) => setTimeout(r, 100));
    signalGroup('SIGKILL');
  };

  const origin = `http://${authority}`;
  const deadline = Date.now() + 90000;
  while (!(await healthy(`${origin}/healthz`))) {
    if (exited) throw new Error(`code-server exited while starting (${JSON.stringify(exited)}); ${serverLog}:\n${tail(serverLog)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${origin} within 90 s; ${serverLog}:\n${tail(serverLog)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { origin, authority, runDir, serverLog, extensionsDir, stop, exited: () => exited };
}

/** Workbench URL that opens `folder`, with optional payload entries ([key, value] pairs). */
export function workbenchUrl(server, folder, payload) {
  let url = `${server.origin}/?folder=${encodeURIComponent(folder)}`;
  if (payload?.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Headless Chromium with a fresh profile, driven by the project's playwright-core. */
export async function openBrowser(bin, viewport = { width: 1400, height: 900 }) {
  const { chromium } = createRequire(import.meta.url)('playwright-core');
  const browser = await chromium.launch({
    executablePath: bin.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await (await browser.newContext({ viewport })).newPage();
  return { browser, page };
}
