import * as assert from 'assert/strict';
import * as path from 'path';
import { defaultConfig, parseConfig, ProjectConfig } from '../../src/core/config';
import { IndexChange, Project, TaskIndex } from '../../src/core/index';
import { Item } from '../../src/core/model';
import { Brief, briefs } from './helpers';

const WS = path.resolve('/ws');
const BILLING = path.join(WS, 'services', 'billing');
const billingConfig = parseConfig(
  'tasks_directory: work\nstructure: {epics_dir: epics, issues_dir: stories, tasks_dir: planning/tasks, prs_dir: prs}\nnaming_conventions: {epic_prefix: BEP, issue_prefix: BST, task_prefix: BTK, pr_prefix: BPR}\n',
  'billing',
).config;

function project(root: string, config: ProjectConfig = defaultConfig(path.basename(root))): Project {
  return { root, config, configErrors: [], hasConfig: true };
}

const f = (...parts: string[]) => path.join(WS, 'tasks', ...parts);
const b = (...parts: string[]) => path.join(BILLING, 'work', ...parts);

const epic = (id: string, extra = '') => `---\nepic_id: ${id}\ntitle: Epic ${id}\nstatus: active\n${extra}---\n`;
const issue = (id: string, epicId?: string, state = 'planning') =>
  `---\nissue_id: ${id}\n${epicId ? `epic_id: ${epicId}\n` : ''}title: Issue ${id}\nstate: ${state}\n---\n`;
const task = (id: string, issueId: string, state = 'planning', epicId?: string) =>
  `---\ntask_id: ${id}\nissue_id: ${issueId}\n${epicId ? `epic_id: ${epicId}\n` : ''}title: Task ${id}\nstate: ${state}\n---\n`;
const comment = (id: string, issueId: string) => `---\nid: ${id}\nissueId: ${issueId}\nauthor: bob\n---\nhi\n`;

/** An index with the root project and the nested billing project, and a record of its change events. */
function setup() {
  const index = new TaskIndex();
  index.setProject(project(WS));
  index.setProject(project(BILLING, billingConfig));
  const events: IndexChange[] = [];
  // `all` is only ever meaningful when true; a batch may carry it as undefined.
  index.onDidChange((e) => events.push(e.all ? { files: e.files, all: true } : { files: e.files }));
  return { index, events };
}

const ids = (items: Item[]) => items.map((i) => i.id).sort();

