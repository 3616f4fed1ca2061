import * as assert from 'assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { REPO } from './helpers';

type ChildProcessModule = typeof import('../../scripts/childProcess.mjs');
const load = (): Promise<ChildProcessModule> => import(pathToFileURL(path.join(REPO, 'scripts', 'childProcess.mjs')).href);

/** What `npm test` under Node 20 puts in the environment of its script, as npm 11 writes it. */
const OUTER_NPM: Record<string, string> = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.0.0-outer linux x64 workspaces/false',
  npm_config_nodedir: '/usr',
  npm_config_cache: '/root/.npm',
  npm_config_global_prefix: '/usr',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'node scripts/test.mjs',
  npm_package_name: 'ai-trackdown-vscode',
  npm_package_json: '/work/package.json',
  npm_node_execpath: '/usr/bin/node',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_command: 'test',
  INIT_CWD: '/work',
  NODE: '/usr/bin/node',
};

describe('child processes of the scripts', () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    Object.assign(process.env, OUTER_NPM, { AITD_MARKER: 'kept', NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/' });
  });
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it("start without npm's variables, with the user's own and the caller's", async () => {
    const { spawnChild } = await load();
    const child = spawnChild(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], {
      env: { npm_config_nodedir: '/opt/node24', GONE: undefined },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    const env = JSON.parse(out) as Record<string, string>;
    const npmSet = Object.keys(env).filter((k) => /^npm_/.test(k) || k === 'INIT_CWD' || k === 'NODE');
    // Only the variable the caller set on purpose.
    assert.deepEqual(npmSet, ['npm_config_nodedir']);
    assert.equal(env.npm_config_nodedir, '/opt/node24');
    assert.equal(env.AITD_MARKER, 'kept');
    assert.equal(env.NPM_CONFIG_REGISTRY, 'http://127.0.0.1:9/', "a user's own npm setting passes");
    assert.equal(env.PATH, process.env.PATH);
    assert.ok(!('GONE' in env));
  });

  it('a nested npm reads its own user agent, not the outer npm one (the Node version code-server checks)', async () => {
    const { spawnChildSync } = await load();
    const leaked = spawnSync('npm', ['config', 'get', 'user-agent'], { encoding: 'utf8' });
    assert.match(leaked.stdout, /node\/v20\.0\.0-outer/, 'without the helper the outer value reaches the nested npm');
    const own = spawnChildSync('npm', ['config', 'get', 'user-agent'], { encoding: 'utf8' });
    assert.equal(own.status, 0, String(own.stderr));
    // npm's own default, which it fills in with the Node it runs on.
    assert.equal(String(own.stdout).trim(), 'npm/{npm-version} node/{node-version} {platform} {arch} workspaces/{workspaces} {ci}');
  });

  it("keeps a user's own NODE, and the rest of a given environment", async () => {
    const { childEnv } = await load();
    const env = childEnv({ EXTRA: '1' }, { NODE: '/opt/my/node', npm_node_execpath: '/usr/bin/node', HOME: '/home/a', npm_config_x: 'y' });
    assert.deepEqual(env, { NODE: '/opt/my/node', HOME: '/home/a', EXTRA: '1' });
  });
});
