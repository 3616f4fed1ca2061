import * as assert from 'assert/strict';
import { Worker } from 'worker_threads';
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
      ['"(TSK-"', /not a usable regular expression: .*missing closing \)/],
      ['".*"', /matches empty text/],
      ['42', /must be a regular expression string/],
      // What RE2 cannot run in linear time, said in words a user looks for.
      ["'(?<![A-Z])(TSK-\\d+)'", /lookahead and lookbehind .* are not supported/],
      ["'(TSK-\\d+)(?=\\s)'", /lookahead and lookbehind .* are not supported/],
      ["'(TSK)-(\\d+) \\1'", /backreferences .* are not supported/],
      ["'(?<id>TSK-\\d+) \\k<id>'", /backreferences .* are not supported/],
      // Linear in the text, but with a factor of the pattern's size.
      ["'(\\w{0,1000})(\\w{0,1000})#'", /too complex: it compiles to \d+ steps, at most 1000/],
    ] as const) {
      const r = refPattern(config(`git: {patterns: {commit_task_ref: ${yaml}}}\n`));
      assert.match(r.error ?? '', why);
      assert.deepEqual(extractTaskRefs('TSK-0001', r.regex), ['TSK-0001']);
    }
  });

  describe('a configured pattern runs in time linear in the text', function () {
    // Each case runs in a worker: a pattern that backtracks would block this thread for minutes, and
    // there it fails by mocha's timeout instead of freezing the whole run.
    const workers: Worker[] = [];
    afterEach(() => Promise.all(workers.splice(0).map((w) => w.terminate())));

    /** extractTaskRefs of `text` under the pattern config.yaml sets, and the pattern's error, from a worker. */
    function refsInWorker(pattern: string, text: string): Promise<{ refs: string[]; error?: string }> {
      const code = `
        const { parentPort, workerData: w } = require('worker_threads');
        const { parseConfig } = require(w.config);
        const { extractTaskRefs, refPattern } = require(w.refs);
        const p = refPattern(parseConfig(w.yaml, 'p').config);
        parentPort.postMessage({ refs: extractTaskRefs(w.text, p.regex), error: p.error });`;
      const yaml = `git:\n  patterns:\n    commit_task_ref: ${JSON.stringify(pattern)}\n`;
      const workerData = { config: require.resolve('../../src/core/config'), refs: require.resolve('../../src/core/git/refs'), yaml, text };
      const worker = new Worker(code, { eval: true, workerData });
      workers.push(worker);
      return new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }

    /**
     * Patterns that backtrack exponentially (nested quantifiers, overlapping alternatives) or
     * polynomially (`(.*a){20}`) in JavaScript's engine, each beside a plain id alternative, and a text of
     * a few KB that names one id and then makes the other alternative fail slowly at every position.
     */
    function catastrophic(size: number): { pattern: string; text: string; refs: string[] }[] {
      const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length));
      return [
        // The one an audit found: 266 s on a 23-character message.
        { pattern: '(TSK-\\d+|(\\w+\\s?)+)+#', text: `TSK-12# ${fill('word ')}`, refs: ['TSK-12'] },
        ...[
          { evil: '(a+)+$', tail: `${fill('a')}!` },
          { evil: '(a|aa)+b', tail: fill('a') },
          { evil: '(\\w+\\s?)+#', tail: fill('ab ') },
          { evil: '(.*a){20}', tail: `${'a'.repeat(19)}${fill('x')}` },
          { evil: '((ab|a)*)*c', tail: fill('ab') },
        ].map(({ evil, tail }) => ({ pattern: `(TSK-\\d+)|${evil}`, text: `see TSK-3, ${tail}`, refs: ['TSK-3'] })),
      ];
    }

    for (const c of catastrophic(4096)) {
      it(`${c.pattern} on ${c.text.length} characters`, async () => {
        assert.deepEqual(await refsInWorker(c.pattern, c.text), { refs: c.refs, error: undefined });
      });
    }

    it('a message over 64 KiB is read up to 64 KiB, and a larger pattern reads less', async () => {
      const far = `${'x '.repeat(30 * 1024)}TSK-2`;
      assert.deepEqual((await refsInWorker('(TSK-\\d+)', `TSK-1 ${far}`)).refs, ['TSK-1', 'TSK-2']);
      assert.deepEqual((await refsInWorker('(TSK-\\d+)', `TSK-1 ${far} ${'y'.repeat(64 * 1024)} TSK-3`)).refs, ['TSK-1', 'TSK-2']);
      // About 600 steps: its budget of work covers the first few KB only.
      const big = `(TSK-\\d+)|${Array.from({ length: 12 }, (_, i) => `[a-z]{${40 + i}}#`).join('|')}`;
      assert.deepEqual(await refsInWorker(big, `TSK-1 ${far}`), { refs: ['TSK-1'], error: undefined });
    });
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
