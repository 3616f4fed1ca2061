import * as assert from 'assert/strict';
import * as fs from 'fs';
import { createItem, planCreate, readCreateSources } from '../../../src/core/ops/create';
import { FsWriter } from '../../../src/core/ops/fsWriter';
import { InvalidInputError, UnknownItemError } from '../../../src/core/ops/input';
import { LinkError } from '../../../src/core/ops/link';
import { tempFolders, writeTree } from '../helpers';
import { COUNTERS, NOW, opsProject, original, swapped } from '../support/opsProject';

const ISS1 = 'tasks/issues/ISS-0001-login.md';
const EP1 = 'tasks/epics/EP-0001-auth.md';
const COUNTERS_REL = '.ai-trackdown/counters.json';

const newTask = (id: string, title: string) =>
  [
    '---',
    `task_id: ${id}`,
    'issue_id: ISS-0001',
    'epic_id: EP-0001',
    `title: ${title}`,
    'description: ""',
    'status: planning',
    'priority: medium',
    'assignee: alice',
    'created_date: 2027-01-02T03:04:05.000Z',
    'updated_date: 2027-01-02T03:04:05.000Z',
    'estimated_tokens: 0',
    'actual_tokens: 0',
    'ai_context: []',
    'sync_status: local',
    'subtasks: []',
    'blocked_by: []',
    'blocks: []',
    '---',
    '',
    `# Task: ${title}`,
    '',
    '## Description',
    '',
    '',
    '## Steps',
    '1. Step 1',
    '',
    '## Acceptance Criteria',
    '- [ ] Criteria 1',
    '',
    '## Notes',
    '',
  ].join('\n');

describe('core/ops/create', () => {
  const temp = tempFolders();

  it('a task under an issue: the next id from counters.json, the fixer\'s file name, its issue\'s epic, the default assignee, the issue\'s related list', async () => {
    const p = await opsProject(temp);
    const { plan, skipped, countersError } = await createItem(new FsWriter({ index: p.index }), p.index, p.project, { type: 'task', title: 'Node.js check', issueId: 'ISS-0001' }, NOW);
    assert.deepEqual([skipped, countersError], [[], undefined]);
    assert.equal(plan.file, p.file('tasks/tasks/TSK-0003-nodejs-check.md'));
    assert.equal(fs.readFileSync(plan.file, 'utf8'), newTask('TSK-0003', 'Node.js check'));
    assert.equal(p.read(COUNTERS_REL), COUNTERS.replace('"task": 3', '"task": 4'));
    // A convenience copy: the parent's timestamp stays, as when the CLI keeps the list.
    assert.equal(p.read(ISS1), swapped(original(ISS1), ['  - TSK-0001\n', '  - TSK-0001\n  - TSK-0003\n']));
    assert.equal(p.index.byId(p.root, 'TSK-0003')[0]?.parentId, 'ISS-0001', 'the index given to the writer knows the new item');
  });

  it('an issue in an epic takes the project\'s template and goes into the epic\'s related_issues', async () => {
    const p = await opsProject(temp);
    writeTree(p.root, { 'tasks/templates/issue-default.yaml': 'priority: critical\ncontent_template: |\n  ## {{title}}\n  Filed for {{epic_id}}.\n' });
    const { plan } = await createItem(new FsWriter(), p.index, p.project, { type: 'issue', title: 'Two-factor', epicId: 'EP-0001', labels: ['security'] }, NOW);
    assert.equal(plan.file, p.file('tasks/issues/ISS-0003-two-factor.md'));
    const text = fs.readFileSync(plan.file, 'utf8');
    assert.ok(text.startsWith('---\nissue_id: ISS-0003\nepic_id: EP-0001\ntitle: Two-factor\n'), text);
    assert.ok(text.includes('\npriority: critical\n') && text.includes('\ntags:\n  - security\n'), text);
    assert.ok(text.endsWith('---\n\n## Two-factor\nFiled for EP-0001.\n'), text);
    assert.equal(p.read(EP1), swapped(original(EP1), ['  - ISS-0001\n', '  - ISS-0001\n  - ISS-0003\n']));
  });

  it('never reuses an id on disk: a file that appears under the planned name makes it take the next one', async () => {
    const p = await opsProject(temp);
    // Made after the index was read (by the CLI, a pull): the index does not know it.
    const squatter = '---\ntask_id: TSK-0003\nissue_id: ISS-0001\ntitle: Node.js check\n---\n';
    writeTree(p.root, { 'tasks/tasks/TSK-0003-nodejs-check.md': squatter });
    const { plan } = await createItem(new FsWriter(), p.index, p.project, { type: 'task', title: 'Node.js check', issueId: 'ISS-0001' }, NOW);
    assert.equal(plan.file, p.file('tasks/tasks/TSK-0004-nodejs-check.md'));
    assert.equal(p.read('tasks/tasks/TSK-0003-nodejs-check.md'), squatter);
    assert.equal(fs.readFileSync(plan.file, 'utf8'), newTask('TSK-0004', 'Node.js check'));
    assert.equal(p.read(COUNTERS_REL), COUNTERS.replace('"task": 3', '"task": 5'));
  });

  it('refuses a missing or unknown parent, a parent of the wrong type, and an epic other than the issue\'s; nothing is written', async () => {
    const p = await opsProject(temp);
    const sources = readCreateSources(p.project, 'task');
    const plan = (input: Parameters<typeof planCreate>[2]) => () => planCreate(p.index, p.project, input, sources, NOW);
    assert.throws(plan({ type: 'task', title: 'T' }), (e: unknown) => e instanceof InvalidInputError && /needs the issue it belongs to/.test((e as Error).message));
    assert.throws(plan({ type: 'task', title: 'T', issueId: 'ISS-0404' }), (e: unknown) => e instanceof UnknownItemError && e.id === 'ISS-0404');
    assert.throws(plan({ type: 'pr', title: 'T', issueId: 'EP-0001' }), LinkError);
    assert.throws(plan({ type: 'issue', title: 'T', epicId: 'EP-0404' }), UnknownItemError);
    assert.throws(plan({ type: 'task', title: 'T', issueId: 'ISS-0001', epicId: 'EPIC-001' }), /ISS-0001 belongs to EP-0001/);
    assert.throws(plan({ type: 'task', title: '  ', issueId: 'ISS-0001' }), InvalidInputError);
    assert.throws(plan({ type: 'task', title: 'T', issueId: 'ISS-0001', priority: 'urgent' }), /"urgent" is not a priority/);
    assert.throws(plan({ type: 'story' as never, title: 'T' }), /"story" is not a type of item/);
    assert.deepEqual(fs.readdirSync(p.file('tasks/tasks')), ['TSK-0001-form.md']);
    assert.equal(p.read(COUNTERS_REL), COUNTERS);
  });
});
