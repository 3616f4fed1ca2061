import * as assert from 'assert/strict';
import * as path from 'path';
import { defaultConfig } from '../../src/core/config';
import { TaskIndex } from '../../src/core/index';
import { LinkDependents } from '../../src/core/linkDependents';

const ROOT = path.resolve('/p');
const f = (rel: string) => path.join(ROOT, 'tasks', ...rel.split('/'));
const fm = (lines: string[]) => ['---', ...lines, '---', ''].join('\n');

describe('linkDependents', () => {
  let index: TaskIndex;
  let deps: LinkDependents;
  /** Put a file in the index and show it, as the diagnostics do; returns the files to re-check. */
  const put = (file: string, text: string | undefined) => {
    if (text === undefined) index.remove(file);
    else index.set(file, text);
    const affected = deps.indexChanged(file, index.entry(file)?.item);
    for (const a of affected) deps.setShown(a, index.entry(a)?.item);
    return [...affected].map((a) => path.basename(a)).sort();
  };

  beforeEach(() => {
    index = new TaskIndex();
    index.setProject({ root: ROOT, config: defaultConfig('p'), configErrors: [], hasConfig: true });
    deps = new LinkDependents();
    put(f('issues/ISS-0001-a.md'), fm(['issue_id: ISS-0001', 'epic_id: EP-0009', 'title: A']));
    put(f('tasks/TSK-0001-a.md'), fm(['task_id: TSK-0001', 'issue_id: ISS-0001', 'epic_id: EP-0009', 'title: T']));
    put(f('tasks/TSK-0002-b.md'), fm(['task_id: TSK-0002', 'issue_id: ISS-0002', 'title: U']));
  });

  it('a new file re-checks the files linking to its id (by epic_id as well as issue_id)', () => {
    assert.deepEqual(put(f('epics/EP-0009-e.md'), fm(['epic_id: EP-0009', 'title: E'])), ['EP-0009-e.md', 'ISS-0001-a.md', 'TSK-0001-a.md']);
  });

  it('a deleted file re-checks its dependents; an edit that keeps the id re-checks only itself', () => {
    assert.deepEqual(put(f('issues/ISS-0001-a.md'), fm(['issue_id: ISS-0001', 'title: A renamed'])), ['ISS-0001-a.md']);
    assert.deepEqual(put(f('issues/ISS-0001-a.md'), undefined), ['ISS-0001-a.md', 'TSK-0001-a.md']);
  });

  it('a changed id re-checks the readers of the old and the new id (duplicates included)', () => {
    assert.deepEqual(put(f('tasks/TSK-0002-b.md'), fm(['task_id: TSK-0001', 'issue_id: ISS-0002', 'title: U'])), ['TSK-0001-a.md', 'TSK-0002-b.md']);
    assert.deepEqual(put(f('tasks/TSK-0001-a.md'), undefined), ['TSK-0001-a.md', 'TSK-0002-b.md']);
  });

  it('forgets a file that is shown no more', () => {
    deps.setShown(f('tasks/TSK-0001-a.md'), undefined);
    assert.deepEqual(put(f('issues/ISS-0001-a.md'), undefined), ['ISS-0001-a.md']);
    deps.clear();
    assert.deepEqual(put(f('issues/ISS-0002-x.md'), fm(['issue_id: ISS-0002', 'title: X'])), ['ISS-0002-x.md']);
  });
});
