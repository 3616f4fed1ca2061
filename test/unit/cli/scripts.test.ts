/**
 * The automation patterns as the shell scripts in test/cli run them, with `trackdown` on the PATH (a
 * launcher for dist/cli.js): a deploy script waiting for ready_for_deployment, one marking deployed
 * items done, and a CI check.
 */
import * as assert from 'assert/strict';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO, tempFolders } from '../helpers';
import { CLI, issueText, writeProject } from './run';

const SCRIPTS = path.join(REPO, 'test', 'cli');

describe('automation scripts using trackdown', function () {
  this.timeout(30000);
  const temp = tempFolders();
  if (process.platform === 'win32') return;

  /** The environment of a script: a PATH whose first folder holds `trackdown`. */
  function withTrackdown(): NodeJS.ProcessEnv {
    const bin = temp('aitd-cli-bin');
    fs.writeFileSync(path.join(bin, 'trackdown'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`, { mode: 0o755 });
    return { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
  }

  it('the deploy script deploys items that enter ready_for_deployment when automation may, and stops cleanly with the watcher', async () => {
    const root = writeProject(temp('aitd-cli-deploy'));
    const script = spawn('bash', [path.join(SCRIPTS, 'deploy-watch.sh')], { cwd: root, env: withTrackdown(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    script.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    script.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => script.on('exit', (code) => resolve(code)));
    const until = async (test: () => boolean, what: string) => {
      for (const end = Date.now() + 10000; !test(); await new Promise((r) => setTimeout(r, 20))) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${out} ${err}`);
      }
    };
    try {
      await until(() => out.includes('needs approval: ISS-0002'), 'the item already waiting');
      // QA passes ISS-0001 (automation_eligible: true): the file is replaced, as the aitrackdown CLI does.
      const file = path.join(root, 'tasks/issues/ISS-0001-cart.md');
      fs.writeFileSync(`${file}.tmp`, issueText('ISS-0001', 'Cart', 'active', ['state: ready_for_deployment', 'state_metadata:', '  automation_eligible: true']));
      fs.renameSync(`${file}.tmp`, file);
      await until(() => out.includes('deploying ISS-0001: Cart'), 'ISS-0001 deployed');
    } finally {
      // Stop the watcher (the script's trackdown child), as a service manager stopping it would.
      const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(script.pid)], { encoding: 'utf8' });
      const watcher = children.split('\n').find((l) => l.includes('--watch'));
      if (watcher) process.kill(Number(watcher.trim().split(/\s+/)[0]), 'SIGTERM');
      else script.kill('SIGKILL');
    }
    assert.equal(await exited, 0, err);
    assert.equal(out, 'needs approval: ISS-0002\ndeploying ISS-0001: Cart\n');
  });

  it('the deploy step marks each deployed item done as deployment-automation, and leaves the others', () => {
    const root = writeProject(temp('aitd-cli-done'), {
      'tasks/issues/ISS-0004-ship.md': issueText('ISS-0004', 'Ship', 'active', ['state: ready_for_deployment', 'state_metadata:', '  automation_eligible: true']),
    });
    const r = spawnSync('bash', [path.join(SCRIPTS, 'deploy-done.sh')], { cwd: root, env: withTrackdown(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'needs approval: ISS-0002\ndeployed ISS-0004\n');
    const shipped = fs.readFileSync(path.join(root, 'tasks/issues/ISS-0004-ship.md'), 'utf8');
    assert.match(shipped, /\nstate: done\nstate_metadata:\n  transitioned_at: "[^"]+"\n  transitioned_by: deployment-automation\n  previous_state: ready_for_deployment\n  automation_eligible: false\n  transition_reason: deployed\n/);
    assert.match(fs.readFileSync(path.join(root, 'tasks/issues/ISS-0002-pay.md'), 'utf8'), /\nstate: ready_for_deployment\n/);
  });

  it('the CI check passes a clean project and fails on problems or a stale llms.txt, leaving a SARIF log', () => {
    const env = withTrackdown();
    const run = (cwd: string) => spawnSync('bash', [path.join(SCRIPTS, 'ci-check.sh'), 'out.sarif'], { cwd, env, encoding: 'utf8' });
    const root = writeProject(temp('aitd-cli-ci'), { 'tasks/epics/EP-0001-checkout.md': '---\nepic_id: EP-0001\ntitle: Checkout\nstatus: active\n---\n' });
    spawnSync(process.execPath, [CLI, 'llms'], { cwd: root });
    const clean = run(root);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'out.sarif'), 'utf8')).runs[0].results.length, 0);

    fs.writeFileSync(path.join(root, 'tasks/tasks/TSK-0009-orphan.md'), '---\ntask_id: TSK-0009\nissue_id: ISS-0404\ntitle: Orphan\nstatus: active\n---\n');
    const failed = run(root);
    assert.equal(failed.status, 1);
    assert.match(failed.stdout, /tasks\/tasks\/TSK-0009-orphan\.md:3:11: warning broken-link/);
    assert.match(failed.stdout, /^llms\.txt$/m, 'the new task makes llms.txt stale');
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'out.sarif'), 'utf8')).runs[0].results[0].ruleId, 'broken-link');
  });
});
