import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parseConfig } from '../../src/core/config';
import { applyEdits } from '../../src/core/edit';
import { fixAll, fixesFor, rankValues } from '../../src/core/fixes';
import { ItemType } from '../../src/core/model';
import { parseItem, ParseContext } from '../../src/core/parse';

/** The repository root, found from the compiled test file wherever the build put it. */
const REPO = (() => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'test', 'fixtures', 'workspace'))) return dir;
  }
  throw new Error(`repository root not found above ${__dirname}`);
})();
const WS = path.join(REPO, 'test', 'fixtures', 'workspace');
const CONFIG = parseConfig(fs.readFileSync(path.join(WS, '.ai-trackdown', 'config.yaml'), 'utf8'), 'ws').config;

function load(rel: string, type: ItemType, text?: string) {
  const file = path.join(WS, ...rel.split('/'));
  const ctx: ParseContext = { file, root: WS, type, config: CONFIG };
  const t = text ?? fs.readFileSync(file, 'utf8');
  return { text: t, ctx, problems: parseItem(t, ctx).problems };
}

/** Every fix offered for the problems with `code`: its title, whether preferred, and the text it makes. */
function fixes(f: ReturnType<typeof load>, code: string) {
  return f.problems
    .filter((p) => p.code === code)
    .flatMap((p) => fixesFor(f.text, p, f.problems))
    .map((x) => ({ title: x.title, preferred: x.preferred, text: applyEdits(f.text, x.edits) }));
}

