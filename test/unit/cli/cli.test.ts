/** What every `trackdown` command shares: --version and --help, finding the project, exit codes, errors as one line. */
import * as assert from 'assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO, tempFolders, writeTree } from '../helpers';
import { CLI, trackdown, writeProject } from './run';

const COMMANDS = [['status'], ['show'], ['check'], ['context'], ['llms'], ['metrics'], ['tokens'], ['tokens', 'report']];

describe('trackdown', () => {
  const temp = tempFolders();

  it('prints the package version with --version and -V', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(trackdown(REPO, '--version'), { code: 0, stdout: `${version}\n`, stderr: '' });
    assert.equal(trackdown(REPO, '-V').stdout, `${version}\n`);
  });

  it('is the package bin, an executable file that starts with a node shebang', () => {
    assert.equal(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).bin.trackdown, 'dist/cli.js');
    assert.ok(fs.readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n'));
    if (process.platform !== 'win32') assert.ok(fs.statSync(CLI).mode & 0o111, 'executable');
  });

  it('has --help on every command, and lists the exit codes', () => {
    for (const words of COMMANDS) {
      const r = trackdown(REPO, ...words, '--help');
      assert.equal(r.code, 0, words.join(' '));
      assert.match(r.stdout, new RegExp(`^Usage: trackdown ${words.join(' ')}`), words.join(' '));
    }
    const top = trackdown(REPO, '--help').stdout;
    for (const code of ['0  ok', '1  check failed', '2  usage error', '3  not found', '4  write refused', '5  unexpected error']) assert.ok(top.includes(code), code);
  });

  it('exits 2 for an unknown command, or none, with no stack trace', () => {
    const r = trackdown(REPO, 'deploy');
    assert.deepEqual([r.code, r.stdout], [2, '']);
    assert.equal(r.stderr, "trackdown: unknown command 'deploy'\n");
    const none = trackdown(REPO);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^Usage: trackdown/);
  });

  it('accepts the global options of the aitrackdown CLI that scripts pass: --no-color, --project-dir', () => {
    const root = writeProject(temp('aitd-cli'));
    assert.equal(trackdown(temp('aitd-cli'), '--no-color', '--project-dir', root, 'status', '--format', 'ids', '--type', 'epic').stdout, 'EP-0001\n');
  });

  it('finds the project from a folder inside it, and from --project (or --project-dir) elsewhere', () => {
    const root = writeProject(temp('aitd-cli'));
    const ids = (cwd: string, ...args: string[]) => trackdown(cwd, 'status', '--format', 'ids', '--type', 'epic', ...args);
    assert.equal(ids(path.join(root, 'tasks', 'tasks')).stdout, 'EP-0001\n');
    const elsewhere = temp('aitd-cli');
    assert.equal(ids(elsewhere, '--project', root).stdout, 'EP-0001\n');
    assert.equal(ids(elsewhere, '--project-dir', root).stdout, 'EP-0001\n');
    assert.equal(trackdown(elsewhere, '--project', root, 'show', 'EP-0001', '--field', 'title').stdout, 'Checkout\n');
  });

  it('reads an older-format project, which has a tasks/ folder and no config.yaml, also from its tasks/tasks folder', () => {
    const root = writeTree(temp('aitd-cli'), {
      'tasks/epics/EPIC-001-auth.md': '---\nid: EPIC-001\ntype: epic\ntitle: Auth\nstatus: in-progress\n---\n',
      'tasks/tasks/TASK-001-login.md': '---\nid: TASK-001\ntype: task\ntitle: Login\nstatus: todo\nepic: EPIC-001\n---\n',
    });
    for (const cwd of [root, path.join(root, 'tasks', 'tasks')]) {
      const r = trackdown(cwd, 'status', '--format', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).map((i: { id: string; state: string; epic: string | null }) => [i.id, i.state, i.epic]), [['EPIC-001', 'active', null], ['TASK-001', 'planning', 'EPIC-001']]);
    }
  });

  it('exits 3 with one line when there is no project, or --project is no folder', () => {
    const empty = temp('aitd-cli');
    const r = trackdown(empty, 'status');
    assert.deepEqual([r.code, r.stdout], [3, '']);
    assert.equal(r.stderr, `trackdown: no ai-trackdown project at or above ${empty} (no ${path.join('.ai-trackdown', 'config.yaml')} and no tasks/ folder); use --project DIR.\n`);
    const missing = trackdown(empty, '--project', 'nowhere', 'check');
    assert.deepEqual([missing.code, missing.stderr], [3, 'trackdown: --project nowhere: no such folder.\n']);
  });

  it('looks past a file named .ai-trackdown on the way up, as past any folder that is no project', () => {
    const above = writeTree(temp('aitd-cli'), { '.ai-trackdown': 'a file, not the folder', 'sub/readme.md': '' });
    const r = trackdown(path.join(above, 'sub'), 'status');
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^trackdown: no ai-trackdown project at or above /);
    const inside = writeProject(path.join(above, 'sub', 'proj'));
    assert.equal(trackdown(path.join(inside, 'tasks'), 'status', '--format', 'ids', '--type', 'epic').stdout, 'EP-0001\n');
  });

  it('stops quietly, exit 0, when the reader of its output goes away', () => {
    const root = writeProject(temp('aitd-cli'), Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`tasks/tasks/TSK-${String(i + 10).padStart(4, '0')}-t.md`, `---\ntask_id: TSK-${String(i + 10).padStart(4, '0')}\ntitle: ${'Task '.repeat(40)}\nstatus: active\n---\n`])));
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${JSON.stringify(CLI)} status --format json | head -c 10 >/dev/null`], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  });
});
