import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { editFrontmatter } from '../../../src/core/edit';
import { Project, TaskIndex } from '../../../src/core/index';
import { Item } from '../../../src/core/model';
import { LinkError, parentLink, planLink } from '../../../src/core/ops/link';
import { UnknownItemError } from '../../../src/core/ops/input';
import { ItemChanges } from '../../../src/core/ops/plan';
import { indexProject, loadProject } from '../../../src/core/project';
import { tempFolders, writeTree } from '../helpers';

const NOW = new Date('2027-01-02T03:04:05.000Z');
/** The touched timestamp, old → new (written quoted: YAML 1.1 would read it back as a date otherwise). */
const stamp: [string, string] = ['updated_date: 2026-11-01T09:00:00.000Z', 'updated_date: "2027-01-02T03:04:05.000Z"'];
const crlf = (s: string) => s.replace(/\n/g, '\r\n');

const cliItem = (keys: string, body = '') => `---\n${keys}created_date: 2026-11-01T09:00:00.000Z\nupdated_date: 2026-11-01T09:00:00.000Z\n---\n${body}`;

/** A CLI project: ISS-0001 in EP-0001 with tasks and a PR in every shape the rule must handle. */
const CLI: Record<string, string> = {
  '.ai-trackdown/config.yaml': 'name: demo\n',
  'tasks/epics/EP-0001-auth.md': cliItem('epic_id: EP-0001\ntitle: Auth\nrelated_issues:\n  - ISS-0001\n  - ISS-0002\n'),
  'tasks/epics/EP-0002-reports.md': cliItem('epic_id: EP-0002\ntitle: Reports\nrelated_issues: []\n'),
  'tasks/issues/ISS-0001-login.md': cliItem('issue_id: ISS-0001\nepic_id: EP-0001\ntitle: Login\nrelated_tasks: [TSK-0001, TSK-0002]\n', '\n# Login\n'),
  'tasks/issues/ISS-0002-reset.md': cliItem('issue_id: ISS-0002\nepic_id: EP-0001\ntitle: Reset\nrelated_tasks: [TSK-0003]\n'),
  'tasks/issues/ISS-0003-loose.md': cliItem('issue_id: ISS-0003\ntitle: Without an epic\nrelated_tasks: []\n'),
  'tasks/issues/comments/ISS-0001/COMMENT-0001.md': '---\nid: COMMENT-0001\nissueId: ISS-0001\nauthor: alice\n---\nA comment.\n',
  // The key, with a comment and a flow list that must stay as they are.
  'tasks/tasks/TSK-0001-form.md': cliItem('task_id: TSK-0001\nissue_id: ISS-0001\nepic_id: EP-0001  # copied from the issue\ntitle: Form\ntags: [ui, forms]\n', '\nBody mentions epic_id: EP-0001.\n'),
  // No epic_id key at all.
  'tasks/tasks/TSK-0002-api.md': cliItem('task_id: TSK-0002\nissue_id: ISS-0001\ntitle: API\n'),
  // Another issue's task.
  'tasks/tasks/TSK-0003-limit.md': cliItem('task_id: TSK-0003\nissue_id: ISS-0002\nepic_id: EP-0001\ntitle: Limit\n'),
  // The task of an issue without an epic.
  'tasks/tasks/TSK-0004-loose.md': cliItem('task_id: TSK-0004\nissue_id: ISS-0003\ntitle: Loose\n'),
  'tasks/prs/PR-0001-login.md': crlf(cliItem('pr_id: PR-0001\nissue_id: ISS-0001\nepic_id: EP-0001\ntitle: Login PR\n')),
};

