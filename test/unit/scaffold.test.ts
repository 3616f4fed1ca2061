import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { COUNTERS_FILE, FolderType, FOLDER_TYPES, parseConfig, typeFolder } from '../../src/core/config';
import { allocateId, newItemText, parseTemplate, templateFile } from '../../src/core/create';
import { fileNameFor } from '../../src/core/ids';
import { TaskIndex } from '../../src/core/index';
import { indexProject, loadProject } from '../../src/core/project';
import { scaffoldFiles } from '../../src/core/scaffold';

describe('scaffold', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-scaffold-')));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const write = (files: { path: string; text: string }[]) => {
    for (const f of files) {
      const target = path.join(root, ...f.path.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, f.text, { flag: 'wx' });
    }
  };

  it('lists what `aitrackdown init` creates, as relative /-separated paths', () => {
    const paths = scaffoldFiles('demo').map((f) => f.path);
    assert.deepEqual(paths, [
      '.ai-trackdown/config.yaml',
      '.ai-trackdown/counters.json',
      'tasks/epics/.gitkeep',
      'tasks/issues/.gitkeep',
      'tasks/tasks/.gitkeep',
      'tasks/prs/.gitkeep',
      'tasks/templates/epic-default.yaml',
      'tasks/templates/issue-default.yaml',
      'tasks/templates/task-default.yaml',
      'tasks/templates/pr-default.yaml',
    ]);
    for (const p of paths) assert.ok(!path.isAbsolute(p) && !p.includes('\\') && !p.split('/').includes('..'));
  });

  it('writes a config.yaml that reads back as the CLI layout, whatever the name', () => {
    for (const name of ['demo', 'my "project": x # y', '@team/app', '---']) {
      const files = scaffoldFiles(name, 'alice');
      const { config, errors } = parseConfig(files[0].text, 'folder');
      assert.deepEqual(errors, []);
      assert.equal(config.name, name);
      assert.equal(config.defaultAssignee, 'alice');
      assert.deepEqual(config.prefixes, { epic: 'EP', issue: 'ISS', task: 'TSK', pr: 'PR' });
    }
    assert.equal(parseConfig(scaffoldFiles('demo')[0].text, 'x').config.defaultAssignee, undefined);
  });

  it('starts every counter at 1, in the shape counters.json has', () => {
    const counters = JSON.parse(scaffoldFiles('demo')[1].text) as Record<string, number>;
    assert.deepEqual(counters, { epic: 1, issue: 1, task: 1, pr: 1, comment: 1 });
  });

  it("writes templates in the CLI's shape that parseTemplate reads", () => {
    for (const f of scaffoldFiles('demo', 'alice').filter((x) => x.path.endsWith('.yaml') && x.path.includes('templates'))) {
      const raw = parseYaml(f.text) as Record<string, unknown>;
      const type = path.basename(f.path).split('-')[0];
      assert.equal(raw.type, type);
      assert.equal(raw.name, 'default');
      assert.equal(typeof raw.description, 'string');
      const front = raw.frontmatter_template as Record<string, unknown>;
      assert.equal(front.status, 'planning');
      assert.equal(front.assignee, 'alice');
      assert.equal(front.sync_status, 'local');
      const t = parseTemplate(f.text);
      assert.ok(t?.contentTemplate?.includes('{{title}}') && t.contentTemplate.includes('{{description}}'), f.path);
      assert.equal(t?.priority, 'medium');
    }
  });

  it('gives a real folder a project the index reads, where new items of every type come out clean', async () => {
    write(scaffoldFiles('demo', 'alice'));
    const project = await loadProject(root);
    assert.ok(project.hasConfig);
    assert.deepEqual(project.configErrors, []);
    for (const type of FOLDER_TYPES) assert.ok(fs.statSync(typeFolder(root, project.config, type)).isDirectory());

    // Create one item per type the way the New … commands do: template, counters, a file per item.
    const ids: Partial<Record<FolderType, string>> = {};
    const countersFile = path.join(root, COUNTERS_FILE);
    for (const type of FOLDER_TYPES) {
      const template = parseTemplate(fs.readFileSync(templateFile(root, project.config, type), 'utf8'));
      const { id, countersText } = allocateId(project.config, type, fs.readFileSync(countersFile, 'utf8'), Object.values(ids));
      const text = newItemText(
        id,
        { type, title: `First ${type}`, epicId: type === 'epic' ? undefined : ids.epic, issueId: type === 'task' || type === 'pr' ? ids.issue : undefined, assignee: project.config.defaultAssignee },
        template,
      );
      fs.writeFileSync(path.join(typeFolder(root, project.config, type), fileNameFor(id, `First ${type}`)), text, { flag: 'wx' });
      fs.writeFileSync(countersFile, countersText);
      ids[type] = id;
    }
    assert.deepEqual(ids, { epic: 'EP-0001', issue: 'ISS-0001', task: 'TSK-0001', pr: 'PR-0001' });
    assert.deepEqual(JSON.parse(fs.readFileSync(countersFile, 'utf8')), { epic: 2, issue: 2, task: 2, pr: 2, comment: 1 });

    const index = new TaskIndex();
    index.setProject(project);
    assert.equal(await indexProject(index, project), 4, '.gitkeep files are not task files');
    for (const e of index.allEntries()) {
      assert.deepEqual([...e.problems, ...index.linkProblems(e.item)], [], e.file);
      assert.equal(e.item?.assignee, 'alice');
    }
    const epic = index.byId(root, 'EP-0001')[0];
    const issue = index.byId(root, 'ISS-0001')[0];
    assert.deepEqual(index.children(epic).map((i) => i.id), ['ISS-0001']);
    assert.deepEqual(index.children(issue).map((i) => i.id).sort(), ['PR-0001', 'TSK-0001']);
  });
});
