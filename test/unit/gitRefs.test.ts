import * as assert from 'assert/strict';
import { defaultConfig, parseConfig } from '../../src/core/config';
import { DEFAULT_STATUS_KEYWORDS, keywordTransitions, statusKeywords } from '../../src/core/git/keywords';
import { extractTaskRefs, grepFor, namesTask, refKey, refPattern } from '../../src/core/git/refs';

const config = (yaml: string) => parseConfig(yaml, 'p').config;
const pattern = refPattern(defaultConfig('p')).regex;

describe('git: task refs', () => {
  it('finds ids of every configured and legacy prefix, once each, in order', () => {
    const refs = extractTaskRefs('TSK-0002: form, see ISS-0001 and EPIC-001; also tsk-2 and PR-7', pattern);
    assert.deepEqual(refs, ['TSK-0002', 'ISS-0001', 'EPIC-001', 'PR-7']);
  });

  it('uses the project prefixes from naming_conventions', () => {
    const c = config('naming_conventions: {epic_prefix: BEP, issue_prefix: BIS, task_prefix: BTK, pr_prefix: BPR}\n');
    const p = refPattern(c).regex;
    assert.deepEqual(extractTaskRefs('BTK-0003 after TASK-001, not TSK-0001', p), ['BTK-0003', 'TASK-001']);
  });

  it('ignores ids glued to other words and text that only looks like an id', () => {
    const hostile = 'XTSK-1 TSK-1a TSK_1 TSK- -TSK- TSK-\u0661 ÉTSK-2 TSK-3\u200b a/TSK-4/b ../../TSK-5 `TSK-6`';
    assert.deepEqual(extractTaskRefs(hostile, pattern), ['TSK-3', 'TSK-4', 'TSK-5', 'TSK-6']);
  });

  it('survives huge and pathological messages', () => {
    const big = `${'TSK-'.repeat(50_000)}1 ${'-'.repeat(100_000)} TSK-9`;
    assert.deepEqual(extractTaskRefs(big, pattern), []);
    assert.deepEqual(extractTaskRefs(`TSK-1 ${'x'.repeat(200_000)} TSK-2`, pattern), ['TSK-1']);
  });

  it('one key per id whatever the padding or case', () => {
    assert.equal(refKey('tsk-0001'), 'TSK-1');
    assert.equal(refKey('TSK-1'), 'TSK-1');
    assert.equal(refKey('TSK-0'), 'TSK-0');
    assert.equal(refKey('not an id'), undefined);
    assert.ok(namesTask('Done with tsk-01', 'TSK-0001', pattern));
    assert.ok(!namesTask('Done with TSK-10', 'TSK-0001', pattern));
  });

  it('takes git.patterns.commit_task_ref when it is a usable regex, its first group as the id', () => {
    const c = config('git:\n  patterns:\n    commit_task_ref: "\\\\[((?:TASK|ISSUE)-\\\\d+)\\\\]"\n');
    const r = refPattern(c);
    assert.equal(r.error, undefined);
    assert.deepEqual(extractTaskRefs('[TASK-001] and TASK-002 and [ISSUE-3]', r.regex), ['TASK-001', 'ISSUE-3']);
  });

  it('reports a bad commit_task_ref and falls back to the default', () => {
    for (const [yaml, why] of [
      ['"(TSK-"', /not a valid regular expression/],
      ['".*"', /matches empty text/],
      ['42', /must be a regular expression string/],
    ] as const) {
      const r = refPattern(config(`git: {patterns: {commit_task_ref: ${yaml}}}\n`));
      assert.match(r.error ?? '', why);
      assert.deepEqual(extractTaskRefs('TSK-0001', r.regex), ['TSK-0001']);
    }
  });

  it('builds a git --grep prefilter for any padding', () => {
    assert.equal(grepFor('TSK-0001'), 'TSK-0*1([^0-9]|$)');
    assert.throws(() => grepFor('TSK-1; rm -rf /'), /not a task id/);
  });
});

describe('git: status keywords', () => {
  const defaults = statusKeywords(defaultConfig('p')).keywords;

  it('defaults to fixes/closes/resolves → done', () => {
    assert.deepEqual(Object.fromEntries(defaults), DEFAULT_STATUS_KEYWORDS);
    assert.deepEqual(keywordTransitions('Fixes TSK-0001', defaults, pattern), [{ id: 'TSK-0001', to: 'done', keyword: 'fixes' }]);
  });

  it('reads lists after a keyword: commas, "and", #, a colon, a full stop', () => {
    const t = keywordTransitions('Login form\n\nCloses: TSK-1, #TSK-2 and ISS-0003. Also mentions TSK-4.', defaults, pattern);
    assert.deepEqual(t.map((x) => x.id), ['TSK-1', 'TSK-2', 'ISS-0003']);
  });

  it('several keywords in one line each take their own ids', () => {
    const kw = statusKeywords(config('git: {patterns: {status_keywords: {fixes: done, wip: active}}}\n')).keywords;
    const t = keywordTransitions('Fixes TSK-0002, wip ISS-0003 and ISS-4; fixes EP-1', kw, pattern);
    assert.deepEqual(t.map((x) => [x.id, x.to]), [['TSK-0002', 'done'], ['ISS-0003', 'active'], ['ISS-4', 'active'], ['EP-1', 'done']]);
  });

  it('needs the id right after the keyword, and the keyword as a whole word', () => {
    assert.deepEqual(keywordTransitions('fix the login (TSK-1)', defaults, pattern), []);
    assert.deepEqual(keywordTransitions('prefixes TSK-1; suffixed TSK-2; unfixed TSK-3', defaults, pattern), []);
    assert.deepEqual(keywordTransitions('TSK-1 fixes nothing', defaults, pattern), []);
  });

  it('the last keyword for an id wins', () => {
    const kw = statusKeywords(config('git: {patterns: {status_keywords: {wip: in-progress, fixes: done}}}\n')).keywords;
    const t = keywordTransitions('wip TSK-1\nfixes tsk-1', kw, pattern);
    assert.deepEqual(t, [{ id: 'tsk-1', to: 'done', keyword: 'fixes' }]);
  });

  it('accepts both config shapes and words of either format', () => {
    const a = statusKeywords(config('git: {patterns: {status_keywords: {fixes: done, wip: in-progress, ships: completed}}}\n'));
    assert.deepEqual(Object.fromEntries(a.keywords), { fixes: 'done', wip: 'active', ships: 'done' });
    const b = statusKeywords(config('git: {patterns: {status_keywords: {done: [Fixes, closes], ready_for_qa: [review]}}}\n'));
    assert.deepEqual(Object.fromEntries(b.keywords), { fixes: 'done', closes: 'done', review: 'ready_for_qa' });
    assert.deepEqual(a.errors, []);
  });

  it('reports keywords and states it cannot use, and an empty map turns the feature off', () => {
    const bad = statusKeywords(config('git: {patterns: {status_keywords: {"two words": done, fixes: finished, "a|b": done}}}\n'));
    assert.equal(bad.keywords.size, 0);
    assert.equal(bad.errors.length, 3);
    const off = statusKeywords(config('git: {patterns: {status_keywords: {}}}\n'));
    assert.equal(off.keywords.size, 0);
    assert.deepEqual(keywordTransitions('fixes TSK-1', off.keywords, pattern), []);
  });
});