/** The older architecture document's format: `epic:` and `issue:` keys, `updated` dates. */
const LEGACY: Record<string, string> = {
  'tasks/epics/EPIC-001-auth.md': '---\nid: EPIC-001\ntype: epic\ntitle: Auth\n---\n',
  'tasks/epics/EPIC-002-reports.md': '---\nid: EPIC-002\ntype: epic\ntitle: Reports\n---\n',
  'tasks/issues/ISSUE-001-login.md': '---\nid: ISSUE-001\ntype: issue\ntitle: Login\nstatus: todo\nepic: EPIC-001\nupdated: 2025-01-02\n---\n',
  'tasks/issues/ISSUE-002-reset.md': '---\nid: ISSUE-002\ntype: issue\ntitle: Reset\nstatus: todo\nepic: EPIC-002\n---\n',
  'tasks/tasks/TASK-001-form.md': '---\nid: TASK-001\ntype: task\ntitle: Form\nstatus: todo\nissue: ISSUE-001\nepic: EPIC-001\nupdated: 2025-01-02T09:30:00Z\nlabels: [ui]\n---\n\n# Form\n',
  'tasks/tasks/TASK-002-api.md': '---\nid: TASK-002\ntype: task\ntitle: API\nstatus: todo\nissue: ISSUE-001\n---\n',
  // A task that names only its epic: no issue's child, untouched by an issue's move.
  'tasks/tasks/TASK-003-copy.md': '---\nid: TASK-003\ntype: task\ntitle: Copy\nstatus: todo\nepic: EPIC-001\n---\n',
};

