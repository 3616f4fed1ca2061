import * as assert from 'assert/strict';
import { planAssign } from '../../../src/core/ops/assign';
import { FsWriter } from '../../../src/core/ops/fsWriter';
import { InvalidInputError, UnknownItemError } from '../../../src/core/ops/input';
import { run } from '../../../src/core/ops/writer';
import { tempFolders } from '../helpers';
import { NOW, opsProject, original, swapped, TOUCHED } from '../support/opsProject';

const TSK1 = 'tasks/tasks/TSK-0001-form.md';
const LEGACY = 'tasks/epics/EPIC-001-legacy.md';

describe('core/ops/assign', () => {
  const temp = tempFolders();

  it('assigns and unassigns, touching updated_date; an @name is written quoted', async () => {
    const p = await opsProject(temp);
    const writer = new FsWriter({ index: p.index });
    await run(writer, planAssign(p.index, p.project, { item: 'TSK-0001', assignee: ' @dave ' }, NOW));
    assert.equal(p.read(TSK1), swapped(original(TSK1), ['assignee: carol', 'assignee: "@dave"'], TOUCHED));
    await run(writer, planAssign(p.index, p.project, { item: 'TSK-0001', assignee: null }, NOW));
    assert.equal(p.read(TSK1), swapped(original(TSK1), ['assignee: carol\n', ''], TOUCHED));
  });

  it('changes an older epic\'s owner where it is, with a date-only updated kept a date', async () => {
    const p = await opsProject(temp);
    await run(new FsWriter(), planAssign(p.index, p.project, { item: 'EPIC-001', assignee: 'erin' }, NOW));
    assert.equal(p.read(LEGACY), swapped(original(LEGACY), ['owner: dana', 'owner: erin'], ['updated: 2025-01-02', 'updated: "2027-01-02"']));
  });

  it('plans nothing when the item is assigned so already, and refuses an empty name or an unknown item', async () => {
    const p = await opsProject(temp);
    assert.deepEqual(planAssign(p.index, p.project, { item: 'TSK-0001', assignee: 'carol' }, NOW), []);
    assert.deepEqual(planAssign(p.index, p.project, { item: 'ISS-0002', assignee: 'bob' }, NOW), []);
    assert.throws(() => planAssign(p.index, p.project, { item: 'TSK-0001', assignee: '  ' }), InvalidInputError);
    assert.throws(() => planAssign(p.index, p.project, { item: 'TSK-0404', assignee: 'x' }), UnknownItemError);
  });
});
