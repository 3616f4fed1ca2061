/**
 * The GitHub Actions workflow committed in .github/workflows/trackdown.yml: its trackdown steps run as
 * written (npx trackdown being dist/cli.js) on a copy of the repository's demo project, the SARIF it
 * uploads validates, and llms.txt of the demo is current.
 */
import * as assert from 'assert/strict';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Log } from 'sarif';
import { parse } from 'yaml';
import { REPO, tempFolders } from '../helpers';
import { CLI } from './run';
import { sarifValidator } from './sarifSchema';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  'continue-on-error'?: boolean;
}

describe('the trackdown workflow', function () {
  this.timeout(20000);
  const temp = tempFolders();
  before(function () {
    if (process.platform === 'win32') this.skip();
  });
  const workflow = parse(fs.readFileSync(path.join(REPO, '.github', 'workflows', 'trackdown.yml'), 'utf8'));
  const steps: Step[] = workflow.jobs.tasks.steps;

  it('checks the demo project into a SARIF file that it uploads, and fails only when llms.txt is stale', () => {
    assert.deepEqual(workflow.jobs.tasks.permissions, { contents: 'read', 'security-events': 'write' });
    const checkout = temp('aitd-cli-workflow');
    execFileSync('git', ['init', '-q', checkout]);
    fs.cpSync(path.join(REPO, 'demo'), path.join(checkout, 'demo'), { recursive: true });
    const bin = temp('aitd-cli-bin');
    // What `npx trackdown` runs in a clone: the package's bin.
    fs.writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\n[ "$1" = trackdown ] || exit 99\nshift\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };

    const runs = steps.filter((s) => s.run?.includes('trackdown'));
    assert.equal(runs.length, 2);
    for (const step of runs) {
      const r = spawnSync('bash', ['-e', '-c', step.run!], { cwd: checkout, env, encoding: 'utf8' });
      // demo/ has deliberate problems: the check fails, and the workflow lets it.
      if (step['continue-on-error']) assert.equal(r.status, 1, `${step.name}: ${r.stderr}`);
      else assert.equal(r.status, 0, `${step.name}: ${r.stdout}${r.stderr}`);
    }

    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload, 'a step uploads the SARIF log');
    assert.ok(steps.indexOf(upload) > steps.findIndex((s) => s['continue-on-error']), 'after the check');
    const log: Log = JSON.parse(fs.readFileSync(path.join(checkout, upload.with!.sarif_file), 'utf8'));
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors));
    const uris = log.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri!);
    assert.ok(uris.length >= 5 && uris.every((u) => u.startsWith('demo/tasks/')), uris.join(' '));
  });
});