describe('fixes', () => {
  it('quotes an unquoted @value with a plain edit of its exact range', () => {
    const f = load('tasks/issues/ISS-0002-password-reset.md', 'issue');
    const [fix, ...rest] = fixes(f, 'unquoted-at');
    assert.equal(rest.length, 0);
    assert.equal(fix.title, 'Write "@bob" in quotes');
    assert.equal(fix.preferred, true);
    assert.equal(fix.text, f.text.replace('assignee: @bob\n', 'assignee: "@bob"\n'));
    assert.deepEqual(parseItem(fix.text, f.ctx).problems, []);
  });

  it('quotes @values in a flow list one by one, and keeps a trailing comment', () => {
    const text = '---\nissue_id: ISS-0001\ntitle: T\nreviewers: [@bob, @carol]\nassignee: @x  # who\n---\n';
    const f = load('tasks/issues/ISS-0001-x.md', 'issue', text);
    assert.deepEqual(
      fixes(f, 'unquoted-at').map((x) => x.text),
      [
        text.replace('[@bob,', '["@bob",'),
        text.replace('@carol]', '"@carol"]'),
        text.replace('@x  #', '"@x"  #'),
      ],
    );
    const all = fixAll(text, f.ctx)!;
    assert.equal(applyEdits(text, [all]), '---\nissue_id: ISS-0001\ntitle: T\nreviewers: ["@bob", "@carol"]\nassignee: "@x"  # who\n---\n');
  });

  it('offers every allowed value for an invalid one, nearest first; a word that means one is preferred', () => {
    const f = load('tasks/issues/ISS-0003-export-csv.md', 'issue');
    const offered = fixes(f, 'invalid-value');
    assert.deepEqual(
      offered.map((x) => [x.title, x.preferred]),
      [
        ['Change priority to critical', true],
        ['Change priority to high', false],
        ['Change priority to low', false],
        ['Change priority to medium', false],
      ],
    );
    // CRLF and everything else stay as they were.
    assert.equal(offered[0].text, f.text.replace('priority: urgent\r\n', 'priority: critical\r\n'));
  });

  it('ranks by meaning, then by edit distance; only a clear near typo is preferred', () => {
    assert.deepEqual(rankValues('status', 'done', ['planning', 'active', 'completed', 'archived'])[0], { value: 'completed', obvious: true });
    assert.deepEqual(rankValues('state', 'completed', ['planning', 'active', 'done'])[0], { value: 'done', obvious: true });
    assert.deepEqual(rankValues('status', 'active', ['todo', 'in-progress', 'in-review', 'done'])[0], { value: 'in-progress', obvious: true });
    assert.deepEqual(rankValues('status', 'actve', ['planning', 'active', 'completed', 'archived'])[0], { value: 'active', obvious: true });
    assert.deepEqual(rankValues('priority', 'Hihg', ['low', 'medium', 'high', 'critical'])[0], { value: 'high', obvious: true });
    assert.deepEqual(
      rankValues('pr_status', 'zzz', ['draft', 'open']).map((v) => v.obvious),
      [false, false],
    );
  });

  it('offers the older words blocked and cancelled, and the project\'s declared statuses, for an older-format status', () => {
    const text = (status: string) => `---\nid: TASK-001\ntype: task\ntitle: T\nstatus: ${status}\n---\n`;
    const first = (status: string, config = CONFIG) => {
      const ctx: ParseContext = { file: path.join(WS, 'tasks', 'tasks', 'TASK-001-x.md'), root: WS, type: 'task', config };
      return fixes({ text: text(status), ctx, problems: parseItem(text(status), ctx).problems }, 'invalid-value')[0];
    };
    assert.deepEqual(first('canceled'), { title: 'Change status to cancelled', preferred: true, text: text('cancelled') });
    assert.deepEqual(first('Blocked'), { title: 'Change status to blocked', preferred: true, text: text('blocked') });
    assert.deepEqual(first('won_t_do'), { title: 'Change status to cancelled', preferred: true, text: text('cancelled') });
    const declared = parseConfig('workflows: {statuses: [security-review]}\n', 'ws').config;
    assert.deepEqual(first('security-reviw', declared), { title: 'Change status to security-review', preferred: true, text: text('security-review') });
    // A CLI file holding the older word gets the CLI word it means.
    assert.deepEqual(rankValues('status', 'blocked', ['planning', 'active', 'completed', 'archived'])[0], { value: 'active', obvious: true });
  });

  it('removes a leaked key (a block scalar too) and all of them at once, keeping every other line', () => {
    const f = load('tasks/tasks/TSK-0002-session-api.md', 'task');
    const content = 'content: |-\n  # Session API call\n';
    const filePath = 'file_path: /home/alice/demo-project/tasks/tasks/TSK-0002-session-api.md\n';
    const offered = fixes(f, 'leaked-key');
    assert.deepEqual(
      offered.map((x) => [x.title, x.preferred, x.text]),
      [
        ['Remove the leaked key content', true, f.text.replace(content, '')],
        ['Remove all leaked keys', false, f.text.replace(content + filePath, '')],
        ['Remove the leaked key file_path', true, f.text.replace(filePath, '')],
        ['Remove all leaked keys', false, f.text.replace(content + filePath, '')],
      ],
    );
  });

  it('writes a number written as text as a number', () => {
    const f = load('tasks/tasks/TSK-0002-session-api.md', 'task');
    assert.deepEqual(
      fixes(f, 'string-number').map((x) => [x.title, x.preferred, x.text]),
      [
        ['Write estimated_tokens as the number 8000', true, f.text.replace('estimated_tokens: "8000"', 'estimated_tokens: 8000')],
        ['Write actual_tokens as the number 350', true, f.text.replace('actual_tokens: "350"', 'actual_tokens: 350')],
      ],
    );
  });

  it('makes the id match the file name', () => {
    const f = load('tasks/tasks/TSK-0009-copied-file.md', 'task');
    assert.deepEqual(fixes(f, 'id-mismatch'), [
      { title: 'Change task_id to TSK-0009 (as the file name says)', preferred: true, text: f.text.replace('task_id: TSK-0001', 'task_id: TSK-0009') },
    ]);
  });

  it('offers nothing for problems without a safe fix', () => {
    const f = load('tasks/tasks/TSK-0003-rate-limit.md', 'task');
    assert.deepEqual(fixes(f, 'invalid-date'), []);
    const g = load('tasks/epics/EPIC-001-legacy-onboarding.md', 'epic');
    assert.deepEqual(fixes(g, 'legacy-format'), []);
  });

  it('fixes all obvious problems in one edit of the changed span, even with broken YAML first', () => {
    const text = [
      '---', 'task_id: TSK-0001', 'issue_id: ISS-0001', 'title: T  # keep me', 'priority: urgent', 'assignee: @bob',
      'estimated_tokens: "12"', 'file_path: /x/y.md', 'status: nope', '---', 'body', '',
    ].join('\n');
    const f = load('tasks/tasks/TSK-0007-x.md', 'task', text);
    const edit = fixAll(text, f.ctx)!;
    const after = applyEdits(text, [edit]);
    assert.equal(
      after,
      [
        '---', 'task_id: TSK-0007', 'issue_id: ISS-0001', 'title: T  # keep me', 'priority: critical', 'assignee: "@bob"',
        'estimated_tokens: 12', 'status: nope', '---', 'body', '',
      ].join('\n'),
    );
    assert.ok(edit.offset > text.indexOf('task_id'));
    assert.deepEqual(parseItem(after, f.ctx).problems.map((p) => p.code), ['invalid-value']);
    assert.equal(fixAll(after, f.ctx), undefined);
  });
});
