import * as assert from 'assert/strict';
import * as path from 'path';
import { defaultConfig, FolderType, FOLDER_TYPES, typeFolder } from '../../src/core/config';
import { allocateId, DEFAULT_CONTENT, NewItemInput, newItemText, parseTemplate, Template, templateFile } from '../../src/core/create';
import { fileNameFor } from '../../src/core/ids';
import { findFrontmatter, FrontmatterBlock, parseItem } from '../../src/core/parse';

const config = defaultConfig('demo');
const ROOT = path.join(path.sep, 'projects', 'demo');
const NOW = new Date('2026-11-22T03:08:57.490Z');

/** Parse a new item's text as the index would, from the file it would be written to. */
function read(id: string, type: FolderType, text: string) {
  const file = path.join(typeFolder(ROOT, config, type), fileNameFor(id, 'x'));
  const result = parseItem(text, { file, root: ROOT, type, config });
  const noisy = result.problems.filter((p) => p.severity === 'error' || p.severity === 'warning');
  assert.deepEqual(noisy, [], `problems in\n${text}`);
  assert.ok(result.item);
  return { ...result, item: result.item };
}

/** The CLI's key order per type for an item with no optional values (FORMAT.md's table). */
const CLI_ORDER: Record<FolderType, string[]> = {
  epic: ['epic_id', 'title', 'description', 'status', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens',
    'actual_tokens', 'ai_context', 'sync_status', 'related_issues', 'dependencies', 'completion_percentage'],
  issue: ['issue_id', 'title', 'description', 'status', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens',
    'actual_tokens', 'ai_context', 'sync_status', 'related_tasks', 'related_issues', 'completion_percentage', 'blocked_by', 'blocks', 'related_prs'],
  task: ['task_id', 'issue_id', 'title', 'description', 'status', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens',
    'actual_tokens', 'ai_context', 'sync_status', 'subtasks', 'blocked_by', 'blocks'],
  pr: ['pr_id', 'issue_id', 'title', 'description', 'status', 'pr_status', 'priority', 'assignee', 'created_date', 'updated_date',
    'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'target_branch', 'approvals', 'blocked_by', 'blocks', 'related_prs',
    'template_used'],
};
const IDS: Record<FolderType, string> = { epic: 'EP-0007', issue: 'ISS-0012', task: 'TSK-0003', pr: 'PR-0001' };
const input = (type: FolderType, extra: Partial<NewItemInput> = {}): NewItemInput => ({
  type,
  title: 'Login form',
  issueId: type === 'task' || type === 'pr' ? 'ISS-0001' : undefined,
  now: NOW,
  ...extra,
});

// The CLI's template file as `aitrackdown init` deploys it (tasks/templates/task-default.yaml).
const CLI_TASK_TEMPLATE = `type: task
name: default
description: Default task template
frontmatter_template:
  title: Task Title
  description: Task description
  status: planning
  priority: high
  assignee: unassigned
  created_date: ''
  updated_date: ''
  estimated_tokens: 0
  actual_tokens: 0
  ai_context:
    - context/requirements
  sync_status: local
content_template: |-
  # Task: {{title}}

  ## Description
  {{description}}

  ## Related Issues
  {{#related_issues}}
  - {{.}}
  {{/related_issues}}

  ## Notes
  Add any additional notes here.
`;

