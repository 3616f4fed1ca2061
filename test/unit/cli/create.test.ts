/** `trackdown create` and `trackdown tokens add`: real processes on temp projects, against the editor's operations run in process. */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { TaskIndex } from '../../../src/core/index';
import { planCreate, readCreateSources } from '../../../src/core/ops/create';
import { indexProject, loadProject } from '../../../src/core/project';
import { tempFolders } from '../helpers';
import { snapshot, trackdown, writeProject } from './run';

describe('trackdown create', function () {
  this.timeout(30000);
  const temp = tempFolders();

  it('makes the file the editor makes (id, name, template, links) and prints its id, or JSON', async () => {
    const root = writeProject(temp('aitd-cli-new'));
    const r = trackdown(root, 'create', 'issue', '--title', 'Safari fails', '--parent', 'EP-0001', '--priority', 'high', '--label', 'ui', '--label', 'web,qa', '--assignee', 'zoe', '--description', 'On 17.', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const { id, file } = JSON.parse(r.stdout);
    assert.deepEqual({ id, file }, { id: 'ISS-0004', file: 'tasks/issues/ISS-0004-safari-fails.md' });
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const now = new Date(/\ncreated_date: "?([^"\n]+)/.exec(text)![1]);

    const ref = writeProject(temp('aitd-cli-new-ref'));
    const project = await loadProject(ref);
    const index = new TaskIndex();
    index.setProject(project);
    await indexProject(index, project);
    const plan = planCreate(index, project, { type: 'issue', title: 'Safari fails', epicId: 'EP-0001', priority: 'high', labels: ['ui', 'web', 'qa'], assignee: 'zoe', description: 'On 17.' }, readCreateSources(project, 'issue'), now);
    assert.equal(path.relative(ref, plan.file), file);
    assert.equal(text, plan.text);
    assert.equal(trackdown(root, 'create', 'task', 'Reproduce', '--parent', 'ISS-0004').stdout, 'TSK-0002\n');
    assert.match(fs.readFileSync(path.join(root, 'tasks/tasks/TSK-0002-reproduce.md'), 'utf8'), /\nissue_id: ISS-0004\nepic_id: EP-0001\n/);
  });

  it("takes the aitrackdown CLI's words: issue create \"Title\" --epic, task create -i, --tags", () => {
    const root = writeProject(temp('aitd-cli-new'));
    assert.equal(trackdown(root, 'epic', 'create', 'Billing').stdout, 'EP-0002\n');
    assert.equal(trackdown(root, 'issue', 'create', 'Invoices', '--epic', 'EP-0002', '--tags', 'a,b').stdout, 'ISS-0004\n');
    assert.equal(trackdown(root, 'task', 'create', '--title', 'PDF', '-i', 'ISS-0004').stdout, 'TSK-0002\n');
    assert.equal(trackdown(root, 'pr', 'create', 'PDF PR', '--issue', 'ISS-0004').stdout, 'PR-0002\n');
    assert.match(fs.readFileSync(path.join(root, 'tasks/issues/ISS-0004-invoices.md'), 'utf8'), /\nepic_id: EP-0002\n[^]*\ntags:\n  - a\n  - b\n/);
  });

  it('refuses with nothing written: an unknown type or no title (2), a task without its issue (2), an unknown parent (3), a parent of the wrong type (4)', () => {
    const root = writeProject(temp('aitd-cli-new'));
    const before = snapshot(root);
    assert.equal(trackdown(root, 'create', 'story', '--title', 'x').code, 2);
    assert.equal(trackdown(root, 'create', 'issue').code, 2);
    assert.match(trackdown(root, 'create', 'task', '--title', 'x').stderr, /A task needs the issue it belongs to/);
    assert.equal(trackdown(root, 'create', 'task', '--title', 'x').code, 2);
    assert.equal(trackdown(root, 'create', 'task', '--title', 'x', '--parent', 'ISS-0404').code, 3);
    assert.equal(trackdown(root, 'create', 'issue', '--title', 'x', '--parent', 'ISS-0001').code, 4);
    assert.equal(trackdown(root, 'create', 'issue', '--title', 'x', '--priority', 'urgent').code, 2);
    const dry = trackdown(root, 'create', 'issue', '--title', 'Dry', '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^tasks\/issues\/ISS-0004-dry\.md\n---\nissue_id: ISS-0004\n/);
    assert.deepEqual(snapshot(root), before);
  });
});

describe('trackdown tokens add', function () {
  this.timeout(30000);
  const temp = tempFolders();
  const file = 'tasks/issues/ISS-0002-pay.md';

  it('logs a use on the item: an entry with agent, model and purpose, and the totals raised', () => {
    const root = writeProject(temp('aitd-cli-tok'));
    const r = trackdown(root, 'tokens', 'add', 'ISS-0002', '--agent', 'claude', '--model', 'claude-sonnet-4-5', '--input', '1200', '--output', '340', '--cached', '100', '--cache-write', '50', '--purpose', 'first draft');
    assert.equal(r.code, 0, r.stderr);
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    assert.match(text, /\nactual_tokens: 2290\n/);
    assert.match(text, /\ntoken_usage:\n  by_agent:\n    claude: 1690\n  entries:\n    - at: "[^"]+"\n      agent: claude\n      model: claude-sonnet-4-5\n      input: 1350\n      output: 340\n      cached_input: 100\n      purpose: first draft\n/);
    assert.equal(trackdown(root, 'show', 'ISS-0002', '--field', 'actual_tokens').stdout, '2290\n');
  });

  it('exits 2 on counts that are not whole numbers, or nothing to log, with nothing written; 3 on an unknown id', () => {
    const root = writeProject(temp('aitd-cli-tok'));
    const before = snapshot(root);
    for (const args of [['--input', 'abc', '--output', '1'], ['--input', '-3', '--output', '1'], ['--input', '1.5', '--output', '1'], ['--output', '5'], ['--input', '0', '--output', '0'], ['--input', '5', '--output', '1', '--cached', 'x']]) {
      const r = trackdown(root, 'tokens', 'add', 'ISS-0002', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.equal(trackdown(root, 'tokens', 'add', 'ISS-0404', '--input', '5', '--output', '1').code, 3);
    assert.deepEqual(snapshot(root), before);
  });
});
