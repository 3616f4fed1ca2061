import * as assert from 'assert/strict';
import * as path from 'path';
import { parseConfig } from '../../src/core/config';
import { Problem } from '../../src/core/model';
import { findFrontmatter, MAX_FILE_BYTES, parseItem } from '../../src/core/parse';
import { hashText } from '../../src/core/text';
import { Brief, briefs, contextFor, corpus, corpusConfig, readCorpus } from './helpers';

/** Parse a text as a file `name` in the folder of `type` of a default project. */
function parse(text: string, name = 'TSK-0001-x.md', type: Parameters<typeof contextFor>[1] = 'task') {
  return parseItem(text, contextFor(name, type));
}

function problemsOf(text: string, name?: string, type?: Parameters<typeof contextFor>[1]): Brief[] {
  return briefs(parse(text, name, type).problems);
}

function only(problems: Problem[], code: Problem['code']): Problem {
  const hits = problems.filter((p) => p.code === code);
  assert.equal(hits.length, 1, `${code} in ${JSON.stringify(problems.map((p) => p.code))}`);
  return hits[0];
}

/** Parse a corpus file in the context the index would give it. */
function parseCorpus(project: string, ...parts: string[]) {
  const file = corpus(project, ...parts);
  const config = corpusConfig(project);
  const type = parts.includes('comments') ? 'comment' : (({ epics: 'epic', issues: 'issue', tasks: 'task', prs: 'pr' }) as const)[parts[1] as 'epics'];
  const text = readCorpus(project, ...parts);
  return { text, ...parseItem(text, { file, root: corpus(project), type, config }) };
}

const TASK = '---\ntask_id: TSK-0001\nissue_id: ISS-0001\ntitle: x\n';

