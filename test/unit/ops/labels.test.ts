import * as assert from 'assert/strict';
import { FsWriter } from '../../../src/core/ops/fsWriter';
import { InvalidInputError } from '../../../src/core/ops/input';
import { labelKey, planAddLabel, planRemoveLabel } from '../../../src/core/ops/labels';
import { run } from '../../../src/core/ops/writer';
import { tempFolders } from '../helpers';
import { NOW, opsProject, original, swapped, TOUCHED } from '../support/opsProject';

const ISS1 = 'tasks/issues/ISS-0001-login.md';
const TSK1 = 'tasks/tasks/TSK-0001-form.md';
const LEGACY = 'tasks/epics/EPIC-001-legacy.md';

describe('core/ops/labels', () => {
  const temp = tempFolders();

  it('adds to and removes from the CLI\'s tags, keeping the flow list and its comment', async () => {
    const p = await opsProject(temp);
    const writer = new FsWriter({ index: p.index });
    await run(writer, planAddLabel(p.index, p.project, { item: 'ISS-0001', label: 'security' }, NOW));
    assert.equal(p.read(ISS1), swapped(original(ISS1), ['tags: [auth]', 'tags: [auth, security]'], TOUCHED));
    await run(writer, planRemoveLabel(p.index, p.project, { item: 'ISS-0001', label: 'auth' }, NOW));
    assert.equal(p.read(ISS1), swapped(original(ISS1), ['tags: [auth]', 'tags: [security]'], TOUCHED));
  });

  it('a CLI file without labels gets tags after sync_status; an older-format file keeps labels', async () => {
    const p = await opsProject(temp);
    await run(new FsWriter(), planAddLabel(p.index, p.project, { item: 'TSK-0001', label: 'ui' }, NOW));
    assert.equal(p.read(TSK1), swapped(original(TSK1), ['sync_status: local\n', 'sync_status: local\ntags:\n  - ui\n'], TOUCHED));
    await run(new FsWriter(), planAddLabel(p.index, p.project, { item: 'EPIC-001', label: 'new' }, NOW));
    assert.equal(p.read(LEGACY), swapped(original(LEGACY), ['labels: [old]', 'labels: [old, new]'], ['updated: 2025-01-02', 'updated: "2027-01-02"']));
  });

  it('plans nothing for a label the item has (add) or lacks (remove); refuses an empty one', async () => {
    const p = await opsProject(temp);
    assert.deepEqual(planAddLabel(p.index, p.project, { item: 'ISS-0001', label: 'auth' }), []);
    assert.deepEqual(planRemoveLabel(p.index, p.project, { item: 'ISS-0001', label: 'nope' }), []);
    assert.throws(() => planAddLabel(p.index, p.project, { item: 'ISS-0001', label: ' ' }), InvalidInputError);
  });

  it('the key: the list the file has, else the key it has, else the format\'s', async () => {
    const p = await opsProject(temp);
    const item = (data: Record<string, unknown>, format: 'cli' | 'legacy' = 'cli') => ({ ...p.index.byId(p.root, 'ISS-0001')[0], data, format });
    assert.equal(labelKey(item({ tags: null, labels: ['a'] })), 'labels');
    assert.equal(labelKey(item({ tags: null })), 'tags');
    assert.equal(labelKey(item({ labels: null }, 'cli')), 'labels');
    assert.equal(labelKey(item({})), 'tags');
    assert.equal(labelKey(item({}, 'legacy')), 'labels');
  });
});
