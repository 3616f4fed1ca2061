import * as assert from 'assert/strict';
import { defaultConfig, parseConfig } from '../../src/core/config';
import { branchNameFor, branchPattern, branchSlug, DEFAULT_BRANCH_PATTERN, refFormatError } from '../../src/core/git/branch';
import { extractTaskRefs, refPattern } from '../../src/core/git/refs';
import { gitAcceptsBranch } from './gitRepo';
import { seededRandom } from './helpers';

const HOSTILE = [
  '../../x',
  'a..b',
  'x@{upstream}',
  'name.lock',
  'refs.lock/',
  '  spaces  everywhere  ',
  'tab\there\nnewline\r\x00nul\x07bell\x7f',
  '-rf --force',
  '~^:?*[\\',
  '@',
  '.hidden',
  'HEAD',
  'trailing dot.',
  'Émile & Zoë: ünïcödé',
  '日本語のタイトル',
  '🔥🔥🔥',
  '',
  '----',
  'x'.repeat(500),
  '$(rm -rf /) `id` ; | &&',
  'a/b//c///',
];

describe('git: branch names', function () {
  // Each name is checked by a real git process; a loaded machine needs the time.
  this.timeout(30000);

  it('the default pattern gives type/id-slug', () => {
    assert.equal(branchNameFor({ id: 'TSK-0001', type: 'task', title: 'Form markup' }), 'task/TSK-0001-form-markup');
    assert.equal(branchNameFor({ id: 'ISS-0002', type: 'issue', title: 'Émile & Zoë: ünïcödé' }), 'issue/ISS-0002-emile-zoe-unicode');
  });

  it('hostile titles always give names git accepts, carrying the id', () => {
    const pattern = refPattern(defaultConfig('p')).regex;
    for (const title of HOSTILE) {
      const name = branchNameFor({ id: 'TSK-0042', type: 'task', title });
      assert.ok(gitAcceptsBranch(name), `git refuses ${JSON.stringify(name)} (from ${JSON.stringify(title)})`);
      assert.equal(refFormatError(name), undefined);
      assert.match(name, /^task\/TSK-0042-[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(name.length <= 'task/TSK-0042-'.length + 40);
      assert.deepEqual(extractTaskRefs(name, pattern), ['TSK-0042']);
    }
  });

  it('random titles too (seeded)', () => {
    const rnd = seededRandom(7);
    const alphabet = ['.', '/', '@', '{', '}', '~', '^', ':', '?', '*', '[', '\\', ' ', '\t', '\x01', '-', 'a', 'Z', '9', 'é', 'ß', '🙂', 'lock'];
    for (let i = 0; i < 60; i++) {
      const title = Array.from({ length: rnd.int(30) }, () => rnd.pick(alphabet)).join('');
      const name = branchNameFor({ id: 'ISS-7', type: 'issue', title });
      assert.ok(gitAcceptsBranch(name), `git refuses ${JSON.stringify(name)}`);
    }
  });

  it('slugs are bounded, lowercase ASCII and never empty', () => {
    assert.equal(branchSlug('🔥🔥'), 'work');
    assert.equal(branchSlug('Untitled'), 'untitled');
    assert.equal(branchSlug('x'.repeat(90)).length, 40);
    for (const t of ['', ' ', '..', '---', '登录页面', '/']) assert.equal(branchSlug(t), 'work', JSON.stringify(t));
    assert.equal(branchSlug('a'.repeat(39) + ' b c'), 'a'.repeat(39));
  });

  it('slugs read as the title: accents folded, punctuation a single hyphen', () => {
    assert.equal(branchSlug('Login form'), 'login-form');
    assert.equal(branchSlug('Fix: the "remember me" box!'), 'fix-the-remember-me-box');
    assert.equal(branchSlug('Crème brûlée für Ärzte'), 'creme-brulee-fur-arzte');
    assert.equal(branchSlug('ﬁle ＡＢＣ'), 'file-abc');
    assert.equal(branchSlug('Node.js snake_case'), 'node-js-snake-case');
  });

  it('refFormatError agrees with git check-ref-format --branch', () => {
    const names = ['ok/name', 'a..b', 'a/.b', 'a.lock', 'a/b.lock/c', 'a b', 'a~b', 'a^b', 'a:b', 'a?b', 'a*b', 'a[b', 'a\\b', '/a', 'a/', 'a//b', 'a.', 'a@{b', 'a@b', 'x\x01y', 'x\x7fy', 'feature/TSK-1-x'];
    for (const n of names) assert.equal(refFormatError(n) === undefined, gitAcceptsBranch(n), n);
    // Stricter than git where git would read the name as something else.
    assert.ok(refFormatError('-x'));
    assert.ok(refFormatError('HEAD'));
    assert.ok(refFormatError('@'));
  });

  it('reads git.branch_pattern and rejects patterns that cannot work', () => {
    const read = (v: string) => branchPattern(parseConfig(`git: {branch_pattern: ${JSON.stringify(v)}}\n`, 'p').config);
    assert.deepEqual(read('feature/{id}/{slug}'), { pattern: 'feature/{id}/{slug}' });
    assert.equal(branchNameFor({ id: 'TSK-1', type: 'task', title: 'A b' }, read('{id}-{title}').pattern), 'TSK-1-a-b');
    for (const [v, why] of [
      ['{type}/{slug}', /has no \{id\}/],
      ['{id}/{owner}', /unknown placeholder \{owner\}/],
      ['../{id}', /invalid branch names/],
      ['{id}.lock', /invalid branch names/],
      ['x y/{id}', /invalid branch names/],
    ] as const) {
      const r = read(v);
      assert.equal(r.pattern, DEFAULT_BRANCH_PATTERN);
      assert.match(r.error ?? '', why);
    }
    assert.deepEqual(branchPattern(defaultConfig('p')), { pattern: DEFAULT_BRANCH_PATTERN });
  });

  it('an id that is not a ref-safe word is refused with a clear error', () => {
    assert.throws(() => branchNameFor({ id: '../x y', type: 'task', title: 't' }), /is not valid/);
  });
});
