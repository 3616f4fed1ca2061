/** `trackdown show ID`: one field's raw value for scripts, the item as JSON, the file as written; and the refusals. */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { tempFolders } from '../helpers';
import { snapshot, trackdown, writeProject } from './run';

describe('trackdown show', () => {
  const temp = tempFolders();
  let root: string;
  before(() => {
    root = writeProject(temp('aitd-cli-show'), {
      'tasks/tasks/TSK-0002-odd.md': '---\ntask_id: TSK-0002\nissue_id: ISS-0002\ntitle: Odd\nstatus: active\nestimated_tokens: 1200\nreviewers: [bob, carol]\nempty:\nstate_metadata:\n  manual_override: true\n  reviewer: dana\n---\nBody.\n',
    });
  });
  const field = (id: string, name: string) => trackdown(root, 'show', id, '--field', name);

  it('prints a field as the automation guides read it: text as is, booleans as true/false, numbers, JSON', () => {
    assert.deepEqual(field('ISS-0001', 'state'), { code: 0, stdout: 'ready_for_qa\n', stderr: '' });
    assert.equal(field('ISS-0001', 'state_metadata.automation_eligible').stdout, 'true\n');
    assert.equal(field('ISS-0002', 'state_metadata.automation_eligible').stdout, 'false\n');
    assert.equal(field('ISS-0001', 'title').stdout, 'Cart\n');
    assert.equal(field('TSK-0002', 'estimated_tokens').stdout, '1200\n');
    assert.equal(field('TSK-0002', 'reviewers').stdout, '["bob","carol"]\n');
    assert.equal(field('TSK-0002', 'reviewers.1').stdout, 'carol\n');
    assert.equal(field('ISS-0001', 'state_metadata').stdout, '{"transitioned_at":"2026-01-01T00:00:00.000Z","transitioned_by":"alice","automation_eligible":true}\n');
  });

  it('reads `state` as the unified state and falls back to the JSON fields and state_metadata', () => {
    // status: completed is the unified done.
    assert.equal(field('ISS-0003', 'state').stdout, 'done\n');
    assert.equal(field('ISS-0003', 'status').stdout, 'completed\n');
    // `aitrackdown show $T --field automation_eligible`, as one of its guides writes it.
    assert.equal(field('ISS-0001', 'automation_eligible').stdout, 'true\n');
    assert.equal(field('TSK-0002', 'manual_override').stdout, 'true\n');
    assert.equal(field('TSK-0002', 'id').stdout, 'TSK-0002\n');
    assert.equal(field('TSK-0002', 'epic').stdout, 'EP-0001\n');
  });

  it('prints nothing and exits 1 for a field with no value', () => {
    for (const name of ['security_scan_passed', 'state_metadata.security_scan_passed', 'empty', 'reviewers.7', 'title.x']) {
      assert.deepEqual(field('TSK-0002', name), { code: 1, stdout: '', stderr: '' }, name);
    }
  });

  it('prints the file as written with --format md (the default)', () => {
    const text = fs.readFileSync(path.join(root, 'tasks/tasks/TSK-0002-odd.md'), 'utf8');
    assert.equal(trackdown(root, 'show', 'TSK-0002').stdout, text);
    assert.equal(trackdown(root, 'show', 'TSK-0002', '--format', 'md').stdout, text);
  });

  it('prints the item as JSON: the list shape plus the whole frontmatter and the body', () => {
    const r = trackdown(root, 'show', 'TSK-0002', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['id', 'type', 'state', 'status', 'title', 'priority', 'assignee', 'labels', 'parent', 'epic', 'file', 'state_metadata', 'frontmatter', 'body']);
    assert.deepEqual(json.frontmatter, {
      task_id: 'TSK-0002',
      issue_id: 'ISS-0002',
      title: 'Odd',
      status: 'active',
      estimated_tokens: 1200,
      reviewers: ['bob', 'carol'],
      empty: null,
      state_metadata: { manual_override: true, reviewer: 'dana' },
    });
    assert.equal(json.body, 'Body.\n');
    assert.equal(json.file, 'tasks/tasks/TSK-0002-odd.md');
  });

  it('finds an id in any case and padding', () => {
    assert.equal(trackdown(root, 'show', 'iss-1', '--field', 'title').stdout, 'Cart\n');
  });

  it('finds an item whose file is named for no id, or for another one', () => {
    const dir = writeProject(temp('aitd-cli-show'), {
      'tasks/issues/notes.md': '---\nissue_id: ISS-0042\nepic_id: EP-0001\ntitle: Unnamed\nstatus: active\n---\n',
      'tasks/issues/ISS-0005-wrong.md': '---\nissue_id: ISS-0006\ntitle: Misnamed\nstatus: active\n---\n',
    });
    assert.equal(trackdown(dir, 'show', 'ISS-0042', '--field', 'title').stdout, 'Unnamed\n');
    assert.equal(trackdown(dir, 'show', 'ISS-0006', '--field', 'title').stdout, 'Misnamed\n');
    assert.equal(trackdown(dir, 'show', 'ISS-0005').code, 3);
  });

  it('says which files share an id and shows the first', () => {
    const dup = writeProject(temp('aitd-cli-show'), { 'tasks/issues/ISS-0001-copy.md': fs.readFileSync(path.join(root, 'tasks/issues/ISS-0001-cart.md'), 'utf8').replace('title: Cart', 'title: Copy') });
    const r = trackdown(dup, 'show', 'ISS-0001', '--field', 'title');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'Cart\n');
    assert.match(r.stderr, /^trackdown: warning: ISS-0001 is the id of 2 files; showing .*ISS-0001-cart\.md \(also .*ISS-0001-copy\.md\)\.\n$/);
  });

  it('exits 3 for an unknown id and 2 without one, with one line and nothing written', () => {
    const before = snapshot(root);
    const r = trackdown(root, 'show', 'ISS-0404');
    assert.deepEqual([r.code, r.stdout], [3, '']);
    assert.equal(r.stderr, `trackdown: no item ISS-0404 in the project at ${root}.\n`);
    const none = trackdown(root, 'show');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^trackdown: missing required argument 'id'\n$/);
    assert.equal(trackdown(root, 'show', 'ISS-0001', '--format', 'yaml').code, 2);
    assert.deepEqual(snapshot(root), before);
  });
});