describe('create', () => {
  describe('newItemText', () => {
    for (const type of FOLDER_TYPES) {
      it(`writes a ${type} with exactly the CLI's keys in the CLI's order`, () => {
        const text = newItemText(IDS[type], input(type), undefined);
        const { item } = read(IDS[type], type, text);
        assert.deepEqual(Object.keys(item.data), CLI_ORDER[type]);
        assert.equal(item.id, IDS[type]);
        assert.equal(item.format, 'cli');
        assert.equal(item.data.status, 'planning');
        assert.equal(item.data.priority, 'medium');
        assert.equal(item.data.assignee, 'unassigned');
        assert.equal(item.data.created_date, '2026-11-22T03:08:57.490Z');
        assert.equal(item.data.updated_date, '2026-11-22T03:08:57.490Z');
        assert.equal(item.data.sync_status, 'local');
        assert.deepEqual(item.data.ai_context, []);
        assert.equal(item.data.estimated_tokens, 0);
        assert.equal(item.data.actual_tokens, 0);
        if (type === 'pr') {
          assert.equal(item.data.pr_status, 'draft');
          assert.equal(item.data.target_branch, 'main');
        }
        // The CLI's layout: frontmatter, an empty line, the content, a final newline.
        assert.match(text, /^---\n[\s\S]*\n---\n\n# \S/);
        assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
      });
    }

    it('puts links, tags, priority and assignee where the CLI does', () => {
      const issue = read('ISS-0002', 'issue', newItemText('ISS-0002', input('issue', { epicId: 'EP-0001', labels: ['auth', 'ui'], priority: 'high', assignee: 'alice' })));
      assert.deepEqual(Object.keys(issue.item.data).slice(0, 3), ['issue_id', 'epic_id', 'title']);
      assert.equal(issue.item.epicId, 'EP-0001');
      assert.deepEqual(issue.item.data.tags, ['auth', 'ui']);
      assert.equal(Object.keys(issue.item.data).indexOf('tags'), Object.keys(issue.item.data).indexOf('related_issues') + 1);
      assert.equal(issue.item.priority, 'high');
      assert.equal(issue.item.assignee, 'alice');

      const task = read('TSK-0002', 'task', newItemText('TSK-0002', input('task', { issueId: 'ISS-0002', epicId: 'EP-0001' })));
      assert.deepEqual(Object.keys(task.item.data).slice(0, 4), ['task_id', 'issue_id', 'epic_id', 'title']);
      assert.equal(task.item.parentId, 'ISS-0002');

      const epic = read('EP-0002', 'epic', newItemText('EP-0002', input('epic', { epicId: 'EP-0001' })));
      assert.equal(epic.item.data.epic_id, 'EP-0002', 'an epic has no parent epic');
      assert.equal(epic.item.parentId, undefined);
    });

    const hostile = [
      '"a: b" # c\n---',
      '<img src=x onerror=alert(1)>',
      '---',
      '--- \n...\n---\nx: y',
      '@alice',
      'yes',
      'null',
      '2026-01-01',
      '  padded  ',
      'a\r\nb\rc',
      'line\u2028sep\u2029para\u0085nel',
      'bell\u0007 nul\u0000 del\u007f',
      '{{title}} $& $1 `code`',
      'ünïcødé 😀 \ud800',
      "'single' \"double\" \\back",
      'x'.repeat(500),
    ];
    it('keeps hostile titles and descriptions exactly, and never lets them break the frontmatter', () => {
      for (const s of hostile) {
        const text = newItemText('TSK-0001', input('task', { title: s.trim() ? s : 'x', description: s, labels: [s] }));
        const { item, block } = read('TSK-0001', 'task', text);
        assert.equal(item.title, s.trim() ? s : 'x');
        assert.equal(item.data.description, s);
        assert.deepEqual(item.data.tags, [s]);
        // One line per key: the block ends where our own `---` is, and no value line starts a new block.
        const yamlLines = text.slice((block as FrontmatterBlock).start, (block as FrontmatterBlock).end).split('\n').filter(Boolean);
        assert.equal(yamlLines.length, CLI_ORDER.task.length + 2 /* tags key + item */, text);
        assert.ok(!text.slice(item.bodyOffset).startsWith('---'));
      }
    });

    it('fills {{title}} and {{description}} in the body once, literally, and empty list sections render as nothing', () => {
      const template = parseTemplate(CLI_TASK_TEMPLATE)!;
      const title = 'Use $& and {{description}}';
      const description = 'Mentions {{title}} and $1';
      const text = newItemText('TSK-0004', input('task', { title, description }), template);
      const { item } = read('TSK-0004', 'task', text);
      const body = text.slice(item.bodyOffset);
      assert.equal(
        body,
        `\n# Task: ${title}\n\n## Description\n${description}\n\n## Related Issues\n\n## Notes\nAdd any additional notes here.\n`,
      );
      assert.equal(item.priority, 'high', "the template's priority applies when none is given");
      assert.equal(read('TSK-0004', 'task', newItemText('TSK-0004', input('task', { priority: 'low' }), template)).item.priority, 'low');
    });

    it('a template written with CRLF line ends gives the same body', () => {
      const lf = newItemText('TSK-0006', input('task'), parseTemplate(CLI_TASK_TEMPLATE));
      const crlf = newItemText('TSK-0006', input('task'), { contentTemplate: parseTemplate(CLI_TASK_TEMPLATE)!.contentTemplate!.replace(/\n/g, '\r\n'), priority: 'high', raw: {} });
      assert.equal(crlf, lf);
    });

    it('a description cannot inject a frontmatter block through the body', () => {
      const template: Template = { contentTemplate: '{{description}}', raw: {} };
      const description = '---\ntask_id: TSK-9999\nstatus: completed\n---\nafter';
      const text = newItemText('TSK-0005', input('task', { description }), template);
      const { item } = read('TSK-0005', 'task', text);
      assert.equal(item.id, 'TSK-0005');
      assert.equal(item.data.status, 'planning');
      const block = findFrontmatter(text) as FrontmatterBlock;
      assert.equal(block.bodyOffset, item.bodyOffset);
      const body = text.slice(item.bodyOffset);
      assert.ok(!body.startsWith('---') && !body.trimStart().startsWith('---'), body);
      assert.ok(body.includes('task_id: TSK-9999'), 'the text itself is kept, as body');
    });

    it('a title with line breaks stays one heading line in the body', () => {
      const text = newItemText('EP-0001', input('epic', { title: 'First\n---\nsecond' }));
      const { item } = read('EP-0001', 'epic', text);
      assert.equal(item.title, 'First\n---\nsecond');
      assert.ok(text.slice(item.bodyOffset).startsWith('\n# Epic: First --- second\n'));
    });

    it('has a default body per type without a template', () => {
      for (const type of FOLDER_TYPES) {
        const text = newItemText(IDS[type], input(type, { description: 'Why it matters' }));
        const body = text.slice(read(IDS[type], type, text).item.bodyOffset);
        assert.ok(body.includes(`: Login form\n`), body);
        assert.ok(body.includes('Why it matters'));
        assert.ok(!body.includes('{{'), body);
      }
      assert.ok(DEFAULT_CONTENT.pr.includes('{{issue_id}}'));
      assert.ok(newItemText('PR-0002', input('pr')).includes('- Issue: ISS-0001\n'));
    });

    it('refuses input the CLI could not read', () => {
      assert.throws(() => newItemText('TSK-0001', input('task', { issueId: undefined })), /parent issue/);
      assert.throws(() => newItemText('PR-0001', input('pr', { issueId: '' })), /parent issue/);
      assert.throws(() => newItemText('EP-0001', input('epic', { title: '  ' })), /title/);
      assert.throws(() => newItemText('EP-0001', input('epic', { priority: 'urgent' })), /urgent/);
      assert.throws(() => newItemText('../x', input('epic')), /not an item id/);
    });
  });

  describe('parseTemplate', () => {
    it("reads the CLI's template shape", () => {
      const t = parseTemplate(CLI_TASK_TEMPLATE)!;
      assert.equal(t.name, 'default');
      assert.equal(t.priority, 'high');
      assert.ok(t.contentTemplate!.startsWith('# Task: {{title}}\n'));
      assert.equal((t.raw.frontmatter_template as Record<string, unknown>).description, 'Task description');
    });

    it('reads the shorter hand-written shape (top-level priority)', () => {
      const t = parseTemplate('type: task\nname: Default Task Template\npriority: low\ncontent_template: |\n  # {{title}}\n')!;
      assert.equal(t.priority, 'low');
      assert.equal(t.contentTemplate, '# {{title}}\n');
    });

    it('is undefined for templates that cannot be used, and ignores an unknown priority', () => {
      assert.equal(parseTemplate('content_template: [unclosed'), undefined);
      assert.equal(parseTemplate('- a\n- b\n'), undefined);
      assert.equal(parseTemplate(''), undefined);
      assert.equal(parseTemplate('content_template: {a: 1}\n'), undefined);
      const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill('*' + 'abcdefgh'[i]).join(', ')}]`)].join('\n');
      assert.equal(parseTemplate(bomb), undefined, 'an alias bomb is refused');
      assert.equal(parseTemplate('priority: urgent\ncontent_template: x\n')!.priority, undefined);
      assert.equal(parseTemplate('name: only a name\n')!.contentTemplate, undefined);
    });

    it('templateFile is <tasks>/<templates>/<type>-default.yaml of the project', () => {
      assert.equal(templateFile(ROOT, config, 'pr'), path.join(ROOT, 'tasks', 'templates', 'pr-default.yaml'));
      const custom = { ...config, tasksDir: 'work', templatesDir: 'tpl' };
      assert.equal(templateFile(ROOT, custom, 'epic'), path.join(ROOT, 'work', 'tpl', 'epic-default.yaml'));
    });
  });

  describe('allocateId', () => {
    const COUNTERS = '{"epic":6,"issue":5,"task":5,"pr":3,"comment":1}';

    it('takes the NEXT value from counters.json and moves it on, keeping the other keys and the layout', () => {
      const r = allocateId(config, 'issue', COUNTERS, ['ISS-0001', 'ISS-0004', 'EP-0005']);
      assert.equal(r.id, 'ISS-0005');
      assert.equal(r.countersText, '{"epic":6,"issue":6,"task":5,"pr":3,"comment":1}');
      const pretty = '{\n  "project": 1,\n  "epic": 2,\n  "issue": 1\n}\n';
      const p = allocateId(config, 'pr', pretty, []);
      assert.equal(p.id, 'PR-0001');
      assert.equal(p.countersText, '{\n  "project": 1,\n  "epic": 2,\n  "issue": 1,\n  "pr": 2\n}\n');
    });

    it('never reuses an id on disk, whether counters.json is stale, missing or corrupt', () => {
      const taken = ['ISS-0001', 'ISS-0009', 'ISS-12', 'ISSUE-050', 'TSK-0003'];
      assert.equal(allocateId(config, 'issue', COUNTERS, taken).id, 'ISS-0013');
      for (const bad of [undefined, '', '{not json', '[]', 'null', '{"issue":"7"}', '{"issue":-3}', '{"issue":2.5}']) {
        const r = allocateId(config, 'issue', bad, taken);
        assert.equal(r.id, 'ISS-0013', String(bad));
        const next = JSON.parse(r.countersText) as Record<string, number>;
        assert.equal(next.issue, 14);
        // Rebuilt counters keep the CLI from reusing ids of the other types too.
        if (bad === undefined || bad === '' || bad === '{not json' || bad === '[]' || bad === 'null') assert.equal(next.task, 4);
      }
    });

    it('pads to 4 digits, then 5 from 10000 on, as the CLI does', () => {
      assert.equal(allocateId(config, 'task', '{"task":9999}', []).id, 'TSK-9999');
      const r = allocateId(config, 'task', '{"task":9999}', ['TSK-9999']);
      assert.equal(r.id, 'TSK-10000');
      assert.equal(JSON.parse(r.countersText).task, 10001);
      assert.equal(allocateId(config, 'task', r.countersText, ['TSK-10000']).id, 'TSK-10001');
    });

    it("uses the project's prefixes", () => {
      const billing = { ...config, prefixes: { ...config.prefixes, epic: 'BEP' } };
      assert.equal(allocateId(billing, 'epic', undefined, ['BEP-0001', 'EP-0007']).id, 'BEP-0002');
    });

    it('accepts any iterable of taken ids, read once', () => {
      function* ids() {
        yield 'EP-0003';
        yield 'EP-0010';
      }
      const r = allocateId(config, 'epic', undefined, ids());
      assert.equal(r.id, 'EP-0011');
      assert.equal(JSON.parse(r.countersText).epic, 12);
    });
  });
});
