/** `trackdown llms [--check]`: the files the editor writes, written only when they change; --check writes nothing. */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { TaskIndex } from '../../../src/core/index';
import { llmsFiles } from '../../../src/core/llmsFiles';
import { indexProject, loadProject } from '../../../src/core/project';
import { REPO, tempFolders } from '../helpers';
import { snapshot, trackdown } from './run';

/** The texts the editor's Generate llms.txt would write for the project now. */
async function editorTexts(root: string): Promise<Record<string, string>> {
  const project = await loadProject(root);
  const index = new TaskIndex();
  index.setProject(project);
  await indexProject(index, project);
  return Object.fromEntries((await llmsFiles(index, project)).map((f) => [path.relative(root, f.file).split(path.sep).join('/'), f.text]));
}

describe('trackdown llms', () => {
  const temp = tempFolders();
  const demoCopy = () => {
    const dir = temp('aitd-cli-llms');
    fs.cpSync(path.join(REPO, 'demo'), dir, { recursive: true });
    return dir;
  };

  it('--check exits 0 and writes nothing when the files are current (the demo project)', () => {
    const dir = demoCopy();
    const before = snapshot(dir);
    assert.deepEqual(trackdown(dir, 'llms', '--check'), { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(snapshot(dir), before);
  });

  it('--check exits 1 listing the stale files, writing nothing; llms writes what the editor would, then nothing more', async () => {
    const dir = demoCopy();
    const file = path.join(dir, 'tasks/epics/EP-0002-shared-shopping-lists.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('title: Shared shopping lists', 'title: Lists shared with family'));
    fs.rmSync(path.join(dir, 'docs'), { recursive: true });
    const before = snapshot(dir);
    const check = trackdown(dir, 'llms', '--check');
    assert.deepEqual(check, { code: 1, stdout: 'llms.txt\ndocs/llms-full.txt\n', stderr: 'trackdown: 2 files are not up to date; run trackdown llms.\n' });
    assert.deepEqual(snapshot(dir), before);

    const wrote = trackdown(dir, 'llms');
    assert.deepEqual(wrote, { code: 0, stdout: 'wrote llms.txt\nwrote docs/llms-full.txt\n', stderr: '' });
    const expected = await editorTexts(dir);
    assert.equal(fs.readFileSync(path.join(dir, 'llms.txt'), 'utf8'), expected['llms.txt']);
    assert.equal(fs.readFileSync(path.join(dir, 'docs/llms-full.txt'), 'utf8'), expected['docs/llms-full.txt']);
    assert.match(expected['llms.txt'], /Lists shared with family/);

    assert.equal(trackdown(dir, 'llms', '--check').code, 0);
    assert.equal(trackdown(dir, 'llms').stdout, 'unchanged llms.txt\nunchanged docs/llms-full.txt\n');
  });

  it('an unexpected failure is one line and exit 5; --debug adds the stack', () => {
    const dir = demoCopy();
    // A file where the docs folder should be: writing docs/llms-full.txt cannot work.
    fs.rmSync(path.join(dir, 'docs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'docs'), 'not a folder');
    const r = trackdown(dir, 'llms');
    assert.equal(r.code, 5);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^trackdown: unexpected error: .*\(--debug shows where\)\n$/);
    const debug = trackdown(dir, 'llms', '--debug');
    assert.equal(debug.code, 5);
    assert.match(debug.stderr, /\n\s+at /);
  });
});
