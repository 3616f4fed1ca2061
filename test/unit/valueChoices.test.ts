import * as assert from 'assert/strict';
import * as path from 'path';
import { defaultConfig } from '../../src/core/config';
import { TaskIndex } from '../../src/core/index';
import { LEGACY_STATUSES, PR_STATUSES, PRIORITIES, STATES, STATUSES, SYNC_STATUSES } from '../../src/core/model';
import { choicesFor, idChoices } from '../../src/core/valueChoices';

const ROOT = path.resolve('/projects/p');
const OTHER = path.resolve('/projects/other');
const file = (root: string, rel: string) => path.join(root, 'tasks', ...rel.split('/'));
const fm = (lines: string[]) => ['---', ...lines, '---', ''].join('\n');

function index(): TaskIndex {
  const ix = new TaskIndex();
  for (const root of [ROOT, OTHER]) ix.setProject({ root, config: defaultConfig(path.basename(root)), configErrors: [], hasConfig: true });
  ix.set(file(ROOT, 'epics/EP-0002-b.md'), fm(['epic_id: EP-0002', 'title: Second epic', 'status: planning']));
  ix.set(file(ROOT, 'epics/EP-0010-c.md'), fm(['epic_id: EP-0010', 'title: Tenth epic', 'status: active']));
  ix.set(file(ROOT, 'epics/EPIC-001-old.md'), fm(['id: EPIC-001', 'type: epic', 'title: Old epic', 'status: todo']));
  ix.set(file(ROOT, 'issues/ISS-0001-a.md'), fm(['issue_id: ISS-0001', 'title: An issue', 'status: active']));
  ix.set(file(ROOT, 'tasks/TSK-0001-a.md'), fm(['task_id: TSK-0001', 'issue_id: ISS-0001', 'title: A task']));
  ix.set(file(OTHER, 'epics/EP-0001-x.md'), fm(['epic_id: EP-0001', 'title: Elsewhere']));
  return ix;
}

describe('valueChoices', () => {
  it('offers the allowed words of enum keys, per format', () => {
    assert.deepEqual(choicesFor('status', 'cli', false), { kind: 'words', words: STATUSES });
    assert.deepEqual(choicesFor('status', 'legacy', false), { kind: 'words', words: LEGACY_STATUSES });
    assert.deepEqual(choicesFor('status', 'legacy', false, ['security-review']), { kind: 'words', words: [...LEGACY_STATUSES, 'security-review'] });
    assert.deepEqual(choicesFor('status', 'cli', false, ['security-review']), { kind: 'words', words: STATUSES }, 'the CLI words are fixed');
    assert.ok(LEGACY_STATUSES.includes('blocked') && LEGACY_STATUSES.includes('cancelled'));
    assert.deepEqual(choicesFor('state', 'cli', false), { kind: 'words', words: STATES });
    assert.deepEqual(choicesFor('priority', 'cli', false), { kind: 'words', words: PRIORITIES });
    assert.deepEqual(choicesFor('pr_status', 'cli', false), { kind: 'words', words: PR_STATUSES });
    assert.deepEqual(choicesFor('sync_status', 'cli', false), { kind: 'words', words: SYNC_STATUSES });
  });

  it('offers ids for link keys (older names too) and for id lists, only inside a list', () => {
    assert.deepEqual(choicesFor('epic_id', 'cli', false), { kind: 'ids', types: ['epic'] });
    assert.deepEqual(choicesFor('epic', 'legacy', false), { kind: 'ids', types: ['epic'] });
    assert.deepEqual(choicesFor('issue_id', 'cli', false), { kind: 'ids', types: ['issue'] });
    assert.deepEqual(choicesFor('issue', 'legacy', false), { kind: 'ids', types: ['issue'] });
    assert.deepEqual(choicesFor('related_tasks', 'cli', true), { kind: 'ids', types: ['task'] });
    assert.deepEqual(choicesFor('subtasks', 'cli', true), { kind: 'ids', types: ['task'] });
    assert.deepEqual(choicesFor('blocked_by', 'cli', true), { kind: 'ids', types: ['epic', 'issue', 'task', 'pr'] });
    assert.equal(choicesFor('blocked_by', 'cli', false), undefined);
    assert.equal(choicesFor('status', 'cli', true), undefined);
    assert.equal(choicesFor('title', 'cli', false), undefined);
    assert.equal(choicesFor('assignee', 'cli', false), undefined);
  });

  it('lists the items of the same project only, ordered by type and number, without the file being edited', () => {
    const ix = index();
    assert.deepEqual(idChoices(ix, ROOT, ['epic']).map((i) => i.id), ['EP-0002', 'EP-0010', 'EPIC-001']);
    assert.deepEqual(idChoices(ix, ROOT, ['epic'], file(ROOT, 'epics/EP-0010-c.md')).map((i) => i.id), ['EP-0002', 'EPIC-001']);
    assert.deepEqual(idChoices(ix, ROOT, ['task', 'issue']).map((i) => i.id), ['TSK-0001', 'ISS-0001']);
    assert.deepEqual(idChoices(ix, OTHER, ['epic']).map((i) => i.title), ['Elsewhere']);
  });
});