describe('core/ops/link', () => {
  const temp = tempFolders();
  let root: string;
  let index: TaskIndex;
  let project: Project;
  let original: Record<string, string>;

  async function load(files: Record<string, string>) {
    root = writeTree(temp('aitd-link'), files);
    original = files;
    index = new TaskIndex();
    project = await loadProject(root);
    index.setProject(project);
    await indexProject(index, project);
  }
  const item = (id: string): Item => index.byId(root, id)[0];
  const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
  /** Each planned file's text after its changes, by path, as the writer would write it. */
  const written = (plan: ItemChanges[]) =>
    Object.fromEntries(plan.map((c) => [rel(c.item.file), editFrontmatter(fs.readFileSync(c.item.file, 'utf8'), c.changes).text]));
  /** The original text of a file with some of its lines replaced. */
  const edited = (file: string, ...swaps: [string, string][]) => swaps.reduce((t, [a, b]) => {
    assert.ok(t.includes(a), `${a} in ${file}`);
    return t.replace(a, b);
  }, original[file]);

  describe('an issue moved to another epic', () => {
    beforeEach(() => load(CLI));

    it('takes the epic_id of its tasks and PRs along, with or without the key, and moves it between the related lists', () => {
      const plan = planLink(index, project, { item: item('ISS-0001'), parent: 'EP-0002' }, NOW);
      assert.deepEqual(plan.map((c) => [c.item.id, !!c.optional]), [
        ['ISS-0001', false],
        ['TSK-0001', false],
        ['TSK-0002', false],
        ['PR-0001', false],
        ['EP-0002', true],
        ['EP-0001', true],
      ]);
      assert.deepEqual(written(plan), {
        'tasks/issues/ISS-0001-login.md': edited('tasks/issues/ISS-0001-login.md', ['epic_id: EP-0001', 'epic_id: EP-0002'], stamp),
        'tasks/tasks/TSK-0001-form.md': edited('tasks/tasks/TSK-0001-form.md', ['epic_id: EP-0001  #', 'epic_id: EP-0002  #'], stamp),
        'tasks/tasks/TSK-0002-api.md': edited('tasks/tasks/TSK-0002-api.md', ['issue_id: ISS-0001\n', 'issue_id: ISS-0001\nepic_id: EP-0002\n'], stamp),
        'tasks/prs/PR-0001-login.md': edited('tasks/prs/PR-0001-login.md', ['epic_id: EP-0001', 'epic_id: EP-0002'], stamp),
        'tasks/epics/EP-0002-reports.md': edited('tasks/epics/EP-0002-reports.md', ['related_issues: []', 'related_issues: [ISS-0001]']),
        'tasks/epics/EP-0001-auth.md': edited('tasks/epics/EP-0001-auth.md', ['  - ISS-0001\n', '']),
      });
    });

    it('to no epic removes the key from the issue and from the tasks and PRs that have it', () => {
      const plan = planLink(index, project, { item: item('ISS-0001'), parent: null }, NOW);
      assert.deepEqual(plan.map((c) => c.item.id), ['ISS-0001', 'TSK-0001', 'PR-0001', 'EP-0001']);
      assert.deepEqual(written(plan), {
        'tasks/issues/ISS-0001-login.md': edited('tasks/issues/ISS-0001-login.md', ['epic_id: EP-0001\n', ''], stamp),
        'tasks/tasks/TSK-0001-form.md': edited('tasks/tasks/TSK-0001-form.md', ['epic_id: EP-0001  # copied from the issue\n', ''], stamp),
        'tasks/prs/PR-0001-login.md': edited('tasks/prs/PR-0001-login.md', ['epic_id: EP-0001\r\n', ''], stamp),
        'tasks/epics/EP-0001-auth.md': edited('tasks/epics/EP-0001-auth.md', ['  - ISS-0001\n', '']),
      });
    });

    it('from no epic gives its tasks the new one', () => {
      const plan = planLink(index, project, { item: item('ISS-0003'), parent: 'EP-0001' }, NOW);
      assert.deepEqual(plan.map((c) => [c.item.id, c.changes.map((x) => x.key)]), [
        ['ISS-0003', ['epic_id', 'updated_date']],
        ['TSK-0004', ['epic_id', 'updated_date']],
        ['EP-0001', ['related_issues']],
      ]);
    });

    it('leaves a task of another issue, a comment, and a task already holding the new epic alone', () => {
      const file = item('TSK-0001').file;
      fs.writeFileSync(file, edited('tasks/tasks/TSK-0001-form.md', ['epic_id: EP-0001', 'epic_id: EP-0002']));
      index.set(file, fs.readFileSync(file, 'utf8'));
      const ids = planLink(index, project, { item: item('ISS-0001'), parent: 'EP-0002' }, NOW).map((c) => c.item.id);
      assert.ok(!ids.includes('TSK-0003') && !ids.includes('COMMENT-0001') && !ids.includes('TSK-0001'), ids.join());
    });

    it('plans hundreds of tasks from the index\'s children, without walking every item', async () => {
      const many: Record<string, string> = { ...CLI };
      for (let n = 100; n < 400; n++) many[`tasks/tasks/TSK-0${n}-t.md`] = cliItem(`task_id: TSK-0${n}\nissue_id: ISS-0001\nepic_id: EP-0001\ntitle: T${n}\n`);
      await load(many);
      index.items = () => assert.fail('planLink walked every item');
      const plan = planLink(index, project, { item: item('ISS-0001'), parent: 'EP-0002' }, NOW);
      assert.equal(plan.filter((c) => c.item.type === 'task').length, 302);
      assert.ok(plan.every((c) => c.optional || c.changes.some((x) => 'value' in x && x.value === 'EP-0002')));
    });
  });

  describe('a task or PR linked to another issue', () => {
    beforeEach(() => load(CLI));

    it('takes the new issue\'s epic, and loses epic_id for an issue without one', () => {
      const toIss2 = planLink(index, project, { item: item('TSK-0002'), parent: 'ISS-0002' }, NOW);
      assert.deepEqual(written(toIss2), {
        'tasks/tasks/TSK-0002-api.md': edited('tasks/tasks/TSK-0002-api.md', ['issue_id: ISS-0001\n', 'issue_id: ISS-0002\nepic_id: EP-0001\n'], stamp),
        'tasks/issues/ISS-0002-reset.md': edited('tasks/issues/ISS-0002-reset.md', ['[TSK-0003]', '[TSK-0003, TSK-0002]']),
        'tasks/issues/ISS-0001-login.md': edited('tasks/issues/ISS-0001-login.md', ['[TSK-0001, TSK-0002]', '[TSK-0001]']),
      });
      const toIss3 = planLink(index, project, { item: item('PR-0001'), parent: 'ISS-0003' }, NOW);
      assert.deepEqual(toIss3[0].changes.slice(0, 2), [{ key: 'issue_id', value: 'ISS-0003', after: 'pr_id' }, { key: 'epic_id', remove: true }]);
    });

    it('refuses what a task cannot be: without an issue, or under an epic; nothing to do for its own issue', () => {
      assert.throws(() => planLink(index, project, { item: item('TSK-0001'), parent: null }), LinkError);
      assert.throws(() => planLink(index, project, { item: item('TSK-0001'), parent: 'EP-0002' }), /EP-0002 is not a issue in this project/);
      assert.throws(() => planLink(index, project, { item: item('TSK-0001'), parent: 'ISS-0404' }), (e: unknown) => e instanceof UnknownItemError && /no item ISS-0404/.test((e as Error).message));
      assert.throws(() => planLink(index, project, { item: item('EP-0001'), parent: 'EP-0002' }), /has no parent/);
      assert.deepEqual(planLink(index, project, { item: item('TSK-0001'), parent: 'ISS-0001' }), []);
    });
  });

  describe('the older format', () => {
    beforeEach(() => load(LEGACY));

    it('moves an issue\'s epic: copy in its tasks, keeping date-only dates date-only, and no related lists', () => {
      const plan = planLink(index, project, { item: item('ISSUE-001'), parent: 'EPIC-002' }, NOW);
      assert.deepEqual(written(plan), {
        'tasks/issues/ISSUE-001-login.md': edited('tasks/issues/ISSUE-001-login.md', ['epic: EPIC-001', 'epic: EPIC-002'], ['updated: 2025-01-02', 'updated: "2027-01-02"']),
        'tasks/tasks/TASK-001-form.md': edited('tasks/tasks/TASK-001-form.md', ['epic: EPIC-001', 'epic: EPIC-002'], ['updated: 2025-01-02T09:30:00Z', 'updated: "2027-01-02T03:04:05.000Z"']),
        'tasks/tasks/TASK-002-api.md': edited('tasks/tasks/TASK-002-api.md', ['issue: ISSUE-001\n', 'issue: ISSUE-001\nepic: EPIC-002\n']),
      });
      assert.deepEqual(planLink(index, project, { item: item('ISSUE-001'), parent: null }, NOW).map((c) => [c.item.id, c.changes]), [
        ['ISSUE-001', [{ key: 'epic', remove: true }, { key: 'updated', value: '2027-01-02' }]],
        ['TASK-001', [{ key: 'epic', remove: true }, { key: 'updated', value: '2027-01-02T03:04:05.000Z' }]],
      ]);
    });

    it('links a task under an issue to another issue, carrying its epic; one without an issue to an epic', () => {
      assert.deepEqual(parentLink(item('TASK-001')), { key: 'issue', types: ['issue'] });
      assert.deepEqual(parentLink(item('TASK-003')), { key: 'epic', types: ['epic'] });
      assert.deepEqual(written(planLink(index, project, { item: item('TASK-001'), parent: 'ISSUE-002' }, NOW)), {
        'tasks/tasks/TASK-001-form.md': edited('tasks/tasks/TASK-001-form.md', ['issue: ISSUE-001\nepic: EPIC-001', 'issue: ISSUE-002\nepic: EPIC-002'], ['updated: 2025-01-02T09:30:00Z', 'updated: "2027-01-02T03:04:05.000Z"']),
      });
      assert.deepEqual(planLink(index, project, { item: item('TASK-003'), parent: 'EPIC-002' }, NOW).map((c) => c.changes), [[{ key: 'epic', value: 'EPIC-002', after: 'status' }]]);
    });
  });
});