describe('parse', () => {
  describe('findFrontmatter', () => {
    it('gives the offsets of the block (LF)', () => {
      const text = '---\na: 1\n---\nbody';
      assert.deepEqual(findFrontmatter(text), { start: 3, end: 8, closeLine: 9, bodyOffset: 13 });
      assert.equal(text.slice(3, 8), '\na: 1');
      assert.equal(text.slice(13), 'body');
    });

    it('ends the block before the \\r of a CRLF line end', () => {
      const text = '---\r\na: 1\r\n---\r\nbody';
      assert.deepEqual(findFrontmatter(text), { start: 3, end: 9, closeLine: 11, bodyOffset: 16 });
      assert.equal(text.slice(11, 14), '---');
      assert.equal(text.slice(16), 'body');
    });

    it('skips a BOM', () => {
      const text = '\uFEFF---\r\na: 1\r\n---\r\nbody';
      assert.deepEqual(findFrontmatter(text), { start: 4, end: 10, closeLine: 12, bodyOffset: 17 });
    });

    it('handles no newline after the closing line, and an empty block', () => {
      assert.deepEqual(findFrontmatter('---\na: 1\n---'), { start: 3, end: 8, closeLine: 9, bodyOffset: 12 });
      assert.deepEqual(findFrontmatter('---\n---\n'), { start: 3, end: 3, closeLine: 4, bodyOffset: 8 });
    });

    it('accepts spaces after the opening ---', () => {
      assert.deepEqual(findFrontmatter('--- \na: 1\n---\n'), { start: 3, end: 9, closeLine: 10, bodyOffset: 14 });
    });

    it('says none when the file does not start with a --- line', () => {
      for (const t of ['', 'no dashes', '----\na: 1\n----\n', '---yaml\na: 1\n---\n', '\n---\na: 1\n---\n', ' ---\na: 1\n---\n', '---']) {
        assert.equal(findFrontmatter(t), 'none', JSON.stringify(t));
      }
    });

    it('says unclosed when no --- line follows', () => {
      for (const t of ['---\na: 1\n', '---\na: 1\n--', '---\r\na: 1\r\n']) assert.equal(findFrontmatter(t), 'unclosed', JSON.stringify(t));
    });

    it('closes at the first --- line; a later one belongs to the body', () => {
      const text = '---\na: 1\n---\nbody\n---\nmore\n';
      const block = findFrontmatter(text);
      assert.ok(typeof block === 'object');
      assert.equal(text.slice(block.bodyOffset), 'body\n---\nmore\n');
    });
  });

  describe('items of the CLI format', () => {
    it('an issue with state and state_metadata', () => {
      const { text, item, problems } = parseCorpus('cli', 'tasks', 'issues', 'ISS-0001-cart-page.md');
      assert.deepEqual(problems, []);
      assert.ok(item);
      assert.equal(item.id, 'ISS-0001');
      assert.equal(item.type, 'issue');
      assert.equal(item.format, 'cli');
      assert.equal(item.title, 'Cart page');
      assert.equal(item.state, 'ready_for_qa');
      assert.equal(item.rawState, 'ready_for_qa');
      assert.equal(item.priority, 'high');
      assert.equal(item.assignee, 'alice');
      assert.deepEqual(item.labels, ['frontend']);
      assert.equal(item.parentId, 'EP-0001');
      assert.equal(item.epicId, 'EP-0001');
      assert.equal(item.issueId, undefined);
      assert.equal(item.estimatedTokens, 40000);
      assert.equal(item.actualTokens, 21500);
      assert.equal(item.created, '2026-09-02T09:00:00.000Z');
      assert.equal(item.updated, '2026-10-12T11:40:02.114Z');
      assert.equal(item.file, corpus('cli', 'tasks', 'issues', 'ISS-0001-cart-page.md'));
      assert.equal(item.root, corpus('cli'));
      assert.equal(item.hash, hashText(text));
      assert.ok(text.slice(item.bodyOffset).startsWith('\n# Issue: Cart page\n'));
      assert.deepEqual((item.data.state_metadata as Record<string, unknown>).previous_state, 'ready_for_engineering');
      assert.deepEqual(item.keys.get('issue_id'), { key: { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } }, value: { start: { line: 1, character: 10 }, end: { line: 1, character: 18 } } });
      assert.deepEqual(item.keys.get('state')?.value, { start: { line: 6, character: 7 }, end: { line: 6, character: 19 } });
    });

    it('status alone gives the state (completed is done)', () => {
      assert.equal(parseCorpus('cli', 'tasks', 'tasks', 'TSK-0001-cart-markup.md').item?.state, 'done');
      assert.equal(parseCorpus('cli', 'tasks', 'epics', 'EP-0002-search-relevance.md').item?.state, 'planning');
    });

    it('a task: parent is the issue, the epic is kept too', () => {
      const { item } = parseCorpus('cli', 'tasks', 'tasks', 'TSK-0001-cart-markup.md');
      assert.equal(item?.parentId, 'ISS-0001');
      assert.equal(item?.issueId, 'ISS-0001');
      assert.equal(item?.epicId, 'EP-0001');
    });

    it('a task that names only an epic hangs under the epic', () => {
      const { item } = parse('---\ntask_id: TSK-0001\nepic_id: EP-0001\ntitle: x\n---\n');
      assert.equal(item?.parentId, 'EP-0001');
    });

    it('an epic has no parent even if it carries an epic_id-like link', () => {
      const { item } = parseCorpus('cli', 'tasks', 'epics', 'EP-0001-checkout-redesign.md');
      assert.equal(item?.parentId, undefined);
      assert.equal(item?.epicId, undefined);
      assert.deepEqual(item?.labels, ['checkout', 'payments']);
    });

    it('a PR hangs under its issue', () => {
      const { item, problems } = parseCorpus('cli', 'tasks', 'prs', 'PR-0002-wallet-sdk-bump.md');
      assert.deepEqual(problems, []);
      assert.equal(item?.type, 'pr');
      assert.equal(item?.parentId, 'ISS-0002');
      assert.equal(item?.state, 'done');
    });

    it('a comment: camelCase keys, hangs under its issue', () => {
      const { item, problems } = parseCorpus('cli', 'tasks', 'issues', 'comments', 'ISS-0001', 'COMMENT-0001.md');
      assert.deepEqual(problems, []);
      assert.equal(item?.id, 'COMMENT-0001');
      assert.equal(item?.type, 'comment');
      assert.equal(item?.title, 'Comment COMMENT-0001');
      assert.equal(item?.parentId, 'ISS-0001');
      assert.equal(item?.created, '2026-10-12T12:05:33.901Z');
      assert.equal(item?.state, undefined);
    });

    it('a comment without issueId takes its issue from the folder (and says the key is missing)', () => {
      const r = parse('---\nid: COMMENT-0003\nauthor: bob\n---\nhi\n', 'COMMENT-0003.md', 'comment');
      assert.equal(r.item?.parentId, 'ISS-0001');
      assert.deepEqual(briefs(r.problems), [['missing-key', 0, 0, 0, 3]]);
    });

    it('token counts written as text are read as numbers', () => {
      const { item } = parseCorpus('cli', 'tasks', 'tasks', 'TSK-0002-running-total.md');
      assert.equal(item?.estimatedTokens, 6000);
      assert.equal(item?.actualTokens, 2350);
    });

    it('comments, flow lists, quoting and unknown keys are read', () => {
      const { text, item, problems } = parseCorpus('cli', 'tasks', 'tasks', 'TSK-0006-address-autocomplete.md');
      assert.deepEqual(problems, []);
      assert.equal(item?.title, 'Address autocomplete: "as you type"');
      assert.equal(item?.parentId, 'ISS-0001');
      assert.equal(item?.assignee, 'alice');
      assert.deepEqual(item?.labels, ['frontend', 'a11y', 'ux']);
      assert.equal(item?.data.description, 'Suggest addresses while typing, debounced to one request per 300 ms');
      assert.deepEqual(item?.data.subtasks, ['TSK-0007']);
      assert.equal(item?.data.x_agent_run, '7f3a9c');
      // The value range of issue_id stops before its comment.
      const v = item!.keys.get('issue_id')!.value;
      assert.deepEqual(v, { start: { line: 3, character: 10 }, end: { line: 3, character: 18 } });
      assert.equal(text.split('\n')[3].slice(v.start.character, v.end.character), 'ISS-0001');
    });

    it('a missing or empty id falls back to the file name; a missing title to the id', () => {
      const { item } = parse('---\ntask_id: ""\nissue_id: ISS-0001\n---\n', 'TSK-0042-x.md');
      assert.equal(item?.id, 'TSK-0042');
      assert.equal(item?.title, 'TSK-0042');
      assert.equal(parse('---\ntitle: x\n---\n', 'notes.md').item?.id, 'notes');
    });

    it('labels come from tags and labels together; non-strings are skipped', () => {
      const { item } = parse(`${TASK}tags: [a, 3, b]\nlabels: [c]\n---\n`);
      assert.deepEqual(item?.labels, ['a', 'b', 'c']);
    });
  });

  describe('items of the older format', () => {
    it('an epic with token_usage by_agent and sync ids', () => {
      const { item, problems } = parseCorpus('legacy', 'tasks', 'epics', 'EPIC-001-modern-authentication.md');
      assert.deepEqual(briefs(problems), [['legacy-format', 1, 0, 1, 2]]);
      assert.equal(item?.format, 'legacy');
      assert.equal(item?.type, 'epic');
      assert.equal(item?.id, 'EPIC-001');
      assert.equal(item?.state, 'active');
      assert.equal(item?.rawState, 'in-progress');
      assert.deepEqual(item?.labels, ['authentication', 'security', 'backend']);
      assert.equal(item?.actualTokens, 22847);
      assert.equal(item?.created, '2025-01-01T09:00:00Z');
      assert.equal(item?.parentId, undefined);
    });

    it('an issue hangs under `epic:`; in-review is ready_for_qa', () => {
      const { item } = parseCorpus('legacy', 'tasks', 'issues', 'ISSUE-002-session-management.md');
      assert.equal(item?.parentId, 'EPIC-001');
      assert.equal(item?.state, 'ready_for_qa');
      assert.equal(item?.created, '2025-01-02');
    });

    it('a task hangs under `issue:` when it has one, else under `epic:`', () => {
      const t1 = parseCorpus('legacy', 'tasks', 'tasks', 'TASK-001-jwt-middleware.md').item;
      assert.equal(t1?.parentId, 'ISSUE-001');
      assert.equal(t1?.epicId, 'EPIC-001');
      assert.equal(t1?.state, 'planning');
      const t2 = parse('---\nid: TASK-009\ntype: task\ntitle: x\nepic: EPIC-001\n---\n', 'TASK-009-x.md').item;
      assert.equal(t2?.parentId, 'EPIC-001');
    });

    it('the body, AI_CONTEXT block included, starts after the frontmatter', () => {
      const { text, item } = parseCorpus('legacy', 'tasks', 'tasks', 'TASK-001-jwt-middleware.md');
      const body = text.slice(item!.bodyOffset);
      assert.ok(body.startsWith('\n# JWT Middleware Implementation\n'));
      assert.ok(body.includes('<!-- AI_CONTEXT_START -->\nExpress middleware'));
    });

    it('blocked and cancelled are statuses of the older document: no problem, open active and won\'t do', () => {
      const blocked = parse('---\nid: TASK-001\ntype: task\ntitle: x\nstatus: blocked\n---\n', 'TASK-001-x.md');
      assert.deepEqual(briefs(blocked.problems), [['legacy-format', 1, 0, 1, 2]]);
      assert.equal(blocked.item?.state, 'active');
      assert.equal(blocked.item?.rawState, 'blocked');
      const cancelled = parse('---\nid: EPIC-002\ntype: epic\ntitle: x\nstatus: cancelled\n---\n', 'EPIC-002-x.md', 'epic');
      assert.deepEqual(briefs(cancelled.problems), [['legacy-format', 1, 0, 1, 2]]);
      assert.equal(cancelled.item?.state, 'won_t_do');
      assert.equal(cancelled.item?.rawState, 'cancelled');
    });

    it('a status the project config declares is valid in that project only; by its name it may mean a state', () => {
      const declared = parseConfig('workflows:\n  statuses: [todo, security-review, Ready for QA, constructor]\n', 'p').config;
      const text = (status: string) => `---\nid: TASK-001\ntype: task\ntitle: x\nstatus: ${status}\n---\n`;
      const inProject = (status: string) => parseItem(text(status), contextFor('TASK-001-x.md', 'task', declared));
      for (const [status, state] of [['security-review', undefined], ['Ready for QA', 'ready_for_qa'], ['constructor', undefined], ['blocked', 'active']] as const) {
        const r = inProject(status);
        assert.deepEqual(briefs(r.problems), [['legacy-format', 1, 0, 1, 2]], status);
        assert.equal(r.item?.state, state, status);
        assert.equal(r.item?.rawState, status);
      }
      // Elsewhere the words are what they were: errors, no state. The list offered names the project's words.
      const other = parse(text('security-review'), 'TASK-001-x.md');
      const invalid = only(other.problems, 'invalid-value');
      assert.equal(invalid.data?.value, 'security-review');
      assert.deepEqual(invalid.data?.allowed, ['todo', 'open', 'in-progress', 'in-review', 'done', 'blocked', 'cancelled']);
      assert.equal(other.item?.state, undefined);
      assert.equal(only(parse(text('constructor'), 'TASK-001-x.md').problems, 'invalid-value').data?.value, 'constructor');
      assert.deepEqual(only(inProject('sec-review').problems, 'invalid-value').data?.allowed, [
        'todo', 'open', 'in-progress', 'in-review', 'done', 'blocked', 'cancelled', 'security-review', 'Ready for QA', 'constructor',
      ]);
      // The CLI's status words are its own: a config does not widen them.
      const cli = parseItem(`${TASK}status: security-review\n---\n`, contextFor('TSK-0001-x.md', 'task', declared));
      assert.equal(only(cli.problems, 'invalid-value').data?.value, 'security-review');
    });

    it('an epic\'s `owner:` is its assignee; `assignee` wins when both name someone', () => {
      const epic = (keys: string) => parse(`---\nid: EPIC-001\ntype: epic\ntitle: x\n${keys}---\n`, 'EPIC-001-x.md', 'epic');
      const owned = epic('owner: "@teamlead"\n');
      assert.deepEqual(briefs(owned.problems), [['legacy-format', 1, 0, 1, 2]]);
      assert.equal(owned.item?.assignee, '@teamlead');
      assert.equal(epic('owner: sarah\nassignee: alex\n').item?.assignee, 'alex');
      assert.equal(epic('assignee: ""\nowner: sarah\n').item?.assignee, 'sarah');
      // In the CLI format `owner` is a key like any other.
      assert.equal(parse('---\nepic_id: EP-0001\ntitle: x\nowner: sarah\n---\n', 'EP-0001-x.md', 'epic').item?.assignee, undefined);
    });

    it('`type:` of the file wins over the folder', () => {
      const { item } = parse('---\nid: ISSUE-004\ntype: issue\ntitle: x\n---\n', 'ISSUE-004-x.md', 'task');
      assert.equal(item?.type, 'issue');
    });

    it('a file with its CLI id key is the CLI format even with id: and type: present', () => {
      const { item, problems } = parse(`${TASK}id: TSK-0001\ntype: task\n---\n`);
      assert.equal(item?.format, 'cli');
      assert.deepEqual(problems, []);
    });

    it('unquoted dates that a YAML reader could turn into Dates stay strings', () => {
      const { item } = parse('---\nid: TASK-001\ntype: task\ntitle: x\ncreated: 2025-01-11\nupdated: 2025-01-12 10:00:00\n---\n', 'TASK-001-x.md');
      assert.equal(item?.created, '2025-01-11');
      assert.equal(item?.updated, '2025-01-12 10:00:00');
    });
  });

  describe('problems, each with its exact range', () => {
    it('no-frontmatter: the first line', () => {
      const r = parse('# Notes\n\ntask_id: TSK-0001\n');
      assert.equal(r.item, undefined);
      assert.deepEqual(briefs(r.problems), [['no-frontmatter', 0, 0, 0, 7]]);
      assert.equal(r.problems[0].severity, 'error');
    });

    it('no-frontmatter on an empty file', () => {
      assert.deepEqual(problemsOf(''), [['no-frontmatter', 0, 0, 0, 0]]);
    });

    it('unclosed-frontmatter: the first line', () => {
      const r = parse('---\ntask_id: TSK-0001\n\n# Body\n');
      assert.equal(r.item, undefined);
      assert.deepEqual(briefs(r.problems), [['unclosed-frontmatter', 0, 0, 0, 3]]);
    });

    it('not-a-mapping: the opening ---', () => {
      assert.deepEqual(problemsOf('---\n- a\n- b\n---\n'), [['not-a-mapping', 0, 0, 0, 3]]);
      assert.deepEqual(problemsOf('---\njust text\n---\n'), [['not-a-mapping', 0, 0, 0, 3]]);
      assert.deepEqual(problemsOf('\uFEFF---\n42\n---\n'), [['not-a-mapping', 0, 0, 0, 3]]);
    });

    it('unquoted-at: exactly the value, without a trailing comment, with the value in data', () => {
      const r = parse(`${TASK}assignee: @alice  # lead\n---\n`);
      const p = only(r.problems, 'unquoted-at');
      assert.deepEqual(briefs([p]), [['unquoted-at', 4, 10, 4, 16]]);
      assert.equal(p.severity, 'error');
      assert.deepEqual(p.data, { value: '@alice' });
      assert.equal(r.problems.length, 1);
    });

    it('unquoted-at: a value with spaces, and CRLF line ends', () => {
      assert.deepEqual(problemsOf(`${TASK}assignee: @alice smith\n---\n`), [['unquoted-at', 4, 10, 4, 22]]);
      const crlf = `${TASK}assignee: @alice\n---\n`.replace(/\n/g, '\r\n');
      const p = only(parse(crlf).problems, 'unquoted-at');
      assert.deepEqual(briefs([p]), [['unquoted-at', 4, 10, 4, 16]]);
      assert.equal(p.data?.value, '@alice');
    });

    it('unquoted-at: each member of a flow list on its own', () => {
      const r = parse(`${TASK}reviewers: [@bob, @carol]\n---\n`);
      assert.deepEqual(briefs(r.problems), [
        ['unquoted-at', 4, 12, 4, 16],
        ['unquoted-at', 4, 18, 4, 24],
      ]);
      assert.deepEqual(
        r.problems.map((p) => p.data?.value),
        ['@bob', '@carol'],
      );
    });

    it('yaml-syntax: where the YAML library says, at least one character', () => {
      assert.deepEqual(problemsOf(`${TASK}status: planning\nstatus: active\n---\n`), [['yaml-syntax', 5, 0, 5, 1]]);
      assert.deepEqual(problemsOf(`${TASK}\tstatus: active\n---\n`), [['yaml-syntax', 4, 0, 4, 1]]);
      assert.deepEqual(problemsOf(`${TASK}assignee: \`x\`\n---\n`), [['yaml-syntax', 4, 10, 4, 11]]);
      assert.deepEqual(problemsOf('---\ntask_id: TSK-0001\nissue_id: ISS-0001\ntitle: "unclosed\n---\n'), [['yaml-syntax', 3, 16, 4, 0]]);
    });

    it('a file with YAML errors is still indexed as an item, with the keys that could be read', () => {
      const r = parse(`${TASK}assignee: @alice\nstatus: active\n---\n`);
      assert.equal(r.item?.id, 'TSK-0001');
      assert.equal(r.item?.title, 'x');
    });

    it('missing-key: the opening --- (the key has no place yet), key in data', () => {
      const r = parse('---\ntask_id: TSK-0001\ntitle: x\n---\n');
      const p = only(r.problems, 'missing-key');
      assert.deepEqual(briefs([p]), [['missing-key', 0, 0, 0, 3]]);
      assert.deepEqual(p.data, { key: 'issue_id' });
      assert.equal(p.severity, 'error');
    });

    it('missing-key for a missing enum key too (older format without type:)', () => {
      const r = parse('---\nid: TASK-001\ntitle: x\n---\n', 'TASK-001-x.md');
      assert.deepEqual(briefs(r.problems), [
        ['missing-key', 0, 0, 0, 3],
        ['legacy-format', 1, 0, 1, 2],
      ]);
      assert.deepEqual(only(r.problems, 'missing-key').data, { key: 'type' });
    });

    it('missing-key: every required key of an empty frontmatter', () => {
      const r = parse('---\n---\n');
      assert.deepEqual(
        r.problems.map((p) => [p.code, p.data?.key]).sort(),
        [
          ['missing-key', 'issue_id'],
          ['missing-key', 'task_id'],
          ['missing-key', 'title'],
        ],
      );
      assert.equal(r.item?.id, 'TSK-0001');
    });

    it('invalid-value: the value, with the allowed values and the value in data', () => {
      const r = parse(`${TASK}priority: urgent\n---\n`);
      const p = only(r.problems, 'invalid-value');
      assert.deepEqual(briefs([p]), [['invalid-value', 4, 10, 4, 16]]);
      assert.deepEqual(p.data, { key: 'priority', allowed: ['low', 'medium', 'high', 'critical'], value: 'urgent' });
    });

    it('invalid-value for each enum key', () => {
      const keys = ['status', 'state', 'priority', 'sync_status'];
      const r = parse(`${TASK}${keys.map((k) => `${k}: nope`).join('\n')}\n---\n`);
      assert.deepEqual(
        briefs(r.problems),
        keys.map((k, i): Brief => ['invalid-value', 4 + i, k.length + 2, 4 + i, k.length + 6]),
      );
      const pr = parse('---\npr_id: PR-0001\nissue_id: ISS-0001\ntitle: x\npr_status: wip\n---\n', 'PR-0001-x.md', 'pr');
      assert.deepEqual(briefs(pr.problems), [['invalid-value', 4, 11, 4, 14]]);
    });

    it('invalid-type: the value', () => {
      assert.deepEqual(problemsOf(`${TASK}tags: frontend\n---\n`), [['invalid-type', 4, 6, 4, 14]]);
      assert.deepEqual(problemsOf('---\ntask_id: 5\nissue_id: ISS-0001\ntitle: x\n---\n'), [['invalid-type', 1, 9, 1, 10]]);
      assert.deepEqual(problemsOf(`${TASK}estimated_tokens: lots\n---\n`), [['invalid-type', 4, 18, 4, 22]]);
      assert.deepEqual(problemsOf(`${TASK}completion_percentage: 150\n---\n`), [['invalid-type', 4, 23, 4, 26]]);
    });

    it('invalid-type: a block list where text belongs covers the whole list', () => {
      const r = parse(`${TASK}assignee:\n  - alice\n  - bob\nstatus: active\n---\n`);
      const p = only(r.problems, 'invalid-type');
      assert.deepEqual(p.range.start, { line: 5, character: 2 });
      assert.ok(p.range.end.line >= 6);
    });

    it('invalid-date: the value, also inside state_metadata', () => {
      const r = parse(`${TASK}updated_date: yesterday\nstate_metadata:\n  transitioned_at: 12/10/2026\n---\n`);
      assert.deepEqual(briefs(r.problems), [
        ['invalid-date', 4, 14, 4, 23],
        ['invalid-date', 6, 19, 6, 29],
      ]);
      assert.deepEqual(
        r.problems.map((p) => p.data?.key).sort(),
        ['state_metadata.transitioned_at', 'updated_date'],
      );
    });

    it('leaked-key: a hint on the key', () => {
      const { problems } = parseCorpus('cli', 'tasks', 'issues', 'ISS-0002-wallet-payments.md');
      assert.deepEqual(briefs(problems), [
        ['leaked-key', 21, 0, 21, 7],
        ['leaked-key', 26, 0, 26, 9],
      ]);
      assert.ok(problems.every((p) => p.severity === 'hint'));
      assert.deepEqual(
        problems.map((p) => p.data?.key),
        ['content', 'file_path'],
      );
    });

    it('string-number: a hint on the quoted value', () => {
      const { problems } = parseCorpus('cli', 'tasks', 'tasks', 'TSK-0002-running-total.md');
      assert.deepEqual(briefs(problems), [
        ['string-number', 11, 18, 11, 24],
        ['string-number', 12, 15, 12, 21],
      ]);
      assert.ok(problems.every((p) => p.severity === 'hint'));
    });

    it('id-mismatch: the id value, with the id the file name implies', () => {
      const r = parse(TASK.replace('TSK-0001', 'TSK-0002') + '---\n', 'TSK-0009-copy.md');
      const p = only(r.problems, 'id-mismatch');
      assert.deepEqual(briefs([p]), [['id-mismatch', 1, 9, 1, 17]]);
      assert.deepEqual(p.data, { key: 'task_id', expectedId: 'TSK-0009' });
      assert.equal(p.severity, 'warning');
    });

    it("id-mismatch: an id with another prefix than the project's", () => {
      const r = parse('---\nepic_id: BEP-0001\ntitle: x\n---\n', 'invoices.md', 'epic');
      assert.deepEqual(briefs(r.problems), [['id-mismatch', 1, 9, 1, 17]]);
      assert.equal(r.problems[0].data?.expectedId, undefined);
    });

    it('id-mismatch: the project prefixes decide, and older-format ids use EPIC/ISSUE/TASK', () => {
      const billing = parseConfig('naming_conventions: {epic_prefix: BEP}\n', 'billing').config;
      const ctx = contextFor('BEP-0001-x.md', 'epic', billing);
      assert.deepEqual(parseItem('---\nepic_id: BEP-0001\ntitle: x\n---\n', ctx).problems, []);
      assert.deepEqual(problemsOf('---\nid: TSK-001\ntype: task\ntitle: x\n---\n', 'TSK-001-x.md'), [
        ['legacy-format', 1, 0, 1, 2],
        ['id-mismatch', 1, 4, 1, 11],
      ]);
    });

    it('id-mismatch is not checked for comments beyond the file name', () => {
      assert.deepEqual(parse('---\nid: NOTE-7\nissueId: ISS-0001\n---\n', 'NOTE-7.md', 'comment').problems, []);
    });

    it('legacy-format: a hint on the id key', () => {
      const r = parse('---\nid: TASK-001\ntype: task\ntitle: x\nstatus: todo\n---\n', 'TASK-001-x.md');
      const p = only(r.problems, 'legacy-format');
      assert.deepEqual(briefs([p]), [['legacy-format', 1, 0, 1, 2]]);
      assert.equal(p.severity, 'hint');
      assert.equal(r.problems.length, 1);
    });

    it('file-too-large: over the limit the text is not parsed', () => {
      const text = `${TASK}---\n${'x'.repeat(MAX_FILE_BYTES)}`;
      const r = parse(text);
      assert.equal(r.item, undefined);
      assert.deepEqual(briefs(r.problems), [['file-too-large', 0, 0, 0, 3]]);
      assert.equal(r.problems[0].severity, 'warning');
    });
  });

  describe('BOM and CRLF keep positions as an editor shows them', () => {
    const lf = `${TASK}priority: urgent\nassignee: @bob\n---\nbody\n`;
    const variants: [string, string][] = [
      ['LF', lf],
      ['CRLF', lf.replace(/\n/g, '\r\n')],
      ['BOM + LF', '\uFEFF' + lf],
      ['BOM + CRLF', '\uFEFF' + lf.replace(/\n/g, '\r\n')],
    ];
    for (const [name, text] of variants) {
      it(name, () => {
        const r = parse(text);
        assert.deepEqual(briefs(r.problems), [['unquoted-at', 5, 10, 5, 14]]);
        const r2 = parse(text.replace('@bob', 'bob'));
        assert.deepEqual(briefs(r2.problems), [['invalid-value', 4, 10, 4, 16]]);
        assert.deepEqual(r2.item?.keys.get('title')?.value, { start: { line: 3, character: 7 }, end: { line: 3, character: 8 } });
        assert.equal(r2.item?.title, 'x');
        const body = text.replace('@bob', 'bob').slice(r2.item!.bodyOffset);
        assert.equal(body.replace(/\r/g, ''), 'body\n');
      });
    }

    it('the corpus BOM and CRLF files parse clean, their bodies start right after the closing line', () => {
      for (const name of ['TSK-0003-empty-cart-state.md', 'TSK-0004-wallet-button.md']) {
        const { text, item, problems } = parseCorpus('cli', 'tasks', 'tasks', name);
        assert.deepEqual(problems, [], name);
        assert.match(text.slice(item!.bodyOffset), /^\r?\n# Task: /, name);
      }
    });

    it('a file without a newline after the closing --- has an empty body', () => {
      const { text, item, problems } = parseCorpus('cli', 'tasks', 'tasks', 'TSK-0005-payment-sheet-copy.md');
      assert.deepEqual(problems, []);
      assert.ok(text.endsWith('---'));
      assert.equal(item?.bodyOffset, text.length);
    });
  });

  // Expanded, the alias bomb would not finish within mocha's timeout: that is the "does not hang" check.
  describe('hostile input', function () {
    this.timeout(20000);

    it('an alias bomb does not hang, and is reported once', () => {
      let yaml = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
      let prev = 'a';
      for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
        yaml += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
        prev = name;
      }
      const r = parse(`---\n${yaml}task_id: TSK-0001\nissue_id: ISS-0001\ntitle: bomb\n---\n`);
      assert.deepEqual(briefs(r.problems), [['yaml-syntax', 0, 0, 0, 3]]);
      assert.match(r.problems[0].message, /alias/i);
    });

    it('nesting deeper than the stack is reported, not thrown', () => {
      const deep = '['.repeat(20000) + ']'.repeat(20000);
      const r = parse(`---\ntitle: ${deep}\n---\n`);
      assert.deepEqual(r.problems.map((p) => p.code), ['frontmatter-too-large']);
      // As deep as the node limit lets it be: read, and still reported rather than thrown.
      const limit = '['.repeat(1990) + ']'.repeat(1990);
      const within = parse(`---\ntitle: ${limit}\n---\n`);
      assert.ok(within.problems.length >= 1);
      assert.ok(within.problems.every((p) => p.code === 'yaml-syntax' || p.code === 'missing-key' || p.code === 'invalid-type'), JSON.stringify(within.problems.map((p) => p.code)));
    });

    it('a large file under the limit parses', () => {
      const body = '\nSome line of a long body with ISS-0001 in it.\n'.repeat(18000);
      assert.ok(body.length < MAX_FILE_BYTES);
      const text = `${TASK}---\n${body}`;
      const r = parse(text);
      assert.deepEqual(r.problems, []);
      assert.equal(text.length - r.item!.bodyOffset, body.length);
    });

    it('a frontmatter with as many keys as the limit allows parses', () => {
      const keys = Array.from({ length: 995 }, (_, i) => `x_key_${i}: value ${i}`).join('\n');
      const r = parse(`${TASK}${keys}\n---\n`);
      assert.deepEqual(r.problems, []);
      assert.equal(r.item!.keys.size, 998);
    });

    it('never throws, and keeps every range inside the text, for random input', () => {
      let seed = 1;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      const parts = ['---', '\n', '\r\n', ': ', 'task_id', 'TSK-0001', '@x', '[', ']', '{', '}', '- ', '  ', '#', '"', "'", '&a ', '*a', '|', '>', '\uFEFF', 'é', '\t', ',', '?', '!!str '];
      for (let i = 0; i < 1500; i++) {
        const text = '---\n' + Array.from({ length: Math.floor(rnd() * 40) }, () => parts[Math.floor(rnd() * parts.length)]).join('') + (rnd() < 0.8 ? '\n---\n' : '');
        const r = parse(text);
        const lines = text.split('\n');
        for (const p of r.problems) {
          for (const pos of [p.range.start, p.range.end]) {
            assert.ok(pos.line < lines.length, JSON.stringify(text));
            assert.ok(pos.character <= lines[pos.line].length, JSON.stringify(text));
          }
        }
      }
    });
  });

  it('the hash changes with the text', () => {
    const a = parse(`${TASK}---\n`).item!;
    const b = parse(`${TASK}---\n `).item!;
    assert.notEqual(a.hash, b.hash);
  });

  it('the file and root of the context are kept as given', () => {
    const ctx = contextFor('TSK-0001-x.md', 'task');
    const { item } = parseItem(`${TASK}---\n`, ctx);
    assert.equal(item?.file, ctx.file);
    assert.equal(item?.root, ctx.root);
    assert.equal(path.basename(item!.file), 'TSK-0001-x.md');
  });
});