describe('index', () => {
  describe('classify', () => {
    const { index } = setup();
    const cases: [string, string | undefined, string?][] = [
      [f('epics', 'EP-0001-x.md'), 'epic'],
      [f('issues', 'ISS-0001-x.md'), 'issue'],
      [f('tasks', 'TSK-0001-x.md'), 'task'],
      [f('prs', 'PR-0001-x.md'), 'pr'],
      [f('issues', 'comments', 'ISS-0001', 'COMMENT-0001.md'), 'comment'],
      [f('issues', 'comments', 'COMMENT-0001.md'), undefined],
      [f('issues', 'comments', 'ISS-0001', 'old', 'COMMENT-0001.md'), undefined],
      [f('templates', 'task-default.md'), undefined],
      [f('templates', 'task-default.yaml'), undefined],
      [f('tasks', 'archive', 'TSK-0099-old.md'), undefined],
      [f('tasks', 'notes.txt'), undefined],
      [f('tasks', 'TSK-0001-x.MD'), undefined],
      [f('README.md'), undefined],
      [f('.ai-trackdown-index'), undefined],
      [path.join(WS, 'README.md'), undefined],
      [path.join(WS, '.ai-trackdown', 'config.md'), undefined],
      [path.join(path.resolve('/ws-other'), 'tasks', 'epics', 'EP-0001.md'), undefined],
      [path.resolve('/elsewhere/tasks/epics/EP-0001.md'), undefined],
      [b('epics', 'BEP-0001-x.md'), 'epic', BILLING],
      [b('stories', 'BST-0001-x.md'), 'issue', BILLING],
      [b('planning', 'tasks', 'BTK-0001-x.md'), 'task', BILLING],
      [b('planning', 'BTK-0001-x.md'), undefined],
      [b('prs', 'BPR-0001-x.md'), 'pr', BILLING],
      [b('stories', 'comments', 'BST-0001', 'COMMENT-0001.md'), 'comment', BILLING],
      [b('issues', 'ISS-0001-x.md'), undefined],
      [path.join(BILLING, 'tasks', 'epics', 'EP-0001-x.md'), undefined],
    ];
    for (const [file, type, root = WS] of cases) {
      it(`${path.relative(WS, file)} → ${type ?? 'not a task file'}`, () => {
        const hit = index.classify(file);
        assert.equal(hit?.type, type);
        if (type) assert.equal(hit?.project.root, root);
      });
    }

    it('projectOf picks the deepest root that holds the path', () => {
      assert.equal(index.projectOf(b('epics', 'x.md'))?.root, BILLING);
      assert.equal(index.projectOf(path.join(WS, 'services', 'other.md'))?.root, WS);
      assert.equal(index.projectOf(path.resolve('/elsewhere/x.md')), undefined);
    });
  });

  describe('set and remove', () => {
    it('set parses and stores one file; files that are not task files are refused', () => {
      const { index, events } = setup();
      assert.equal(index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001')), true);
      assert.equal(index.set(f('templates', 'epic.md'), epic('EP-0002')), false);
      assert.equal(index.size, 1);
      const entry = index.entry(f('epics', 'EP-0001-a.md'));
      assert.equal(entry?.item?.id, 'EP-0001');
      assert.equal(entry?.type, 'epic');
      assert.equal(entry?.root, WS);
      assert.deepEqual(entry?.problems, []);
      assert.deepEqual(events, [{ files: [f('epics', 'EP-0001-a.md')] }]);
    });

    it('set again replaces the entry; remove drops it; removing an unknown file does nothing', () => {
      const { index, events } = setup();
      const file = f('issues', 'ISS-0001-a.md');
      index.set(file, issue('ISS-0001'));
      index.set(file, issue('ISS-0001', undefined, 'active'));
      assert.equal(index.size, 1);
      assert.equal(index.byId(WS, 'ISS-0001')[0].state, 'active');
      index.remove(file);
      index.remove(file);
      index.remove(f('issues', 'nope.md'));
      assert.equal(index.size, 0);
      assert.deepEqual(index.byId(WS, 'ISS-0001'), []);
      assert.equal(events.length, 3);
    });

    it('a file that cannot be parsed is indexed with its problems and no item', () => {
      const { index } = setup();
      index.set(f('tasks', 'TSK-0001-a.md'), '# no frontmatter\n');
      const entry = index.entry(f('tasks', 'TSK-0001-a.md'));
      assert.equal(entry?.item, undefined);
      assert.deepEqual(briefs(entry!.problems), [['no-frontmatter', 0, 0, 0, 16]]);
      assert.deepEqual([...index.items()], []);
    });

    it('setUnreadable stores the reason as the only problem', () => {
      const { index } = setup();
      const problem = { code: 'file-too-large' as const, severity: 'warning' as const, message: 'big', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
      assert.equal(index.setUnreadable(f('tasks', 'TSK-0001-a.md'), problem), true);
      assert.equal(index.setUnreadable(path.resolve('/elsewhere/x.md'), problem), false);
      assert.deepEqual(index.entry(f('tasks', 'TSK-0001-a.md'))?.problems, [problem]);
      assert.equal(index.entry(f('tasks', 'TSK-0001-a.md'))?.item, undefined);
    });

    it('a rename is a remove and a set: the item moves, its links follow', () => {
      const { index } = setup();
      index.set(f('issues', 'ISS-0001-a.md'), issue('ISS-0001'));
      index.set(f('tasks', 'TSK-0001-old-name.md'), task('TSK-0001', 'ISS-0001'));
      const parent = index.byId(WS, 'ISS-0001')[0];
      index.remove(f('tasks', 'TSK-0001-old-name.md'));
      index.set(f('tasks', 'TSK-0001-new-name.md'), task('TSK-0001', 'ISS-0001'));
      assert.deepEqual(
        index.children(parent).map((c) => c.file),
        [f('tasks', 'TSK-0001-new-name.md')],
      );
      assert.equal(index.entry(f('tasks', 'TSK-0001-old-name.md')), undefined);
      assert.equal(index.byId(WS, 'TSK-0001').length, 1);
    });
  });

  describe('parent and children', () => {
    function tree() {
      const { index, events } = setup();
      index.batch(() => {
        index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001'));
        index.set(f('issues', 'ISS-0001-a.md'), issue('ISS-0001', 'EP-0001', 'ready_for_qa'));
        index.set(f('issues', 'ISS-0002-a.md'), issue('ISS-0002', 'EP-0001', 'done'));
        index.set(f('tasks', 'TSK-0001-a.md'), task('TSK-0001', 'ISS-0001', 'done', 'EP-0001'));
        index.set(f('tasks', 'TSK-0002-a.md'), task('TSK-0002', 'ISS-0001', 'active'));
        index.set(f('tasks', 'TSK-0003-a.md'), task('TSK-0003', 'ISS-0001', 'won_t_do'));
        index.set(f('tasks', 'TSK-0004-a.md'), task('TSK-0004', 'ISS-0001', 'archived'));
        index.set(f('prs', 'PR-0001-a.md'), `---\npr_id: PR-0001\nissue_id: ISS-0001\ntitle: p\nstate: ready_for_qa\n---\n`);
        index.set(f('issues', 'comments', 'ISS-0001', 'COMMENT-0001.md'), comment('COMMENT-0001', 'ISS-0001'));
        index.set(f('tasks', 'TSK-0005-a.md'), `---\ntask_id: TSK-0005\nepic_id: EP-0001\ntitle: only an epic\n---\n`);
        index.set(f('tasks', 'TSK-0006-a.md'), task('TSK-0006', 'ISS-0404'));
        index.set(f('issues', 'ISS-0003-a.md'), issue('ISS-0003'));
      });
      events.length = 0;
      const get = (id: string) => index.byId(WS, id)[0];
      return { index, events, get };
    }

    it('children: issues of an epic; tasks, PRs and comments of an issue; tasks naming only an epic', () => {
      const { index, get } = tree();
      assert.deepEqual(ids(index.children(get('EP-0001'))), ['ISS-0001', 'ISS-0002', 'TSK-0005']);
      assert.deepEqual(ids(index.children(get('ISS-0001'))), ['COMMENT-0001', 'PR-0001', 'TSK-0001', 'TSK-0002', 'TSK-0003', 'TSK-0004']);
      assert.deepEqual(index.children(get('TSK-0001')), []);
    });

    it('parent: both ways agree', () => {
      const { index, get } = tree();
      for (const item of index.items()) {
        const p = index.parent(item);
        if (p) assert.ok(index.children(p).includes(item), item.id);
      }
      assert.equal(index.parent(get('TSK-0001'))?.id, 'ISS-0001');
      assert.equal(index.parent(get('ISS-0001'))?.id, 'EP-0001');
      assert.equal(index.parent(get('COMMENT-0001'))?.id, 'ISS-0001');
      assert.equal(index.parent(get('EP-0001')), undefined);
    });

    it('orphans: a parent that does not exist gives no parent and a broken link', () => {
      const { index, get } = tree();
      const orphan = get('TSK-0006');
      assert.equal(index.parent(orphan), undefined);
      assert.deepEqual(briefs(index.linkProblems(orphan)), [['broken-link', 2, 10, 2, 18]]);
      assert.deepEqual(index.linkProblems(orphan)[0].data, { key: 'issue_id', value: 'ISS-0404' });
      assert.equal(index.linkProblems(orphan)[0].severity, 'warning');
      assert.equal(index.parent(get('ISS-0003')), undefined);
      assert.deepEqual(index.linkProblems(get('ISS-0003')), []);
    });

    it('an orphan finds its parent as soon as the parent appears, and loses it when it goes', () => {
      const { index, get } = tree();
      index.set(f('issues', 'ISS-0404-late.md'), issue('ISS-0404'));
      assert.equal(index.parent(get('TSK-0006'))?.id, 'ISS-0404');
      assert.deepEqual(index.linkProblems(get('TSK-0006')), []);
      index.remove(f('issues', 'ISS-0404-late.md'));
      assert.equal(index.parent(get('TSK-0006')), undefined);
      assert.equal(index.linkProblems(get('TSK-0006')).length, 1);
    });

    it('changing the parent link moves the child', () => {
      const { index, get } = tree();
      index.set(f('tasks', 'TSK-0002-a.md'), task('TSK-0002', 'ISS-0003', 'active'));
      assert.ok(!ids(index.children(get('ISS-0001'))).includes('TSK-0002'));
      assert.deepEqual(ids(index.children(get('ISS-0003'))), ['TSK-0002']);
    });

    it('a broken epic_id is reported even when issue_id resolves', () => {
      const { index } = tree();
      index.set(f('tasks', 'TSK-0007-a.md'), task('TSK-0007', 'ISS-0001', 'planning', 'EP-0404'));
      const item = index.byId(WS, 'TSK-0007')[0];
      assert.deepEqual(briefs(index.linkProblems(item)), [['broken-link', 3, 9, 3, 16]]);
    });

    it('progress: closed children of an item; comments and won_t_do children are not counted', () => {
      const { index, get } = tree();
      assert.deepEqual(index.progress(get('ISS-0001')), { done: 2, total: 4 });
      assert.deepEqual(index.progress(get('EP-0001')), { done: 1, total: 3 });
      assert.deepEqual(index.progress(get('TSK-0001')), { done: 0, total: 0 });
    });

    it('byState and items(root)', () => {
      const { index } = tree();
      assert.deepEqual(ids(index.byState('ready_for_qa')), ['ISS-0001', 'PR-0001']);
      assert.deepEqual(ids(index.byState(undefined)), ['COMMENT-0001', 'TSK-0005']);
      assert.equal([...index.items(WS)].length, 12);
      assert.equal([...index.items(BILLING)].length, 0);
    });
  });

  describe('duplicate ids', () => {
    const original = f('tasks', 'TSK-0001-original.md');
    const copy = f('tasks', 'TSK-0008-copy.md');
    const third = f('tasks', 'TSK-0009-copy.md');

    function dupes() {
      const { index, events } = setup();
      index.set(f('issues', 'ISS-0001-a.md'), issue('ISS-0001'));
      index.set(original, task('TSK-0001', 'ISS-0001'));
      index.set(copy, task('TSK-0001', 'ISS-0001'));
      const itemAt = (file: string) => index.entry(file)!.item!;
      return { index, events, itemAt };
    }

    it('are reported for both files, on the id value, naming the other file', () => {
      const { index, itemAt } = dupes();
      assert.equal(index.byId(WS, 'TSK-0001').length, 2);
      for (const [file, other] of [
        [original, copy],
        [copy, original],
      ]) {
        const problems = index.linkProblems(itemAt(file));
        assert.deepEqual(briefs(problems), [['duplicate-id', 1, 9, 1, 17]], file);
        assert.deepEqual(problems[0].data, { otherFile: other, value: 'TSK-0001' });
        assert.equal(problems[0].severity, 'error');
        assert.ok(problems[0].message.includes(path.relative(WS, other)));
      }
    });

    it('both stay in the index and both are children of their parent', () => {
      const { index } = dupes();
      assert.equal(index.size, 3);
      assert.equal(index.children(index.byId(WS, 'ISS-0001')[0]).length, 2);
    });

    it('three files: each names the other two', () => {
      const { index, itemAt } = dupes();
      index.set(third, task('TSK-0001', 'ISS-0001'));
      for (const file of [original, copy, third]) assert.equal(index.linkProblems(itemAt(file)).length, 2);
    });

    it('removing one clears the problem of the other, whichever goes', () => {
      for (const gone of [copy, original]) {
        const { index, itemAt } = dupes();
        index.remove(gone);
        const left = gone === copy ? original : copy;
        assert.deepEqual(index.linkProblems(itemAt(left)), []);
        assert.equal(index.byId(WS, 'TSK-0001').length, 1);
        assert.equal(index.byId(WS, 'TSK-0001')[0].file, left);
      }
    });

    it('changing the id of one clears both', () => {
      const { index, itemAt } = dupes();
      index.set(copy, task('TSK-0008', 'ISS-0001'));
      assert.deepEqual(index.linkProblems(itemAt(original)), []);
      assert.deepEqual(index.linkProblems(itemAt(copy)), []);
    });

    it('the same id in two projects is not a duplicate, and links do not cross projects', () => {
      const { index } = setup();
      index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001'));
      const billingEpic = b('epics', 'EP-0001-copied.md');
      index.set(billingEpic, epic('EP-0001'));
      index.set(b('stories', 'BST-0001-a.md'), issue('BST-0001', 'EP-0001'));
      for (const item of index.items()) assert.deepEqual(index.linkProblems(item), [], item.file);
      assert.equal(index.parent(index.byId(BILLING, 'BST-0001')[0])?.file, billingEpic);
      index.set(b('stories', 'BST-0002-a.md'), issue('BST-0002', 'BEP-0009'));
      const bst2 = index.byId(BILLING, 'BST-0002')[0];
      assert.deepEqual(index.linkProblems(bst2).map((p) => p.code), ['broken-link']);
      index.set(f('epics', 'BEP-0009-wrong-project.md'), epic('BEP-0009'));
      assert.deepEqual(index.linkProblems(bst2).map((p) => p.code), ['broken-link']);
    });
  });

  describe('several projects with their own prefixes', () => {
    it('each file is parsed with its own project config', () => {
      const { index } = setup();
      index.set(b('epics', 'BEP-0001-invoices.md'), epic('BEP-0001'));
      index.set(b('stories', 'BST-0001-pdf.md'), issue('BST-0001', 'BEP-0001'));
      index.set(f('epics', 'BEP-0002-misplaced.md'), epic('BEP-0002'));
      assert.deepEqual(index.entry(b('epics', 'BEP-0001-invoices.md'))?.problems, []);
      assert.deepEqual(
        index.entry(f('epics', 'BEP-0002-misplaced.md'))?.problems.map((p) => p.code),
        ['id-mismatch'],
      );
      const story = index.byId(BILLING, 'BST-0001')[0];
      assert.equal(index.parent(story)?.file, b('epics', 'BEP-0001-invoices.md'));
      assert.equal(story.root, BILLING);
    });

    it('older-format links resolve too (epic:, issue:)', () => {
      const { index } = setup();
      index.set(f('epics', 'EPIC-001-a.md'), '---\nid: EPIC-001\ntype: epic\ntitle: e\n---\n');
      index.set(f('tasks', 'TASK-001-a.md'), '---\nid: TASK-001\ntype: task\ntitle: t\nepic: EPIC-001\nissue: ISSUE-404\n---\n');
      const t = index.byId(WS, 'TASK-001')[0];
      assert.equal(index.parent(t), undefined);
      const problems = index.linkProblems(t);
      assert.deepEqual(briefs(problems), [['broken-link', 5, 7, 5, 16]] as Brief[]);
      assert.equal(problems[0].data?.key, 'issue');
      index.set(f('tasks', 'TASK-001-a.md'), '---\nid: TASK-001\ntype: task\ntitle: t\nepic: EPIC-001\n---\n');
      assert.equal(index.parent(index.byId(WS, 'TASK-001')[0])?.id, 'EPIC-001');
    });

    it('comments never report broken links', () => {
      const { index } = setup();
      index.set(f('issues', 'comments', 'ISS-0404', 'COMMENT-0001.md'), comment('COMMENT-0001', 'ISS-0404'));
      assert.deepEqual(index.linkProblems(index.byId(WS, 'COMMENT-0001')[0]), []);
      assert.deepEqual(index.linkProblems(undefined), []);
    });

    it('setProject again for a root drops its files (they are read again with the new config)', () => {
      const { index, events } = setup();
      index.set(b('epics', 'BEP-0001-a.md'), epic('BEP-0001'));
      index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001'));
      events.length = 0;
      index.setProject(project(BILLING, defaultConfig('billing')));
      assert.equal(index.entry(b('epics', 'BEP-0001-a.md')), undefined);
      assert.equal(index.size, 1);
      assert.deepEqual(events, [{ files: [b('epics', 'BEP-0001-a.md')], all: true }]);
      assert.equal(index.classify(b('epics', 'x.md')), undefined);
      assert.equal(index.classify(path.join(BILLING, 'tasks', 'epics', 'x.md'))?.type, 'epic');
    });

    it('removeProject drops the project and its files, and its paths fall to the outer project', () => {
      const { index, events } = setup();
      index.set(b('epics', 'BEP-0001-a.md'), epic('BEP-0001'));
      index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001'));
      events.length = 0;
      index.removeProject(BILLING);
      index.removeProject(BILLING);
      assert.deepEqual(index.getProjects().map((p) => p.root), [WS]);
      assert.equal(index.getProject(BILLING), undefined);
      assert.equal(index.size, 1);
      assert.equal(index.projectOf(b('epics', 'x.md'))?.root, WS);
      assert.deepEqual(events, [{ files: [b('epics', 'BEP-0001-a.md')], all: true }]);
    });
  });

  describe('change events', () => {
    it('one event per change outside a batch, naming the file', () => {
      const { index, events } = setup();
      index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001'));
      index.remove(f('epics', 'EP-0001-a.md'));
      assert.deepEqual(events, [{ files: [f('epics', 'EP-0001-a.md')] }, { files: [f('epics', 'EP-0001-a.md')] }]);
    });

    it('a batch fires one event with every file, nested batches too', () => {
      const { index, events } = setup();
      index.batch(() => {
        index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001'));
        index.batch(() => index.set(f('epics', 'EP-0002-a.md'), epic('EP-0002')));
        assert.equal(events.length, 0);
        index.remove(f('epics', 'EP-0001-a.md'));
      });
      assert.deepEqual(events, [{ files: [f('epics', 'EP-0001-a.md'), f('epics', 'EP-0002-a.md'), f('epics', 'EP-0001-a.md')] }]);
    });

    it('a batch with no change fires nothing', () => {
      const { index, events } = setup();
      index.batch(() => index.remove(f('epics', 'nope.md')));
      assert.deepEqual(events, []);
    });

    it('a batch that throws still fires what changed, and the next batch starts clean', () => {
      const { index, events } = setup();
      assert.throws(() =>
        index.batch(() => {
          index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001'));
          throw new Error('boom');
        }),
      );
      assert.deepEqual(events, [{ files: [f('epics', 'EP-0001-a.md')] }]);
      index.batch(() => index.set(f('epics', 'EP-0002-a.md'), epic('EP-0002')));
      assert.deepEqual(events[1], { files: [f('epics', 'EP-0002-a.md')] });
    });

    it('a project change inside a batch is carried as `all`', () => {
      const index = new TaskIndex();
      const events: IndexChange[] = [];
      index.onDidChange((e) => events.push(e));
      index.batch(() => {
        index.setProject(project(WS));
        index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001'));
      });
      assert.deepEqual(events, [{ files: [f('epics', 'EP-0001-a.md')], all: true }]);
    });

    it('replacing or removing a project with many files fires one event, not one per file', () => {
      for (const change of ['set', 'remove'] as const) {
        const { index, events } = setup();
        index.batch(() => {
          for (let i = 1; i <= 50; i++) index.set(b('epics', `BEP-${i}-e.md`), epic(`BEP-${i}`));
        });
        events.length = 0;
        if (change === 'set') index.setProject(project(BILLING, billingConfig));
        else index.removeProject(BILLING);
        assert.equal(events.length, 1, change);
        assert.equal(events[0].all, true);
        assert.equal(events[0].files.length, 50);
        assert.equal(index.size, 0);
      }
    });

    it('a disposed listener hears nothing more', () => {
      const { index } = setup();
      const heard: IndexChange[] = [];
      const sub = index.onDidChange((e) => heard.push(e));
      index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001'));
      sub.dispose();
      index.set(f('epics', 'EP-0002-a.md'), epic('EP-0002'));
      assert.equal(heard.length, 1);
    });

    it('listeners see the index already updated', () => {
      const { index } = setup();
      let seen: string | undefined;
      index.onDidChange(() => (seen = index.byId(WS, 'EP-0001')[0]?.title));
      index.set(f('epics', 'EP-0001-a.md'), epic('EP-0001'));
      assert.equal(seen, 'Epic EP-0001');
    });
  });
});
