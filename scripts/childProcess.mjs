// Child processes of the project's scripts, started without the variables npm puts in the environment
// of the script it runs (npm_config_*, npm_lifecycle_*, npm_package_*, npm_execpath, …). A nested npm,
// node-gyp or code-server install must read its own settings, not those of the `npm test` or `npm start`
// above it: code-server's postinstall reads the Node version from npm_config_user_agent, and refused to
// build under Node 24 because the outer npm ran on Node 20. Only the lowercase names npm writes are
// dropped; a user's own NPM_CONFIG_* settings (a registry mirror, a cache dir) pass through.
// Plain Node, no dependencies: these scripts run before `npm ci` has installed anything.
import { spawn, spawnSync } from 'node:child_process';

const NPM_SET = /^npm_/;

/**
 * `env` (default: this process's environment) less what npm set for the script, plus `extra`: the
 * variables a caller sets on purpose are applied after the cleaning (undefined removes one).
 */
export function childEnv(extra = {}, env = process.env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (NPM_SET.test(k) || k === 'INIT_CWD') continue;
    // npm sets NODE to the Node it runs on; a NODE of the user's own is kept.
    if (k === 'NODE' && v === env.npm_node_execpath) continue;
    out[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** child_process.spawn with childEnv(options.env): options.env holds only the variables to add. */
export function spawnChild(cmd, args, options = {}) {
  return spawn(cmd, args, { ...options, env: childEnv(options.env) });
}

/** A child's exit code once it has ended and its output is read; -1 when it could not start or a signal ended it. */
export function exitCode(child) {
  return new Promise((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (code, signal) => resolve(signal ? -1 : code));
  });
}

/** child_process.spawnSync with childEnv(options.env). */
export function spawnChildSync(cmd, args, options = {}) {
  return spawnSync(cmd, args, { ...options, env: childEnv(options.env) });
}
