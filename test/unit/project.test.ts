import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { TaskIndex, IndexChange } from '../../src/core/index';
import { MAX_FILE_BYTES } from '../../src/core/parse';
import { applyRead, discoverRoots, indexProject, listTaskFiles, loadProject } from '../../src/core/project';
import { corpus, tempFolders, writeTree } from './helpers';

const CLI_CONFIG = 'name: demo\ntasks_directory: tasks\n';
const epic = (id: string) => `---\nepic_id: ${id}\ntitle: Epic ${id}\nstatus: active\n---\n`;
const rel = (root: string, files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/')).sort();

describe('project', function () {
  // Real disk work on a machine that may be busy.
  this.timeout(20000);
  const temp = tempFolders();

  describe('discoverRoots', () => {
    it('finds every folder with .ai-trackdown/config.yaml down to maxDepth, sorted', async () => {
      const ws = writeTree(temp('roots'), {
        '.ai-trackdown/config.yaml': CLI_CONFIG,
        'services/billing/.ai-trackdown/config.yaml': 'name: billing\n',
        'services/search/.ai-trackdown/config.yaml': 'name: search\n',
        'a/b/c/.ai-trackdown/config.yaml': 'name: depth3\n',
        'a/b/c/d/e/.ai-trackdown/config.yaml': 'name: depth5\n',
        'docs/readme.md': '# docs\n',
      });
      assert.deepEqual(discoverRoots(ws), [
        ws,
        path.join(ws, 'a', 'b', 'c'),
        path.join(ws, 'services', 'billing'),
        path.join(ws, 'services', 'search'),
      ]);
      assert.ok(discoverRoots(ws, 5).includes(path.join(ws, 'a', 'b', 'c', 'd', 'e')));
      assert.deepEqual(discoverRoots(ws, 0), [ws]);
    });

    it('does not search a project\'s tasks folder (the configured one, or tasks/ of an older-format project)', async () => {
      const ws = writeTree(temp('tasks-dir'), {
        '.ai-trackdown/config.yaml': 'name: top\ntasks_directory: work\n',
        'work/issues/nested/.ai-trackdown/config.yaml': 'name: nested\n',
        'tasks/other/.ai-trackdown/config.yaml': 'name: other\n',
      });
      assert.deepEqual(discoverRoots(ws), [ws, path.join(ws, 'tasks', 'other')]);
      const legacy = writeTree(temp('legacy-tasks'), {
        'tasks/epics/EPIC-001-x.md': epic('EPIC-001'),
        'tasks/epics/inner/.ai-trackdown/config.yaml': 'name: inner\n',
      });
      assert.deepEqual(discoverRoots(legacy), [legacy]);
    });

    it('does not look inside node_modules, .git, build output or hidden folders', async () => {
      const ws = writeTree(temp('skip'), {
        'node_modules/pkg/.ai-trackdown/config.yaml': 'name: x\n',
        '.git/x/.ai-trackdown/config.yaml': 'name: x\n',
        'dist/.ai-trackdown/config.yaml': 'name: x\n',
        'out/.ai-trackdown/config.yaml': 'name: x\n',
        '.hidden/.ai-trackdown/config.yaml': 'name: x\n',
        'app/.ai-trackdown/config.yaml': 'name: app\n',
      });
      assert.deepEqual(discoverRoots(ws), [path.join(ws, 'app')]);
    });

    it('a folder with tasks/ and no config anywhere is a root (older-format projects)', async () => {
      const ws = writeTree(temp('legacy'), { 'tasks/epics/EPIC-001-x.md': epic('EPIC-001') });
      assert.deepEqual(discoverRoots(ws), [ws]);
    });

    it('but not when a config exists further down, and not without tasks/', async () => {
      const ws = writeTree(temp('mixed'), {
        'tasks/epics/EPIC-001-x.md': epic('EPIC-001'),
        'sub/.ai-trackdown/config.yaml': 'name: sub\n',
      });
      assert.deepEqual(discoverRoots(ws), [path.join(ws, 'sub')]);
      assert.deepEqual(discoverRoots(writeTree(temp('empty'), { 'notes.md': 'x' })), []);
      assert.deepEqual(discoverRoots(writeTree(temp('tasksfile'), { tasks: 'a file, not a folder' })), []);
    });

    it('a config.yaml that is a folder does not make a root', async () => {
      const ws = temp('dirconfig');
      fs.mkdirSync(path.join(ws, '.ai-trackdown', 'config.yaml'), { recursive: true });
      assert.deepEqual(discoverRoots(ws), []);
    });

    it('does not follow folder links (no loops, nothing outside)', async () => {
      const outside = writeTree(temp('outside'), { '.ai-trackdown/config.yaml': 'name: outside\n' });
      const ws = writeTree(temp('links'), { 'app/.ai-trackdown/config.yaml': 'name: app\n' });
      fs.symlinkSync(ws, path.join(ws, 'app', 'loop'), 'dir');
      fs.symlinkSync(outside, path.join(ws, 'ext'), 'dir');
      assert.deepEqual(discoverRoots(ws, 10), [path.join(ws, 'app')]);
    });

    it('a folder that does not exist has no roots', async () => {
      assert.deepEqual(discoverRoots(path.join(temp('gone'), 'nope')), []);
    });
  });

  describe('loadProject', () => {
    it('reads config.yaml', async () => {
      const p = await loadProject(corpus('cli'));
      assert.equal(p.root, corpus('cli'));
      assert.equal(p.hasConfig, true);
      assert.deepEqual(p.configErrors, []);
      assert.equal(p.config.name, 'storefront');
    });

    it('the older config shape', async () => {
      const p = await loadProject(corpus('legacy'));
      assert.deepEqual(p.configErrors, []);
      assert.equal(p.config.name, 'ShopFlow Platform');
    });

    it('without config.yaml: the defaults, named after the folder', async () => {
      const ws = writeTree(temp('noconfig'), { 'tasks/epics/EPIC-001-x.md': epic('EPIC-001') });
      const p = await loadProject(ws);
      assert.equal(p.hasConfig, false);
      assert.deepEqual(p.configErrors, []);
      assert.equal(p.config.name, path.basename(ws));
      assert.equal(p.config.tasksDir, 'tasks');
    });

    it('a broken config.yaml: errors reported, defaults used', async () => {
      const ws = writeTree(temp('badconfig'), { '.ai-trackdown/config.yaml': 'tasks_directory: ../../etc\nname: [\n' });
      const p = await loadProject(ws);
      assert.equal(p.hasConfig, true);
      assert.equal(p.configErrors.length, 1);
      assert.equal(p.config.tasksDir, 'tasks');
    });
  });

  describe('listTaskFiles', () => {
    function layout() {
      return writeTree(temp('list'), {
        '.ai-trackdown/config.yaml': CLI_CONFIG,
        'tasks/epics/EP-0001-a.md': epic('EP-0001'),
        'tasks/epics/EP-0002-b.markdown': epic('EP-0002'),
        'tasks/epics/notes.txt': 'x',
        'tasks/issues/ISS-0001-a.md': 'x',
        'tasks/issues/comments/ISS-0001/COMMENT-0001.md': 'x',
        'tasks/issues/comments/ISS-0001/COMMENT-0002.md': 'x',
        'tasks/issues/comments/ISS-0001/old/COMMENT-0000.md': 'x',
        'tasks/issues/comments/stray.md': 'x',
        'tasks/tasks/TSK-0001-a.md': 'x',
        'tasks/tasks/archive/TSK-0099-old.md': 'x',
        'tasks/prs/PR-0001-a.md': 'x',
        'tasks/templates/task-default.yaml': 'x',
        'tasks/templates/readme.md': 'x',
        'tasks/README.md': 'x',
        'tasks/.ai-trackdown-index': '{}',
        'README.md': 'x',
      });
    }

    it('reads each type folder non-recursively, *.md only, plus issues/comments/<ISSUE>/', async () => {
      const root = layout();
      const files = await listTaskFiles(await loadProject(root));
      assert.deepEqual(rel(root, files), [
        'tasks/epics/EP-0001-a.md',
        'tasks/issues/ISS-0001-a.md',
        'tasks/issues/comments/ISS-0001/COMMENT-0001.md',
        'tasks/issues/comments/ISS-0001/COMMENT-0002.md',
        'tasks/prs/PR-0001-a.md',
        'tasks/tasks/TSK-0001-a.md',
      ]);
    });

    it('a folder named like a task file is not a task file', async () => {
      const root = layout();
      fs.mkdirSync(path.join(root, 'tasks', 'epics', 'EP-0003-folder.md'));
      const files = await listTaskFiles(await loadProject(root));
      assert.ok(!rel(root, files).includes('tasks/epics/EP-0003-folder.md'));
    });

    it('uses the folders of the config', async () => {
      const root = writeTree(temp('custom'), {
        '.ai-trackdown/config.yaml': 'tasks_directory: work\nstructure: {epics_dir: epics, issues_dir: stories, tasks_dir: todo, prs_dir: reviews}\n',
        'work/epics/BEP-0001-a.md': 'x',
        'work/stories/BST-0001-a.md': 'x',
        'work/stories/comments/BST-0001/COMMENT-0001.md': 'x',
        'work/todo/BTK-0001-a.md': 'x',
        'work/reviews/BPR-0001-a.md': 'x',
        'tasks/epics/EP-0001-ignored.md': 'x',
      });
      assert.deepEqual(rel(root, await listTaskFiles(await loadProject(root))), [
        'work/epics/BEP-0001-a.md',
        'work/reviews/BPR-0001-a.md',
        'work/stories/BST-0001-a.md',
        'work/stories/comments/BST-0001/COMMENT-0001.md',
        'work/todo/BTK-0001-a.md',
      ]);
    });

    it('missing folders give no files, no error', async () => {
      const root = writeTree(temp('bare'), { '.ai-trackdown/config.yaml': CLI_CONFIG });
      assert.deepEqual(await listTaskFiles(await loadProject(root)), []);
    });

    describe('links', () => {
      function linked() {
        const outside = writeTree(temp('outside'), {
          'secret/EP-0009-secret.md': epic('EP-0009'),
          'loose.md': epic('EP-0008'),
          'comments/ISS-0001/COMMENT-0009.md': '---\nid: COMMENT-0009\nissueId: ISS-0001\n---\n',
        });
        const root = writeTree(temp('linked'), {
          '.ai-trackdown/config.yaml': CLI_CONFIG,
          'tasks/epics/EP-0001-a.md': epic('EP-0001'),
          'shared/EP-0002-shared.md': epic('EP-0002'),
          'tasks/issues/.keep': '',
        });
        return { root, outside };
      }

      it('a file link inside the root is followed', async () => {
        const { root } = linked();
        fs.symlinkSync(path.join(root, 'shared', 'EP-0002-shared.md'), path.join(root, 'tasks', 'epics', 'EP-0002-shared.md'));
        assert.deepEqual(rel(root, await listTaskFiles(await loadProject(root))), ['tasks/epics/EP-0001-a.md', 'tasks/epics/EP-0002-shared.md']);
      });

      it('a file link out of the root, a broken link and a link to a folder are not', async () => {
        const { root, outside } = linked();
        fs.symlinkSync(path.join(outside, 'loose.md'), path.join(root, 'tasks', 'epics', 'EP-0008-out.md'));
        fs.symlinkSync(path.join(root, 'nowhere.md'), path.join(root, 'tasks', 'epics', 'EP-0007-broken.md'));
        fs.symlinkSync(path.join(root, 'shared'), path.join(root, 'tasks', 'epics', 'EP-0006-dir.md'), 'dir');
        assert.deepEqual(rel(root, await listTaskFiles(await loadProject(root))), ['tasks/epics/EP-0001-a.md']);
      });

      it('a type folder that is a link out of the root is not read', async () => {
        const { root, outside } = linked();
        fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'tasks', 'tasks'), 'dir');
        fs.symlinkSync(path.join(outside, 'comments'), path.join(root, 'tasks', 'issues', 'comments'), 'dir');
        assert.deepEqual(rel(root, await listTaskFiles(await loadProject(root))), ['tasks/epics/EP-0001-a.md']);
      });

      it('a tasks folder that is a link out of the root is not read', async () => {
        const outside = writeTree(temp('outside-tasks'), { 'epics/EP-0009-secret.md': epic('EP-0009') });
        const root = writeTree(temp('linked-tasks'), { '.ai-trackdown/config.yaml': CLI_CONFIG });
        fs.symlinkSync(outside, path.join(root, 'tasks'), 'dir');
        assert.deepEqual(await listTaskFiles(await loadProject(root)), []);
      });

      it('a type folder that links to another folder inside the root is read', async () => {
        const { root } = linked();
        fs.symlinkSync(path.join(root, 'shared'), path.join(root, 'tasks', 'tasks'), 'dir');
        assert.deepEqual(rel(root, await listTaskFiles(await loadProject(root))), ['tasks/epics/EP-0001-a.md', 'tasks/tasks/EP-0002-shared.md']);
      });
    });
  });

  describe('applyRead', () => {
    it('applyRead: text is indexed, too large is indexed as a problem, an error removes the entry', async () => {
      const root = writeTree(temp('apply'), { '.ai-trackdown/config.yaml': CLI_CONFIG });
      const index = new TaskIndex();
      index.setProject(await loadProject(root));
      const file = path.join(root, 'tasks', 'epics', 'EP-0001-a.md');
      applyRead(index, file, { text: epic('EP-0001') });
      assert.equal(index.entry(file)?.item?.id, 'EP-0001');
      applyRead(index, file, { tooLarge: 3 * 1024 * 1024 });
      const entry = index.entry(file);
      assert.equal(entry?.item, undefined);
      assert.equal(entry?.problems.length, 1);
      assert.equal(entry?.problems[0].code, 'file-too-large');
      assert.equal(entry?.problems[0].severity, 'warning');
      assert.equal(entry?.problems[0].message, 'File is 3072 KiB, over the 1024 KiB limit; it was not parsed.');
      applyRead(index, file, { error: 'ENOENT' });
      assert.equal(index.entry(file), undefined);
      assert.equal(index.size, 0);
    });
  });

  describe('indexProject', () => {
    it('indexes a copy of the CLI corpus in one batch', async () => {
      const root = temp('corpus');
      fs.cpSync(corpus('cli'), root, { recursive: true });
      const index = new TaskIndex();
      const project = await loadProject(root);
      index.setProject(project);
      const events: IndexChange[] = [];
      index.onDidChange((e) => events.push(e));
      const count = await indexProject(index, project);
      assert.equal(count, 16);
      assert.equal(index.size, 16);
      assert.equal(events.length, 1);
      assert.equal(events[0].files.length, 16);
      assert.deepEqual(
        [...index.items()].map((i) => i.id).sort(),
        ['COMMENT-0001', 'COMMENT-0002', 'EP-0001', 'EP-0002', 'ISS-0001', 'ISS-0002', 'ISS-0003', 'PR-0001', 'PR-0002', 'TSK-0001', 'TSK-0002', 'TSK-0003', 'TSK-0004', 'TSK-0005', 'TSK-0006', 'TSK-0007'],
      );
      const epic1 = index.byId(root, 'EP-0001')[0];
      assert.equal(epic1.root, root);
      assert.deepEqual(index.children(epic1).map((c) => c.id).sort(), ['ISS-0001', 'ISS-0002']);
    });

    it('a too-large file is indexed as a problem, the others normally', async () => {
      const root = writeTree(temp('large'), {
        '.ai-trackdown/config.yaml': CLI_CONFIG,
        'tasks/epics/EP-0001-a.md': epic('EP-0001'),
        'tasks/epics/EP-0002-huge.md': epic('EP-0002') + 'x'.repeat(MAX_FILE_BYTES),
      });
      const index = new TaskIndex();
      const project = await loadProject(root);
      index.setProject(project);
      assert.equal(await indexProject(index, project), 2);
      const huge = index.entry(path.join(root, 'tasks', 'epics', 'EP-0002-huge.md'));
      assert.equal(huge?.item, undefined);
      assert.deepEqual(huge?.problems.map((p) => p.code), ['file-too-large']);
      assert.equal(index.byId(root, 'EP-0001').length, 1);
    });

    it('many files, more than one read slice', async () => {
      const files: Record<string, string> = { '.ai-trackdown/config.yaml': CLI_CONFIG };
      for (let i = 1; i <= 600; i++) files[`tasks/epics/EP-${String(i).padStart(4, '0')}-e.md`] = epic(`EP-${String(i).padStart(4, '0')}`);
      const root = writeTree(temp('many'), files);
      const index = new TaskIndex();
      const project = await loadProject(root);
      index.setProject(project);
      assert.equal(await indexProject(index, project), 600);
      assert.equal([...index.items()].length, 600);
    });

    it('a status one project declares in workflows.statuses is valid there only; blocked and cancelled everywhere', async () => {
      const task = (id: string, status: string) => `---\nid: ${id}\ntype: task\ntitle: ${id}\nstatus: ${status}\n---\n`;
      const files = {
        'tasks/tasks/TASK-001-a.md': task('TASK-001', 'security-review'),
        'tasks/tasks/TASK-002-b.md': task('TASK-002', 'blocked'),
        'tasks/tasks/TASK-003-c.md': task('TASK-003', 'cancelled'),
      };
      const ws = temp('statuses');
      const declares = writeTree(path.join(ws, 'declares'), {
        '.ai-trackdown/config.yaml': 'version: 1\nproject: {name: declares}\nworkflows:\n  statuses: [todo, in-progress, security-review, done]\n',
        ...files,
      });
      const plain = writeTree(path.join(ws, 'plain'), { '.ai-trackdown/config.yaml': 'version: 1\nproject: {name: plain}\n', ...files });
      const index = new TaskIndex();
      for (const root of [declares, plain]) {
        const project = await loadProject(root);
        assert.deepEqual(project.configErrors, []);
        index.setProject(project);
        await indexProject(index, project);
      }
      const codes = (root: string, name: string) => index.entry(path.join(root, 'tasks', 'tasks', name))!.problems.map((p) => p.code);
      assert.deepEqual(codes(declares, 'TASK-001-a.md'), ['legacy-format']);
      assert.deepEqual(codes(plain, 'TASK-001-a.md'), ['invalid-value', 'legacy-format']);
      for (const root of [declares, plain]) {
        assert.deepEqual(codes(root, 'TASK-002-b.md'), ['legacy-format']);
        assert.deepEqual(codes(root, 'TASK-003-c.md'), ['legacy-format']);
        assert.equal(index.byId(root, 'TASK-002')[0].state, 'active');
        assert.equal(index.byId(root, 'TASK-003')[0].state, 'won_t_do');
      }
      const custom = index.byId(declares, 'TASK-001')[0];
      assert.deepEqual([custom.state, custom.rawState], [undefined, 'security-review']);
    });

    it('a hostile workflows.statuses is reported on the project and makes nothing valid', async () => {
      const names = Array.from({ length: 10000 }, (_, i) => `s${i}`).join(', ');
      const root = writeTree(temp('hostile'), {
        '.ai-trackdown/config.yaml': `version: 1\nworkflows:\n  statuses: [${names}, __proto__, 7]\n`,
        'tasks/tasks/TASK-001-a.md': '---\nid: TASK-001\ntype: task\ntitle: a\nstatus: __proto__\n---\n',
        'tasks/tasks/TASK-002-b.md': '---\nid: TASK-002\ntype: task\ntitle: b\nstatus: s9999\n---\n',
        'tasks/tasks/TASK-003-c.md': '---\nid: TASK-003\ntype: task\ntitle: c\nstatus: s1\n---\n',
      });
      const project = await loadProject(root);
      assert.equal(project.configErrors.length, 2, project.configErrors.join('\n'));
      const index = new TaskIndex();
      index.setProject(project);
      await indexProject(index, project);
      const codes = (name: string) => index.entry(path.join(root, 'tasks', 'tasks', name))!.problems.map((p) => p.code);
      assert.deepEqual(codes('TASK-001-a.md'), ['invalid-value', 'legacy-format']);
      assert.deepEqual(codes('TASK-002-b.md'), ['invalid-value', 'legacy-format'], 'past the first 50 names nothing is declared');
      assert.deepEqual(codes('TASK-003-c.md'), ['legacy-format']);
    });

    it('an empty project indexes nothing', async () => {
      const root = writeTree(temp('none'), { '.ai-trackdown/config.yaml': CLI_CONFIG });
      const index = new TaskIndex();
      const project = await loadProject(root);
      index.setProject(project);
      assert.equal(await indexProject(index, project), 0);
      assert.equal(index.size, 0);
    });
  });
});
