import * as assert from 'assert/strict';
import { InvalidStateError } from '../../../src/core/ops/input';
import { fieldValue, type ItemQuery, itemJson, itemMatcher, listItems, rawText } from '../../../src/core/ops/query';
import { tempFolders } from '../helpers';
import { FILES, opsProject } from '../support/opsProject';

describe('core/ops/query', () => {
  const temp = tempFolders();
  const ids = async (q: ItemQuery, files = FILES) => {
    const p = await opsProject(temp, files);
    return listItems(p.index, p.project, itemMatcher(p.index, p.project, q)).map((i) => i.id);
  };

  it('matches a state by any word that means it, in both formats, comments left out without a type', async () => {
    assert.deepEqual(await ids({ state: 'active' }), ['EP-0001', 'ISS-0001']);
    assert.deepEqual(await ids({ state: 'planning' }), ['EPIC-001', 'ISS-0002', 'TSK-0001']);
    assert.deepEqual(await ids({ state: 'todo' }), ['EPIC-001', 'ISS-0002', 'TSK-0001']);
    assert.deepEqual(await ids({}), ['EP-0001', 'EPIC-001', 'ISS-0001', 'ISS-0002', 'TSK-0001']);
  });

  it('an unknown state names the words there are, the config\'s own included', async () => {
    const files = { ...FILES, '.ai-trackdown/config.yaml': 'name: demo\nworkflows:\n  statuses: [security-review]\n' };
    const p = await opsProject(temp, files);
    assert.throws(
      () => itemMatcher(p.index, p.project, { state: 'shipped' }),
      (e: InvalidStateError) => e instanceof InvalidStateError && e.state === 'shipped' && e.valid.includes('ready_for_qa') && e.valid.includes('security-review'),
    );
  });

  it('type, assignee (@ and case), labels (any of them), priority and fields all have to match', async () => {
    assert.deepEqual(await ids({ type: 'task' }), ['TSK-0001']);
    assert.deepEqual(await ids({ assignee: '@Alice' }), ['EP-0001', 'ISS-0001']);
    assert.deepEqual(await ids({ labels: ['OLD', 'auth'] }), ['EPIC-001', 'ISS-0001']);
    assert.deepEqual(await ids({ priority: 'HIGH', state: 'active', type: 'issue' }), ['ISS-0001']);
    assert.deepEqual(await ids({ fields: [['x_agent_run', '7f3a']] }), ['ISS-0001']);
    assert.deepEqual(await ids({ fields: [['tags', 'auth']] }), ['ISS-0001']);
    assert.deepEqual(await ids({ fields: [['tags', 'auth'], ['priority', 'low']] }), []);
  });

  it('an item as every front door shows it, and a field as scripts read it', async () => {
    const p = await opsProject(temp);
    const task = p.index.byId(p.project.root, 'TSK-0001')[0];
    assert.deepEqual(itemJson(p.index, task), {
      id: 'TSK-0001',
      type: 'task',
      state: 'planning',
      status: 'planning',
      title: 'Form',
      priority: 'medium',
      assignee: 'carol',
      labels: [],
      parent: 'ISS-0001',
      epic: 'EP-0001',
      file: 'tasks/tasks/TSK-0001-form.md',
      state_metadata: null,
    });
    assert.equal(rawText(fieldValue(p.index, task, 'state')), 'planning');
    assert.equal(rawText(fieldValue(p.index, task, 'estimated_tokens')), '1000');
    assert.equal(fieldValue(p.index, task, 'state_metadata.automation_eligible'), undefined);
    const issue = p.index.byId(p.project.root, 'ISS-0001')[0];
    assert.equal(rawText(fieldValue(p.index, issue, 'tags')), '["auth"]');
    assert.equal(rawText(fieldValue(p.index, issue, 'tags.0')), 'auth');
  });
});
