import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { StaleFileError, TEMP_FILE } from '../../../src/core/atomicWrite';
import { FsWriter } from '../../../src/core/ops/fsWriter';
import { planLink } from '../../../src/core/ops/link';
import { planChangeState } from '../../../src/core/ops/state';
import { run } from '../../../src/core/ops/writer';
import { tempFolders } from '../helpers';
import { NOW, opsProject, original } from '../support/opsProject';

const ISS1 = 'tasks/issues/ISS-0001-login.md';
const TSK1 = 'tasks/tasks/TSK-0001-form.md';
const EP1 = 'tasks/epics/EP-0001-auth.md';

describe('core/ops/fsWriter', () => {
  const temp = tempFolders();

  it('refuses a file changed on disk since it was read, writing nothing', async () => {
    const p = await opsProject(temp);
    const plan = planChangeState(p.index, p.project, { item: 'ISS-0001', to: 'ready_for_engineering', by: 'bob' }, NOW);
    const theirs = `${original(ISS1)}Added by another program.\n`;
    fs.writeFileSync(p.file(ISS1), theirs);
    await assert.rejects(run(new FsWriter(), plan), (e: unknown) => e instanceof StaleFileError && /ISS-0001-login\.md changed on disk since it was read; nothing was written/.test((e as Error).message));
    assert.equal(p.read(ISS1), theirs);
  });

  // An issue leaving its epic: the issue and its task change (both needed), the epic's list is a convenience copy.
  const leaveEpic = (p: Awaited<ReturnType<typeof opsProject>>) => planLink(p.index, p.project, { item: 'ISS-0001', parent: null }, NOW);

  it('a multi-file operation with one stale file writes none of its files', async () => {
    const p = await opsProject(temp);
    const plan = leaveEpic(p);
    assert.deepEqual(plan.map((c) => [c.item.id, !!c.optional]), [['ISS-0001', false], ['TSK-0001', false], ['EP-0001', true]]);
    const theirs = original(TSK1).replace('title: Form', 'title: Form, renamed elsewhere');
    fs.writeFileSync(p.file(TSK1), theirs);
    await assert.rejects(run(new FsWriter(), plan), /TSK-0001-form\.md changed on disk since it was read/);
    assert.deepEqual([p.read(ISS1), p.read(TSK1), p.read(EP1)], [original(ISS1), theirs, original(EP1)]);
  });

  it('a file that changes while the operation writes: the files already written are put back', async () => {
    const p = await opsProject(temp);
    const plan = leaveEpic(p);
    // Another program appends to the task just after its temp file is written: the task's write fails late.
    const tempWritten = (temp: string) => {
      if (path.basename(temp).startsWith(`.${path.basename(TSK1)}.`)) fs.appendFileSync(p.file(TSK1), 'Appended elsewhere.\n');
    };
    const renamed: string[] = [];
    const beforeRename = (temp: string) => renamed.push(path.basename(temp).split('.md.')[0].slice(1));
    await assert.rejects(run(new FsWriter({ hooks: { tempWritten, beforeRename } }), plan), /TSK-0001-form\.md changed on disk while it was being written/);
    assert.ok(renamed.includes('ISS-0001-login'), `the issue was written before the task failed: ${renamed}`);
    assert.deepEqual([p.read(ISS1), p.read(TSK1), p.read(EP1)], [original(ISS1), `${original(TSK1)}Appended elsewhere.\n`, original(EP1)]);
    for (const dir of ['tasks/issues', 'tasks/tasks', 'tasks/epics']) assert.deepEqual(fs.readdirSync(p.file(dir)).filter((n) => n.startsWith('.')), [], `nothing left in ${dir}`);
  });

  it('an optional file that cannot be written is left out and returned; the rest is written and the index learns it', async () => {
    const p = await opsProject(temp);
    const plan = leaveEpic(p);
    const theirs = `${original(EP1)}Edited elsewhere.\n`;
    fs.writeFileSync(p.file(EP1), theirs);
    const skipped = await run(new FsWriter({ index: p.index }), plan);
    assert.deepEqual(skipped.map((s) => [s.entry.item.id, s.error instanceof StaleFileError]), [['EP-0001', true]]);
    assert.equal(p.read(EP1), theirs);
    assert.ok(!p.read(ISS1).includes('epic_id') && !p.read(TSK1).includes('epic_id'));
    assert.equal(p.index.byId(p.root, 'ISS-0001')[0].epicId, undefined, 'the next operation plans on what was written');
    assert.deepEqual(fs.readdirSync(p.file('tasks/issues')).filter((n) => TEMP_FILE.test(n)), []);
  });

  it('an empty plan writes nothing', async () => {
    const p = await opsProject(temp);
    assert.deepEqual(await run(new FsWriter(), []), []);
    assert.equal(p.read(ISS1), original(ISS1));
  });
});
