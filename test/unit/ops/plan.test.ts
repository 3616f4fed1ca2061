import * as assert from 'assert/strict';
import { TaskIndex } from '../../../src/core/index';
import { Item } from '../../../src/core/model';
import { unsavedKey } from '../../../src/core/ops/plan';
import { transitionChanges } from '../../../src/core/workflow';
import { memoryFile, withMemoryProject } from '../helpers';

const FILE = memoryFile('tasks', 'TASK-001-legacy.md');
const saved = '---\nid: TASK-001\ntype: task\ntitle: Legacy\nstatus: todo\nupdated: 2026-11-01\n---\n';

describe('unsavedKey', () => {
  const index = withMemoryProject(new TaskIndex());
  const parse = (text: string) => index.parse(FILE, text)!.item as Item;

  it('names a key the plan sets whose unsaved value differs from the one planned on', () => {
    const item = parse(saved);
    const entry = { item, changes: [{ key: 'title', value: 'Renamed' }] };
    assert.equal(unsavedKey(entry, parse(saved.replace('title: Legacy', 'title: Typed')).data), 'title');
    assert.equal(unsavedKey(entry, parse(`${saved}Unsaved body.\n`).data), undefined, 'an unsaved body is no conflict');
  });

  it('names a key the plan was computed from even when it does not set it', () => {
    // An older-format todo → ready_for_engineering writes `state` only; it was planned from `status`.
    const item = parse(saved);
    const changes = transitionChanges(item, { to: 'ready_for_engineering', by: 'alice' });
    assert.ok(!changes.some((c) => c.key === 'status'));
    const unsaved = parse(saved.replace('status: todo', 'status: in-progress')).data;
    assert.equal(unsavedKey({ item, changes }, unsaved), undefined);
    assert.equal(unsavedKey({ item, changes, reads: ['state', 'status'] }, unsaved), 'status');
  });
});
