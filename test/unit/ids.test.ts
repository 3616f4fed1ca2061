import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  escapeRegExp,
  fileNameFor,
  fixerSlug,
  formatId,
  ID_PATTERN,
  idFromFileName,
  idRegExp,
  MAX_FILE_NAME_BYTES,
  nextNumber,
  parseCounters,
  prefixOf,
} from '../../src/core/ids';
import { tempFolders } from './helpers';

/** A small deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const HOSTILE_TITLES = [
  '',
  ' ',
  '..',
  '.',
  '../../etc/passwd',
  '..\\..\\windows\\system32',
  '/absolute/path',
  'C:\\Users\\x',
  'a/b\\c',
  'name\u0000with\u0000nul',
  'line\nbreak\r\nand\ttab',
  '---',
  '.hidden',
  'CON',
  'NUL.txt',
  '<script>alert(1)</script>',
  '"a: b" # c\n---',
  'Crème brûlée für Ärzte',
  'İstanbul ﬁle ＡＢＣ／def',
  '登录页面',
  '🚀🚀🚀',
  'ß and æ',
  '-leading and trailing-',
  '%2e%2e%2f',
  'x'.repeat(500),
  '\u202Egnp.exe',
];

function assertSafeFileName(name: string, id: string) {
  assert.equal(path.basename(name), name, name);
  assert.equal(path.win32.basename(name), name, name);
  assert.match(name, /^[A-Za-z0-9_-]+\.md$/, name);
  assert.ok(Buffer.byteLength(name) <= MAX_FILE_NAME_BYTES, name);
  assert.ok(name.startsWith(`${id}-`), name);
  assert.ok(!name.includes('..'), name);
  assert.equal(idFromFileName(name), id, name);
}

describe('ids', () => {
  describe('formatId', () => {
    it('pads to 4 digits as the CLI does', () => {
      assert.equal(formatId('ISS', 1), 'ISS-0001');
      assert.equal(formatId('EP', 42), 'EP-0042');
      assert.equal(formatId('TSK', 999), 'TSK-0999');
      assert.equal(formatId('PR', 9999), 'PR-9999');
    });
    it('uses 5 digits and more from 10000 on, never truncating', () => {
      assert.equal(formatId('ISS', 10000), 'ISS-10000');
      assert.equal(formatId('ISS', 99999), 'ISS-99999');
      assert.equal(formatId('ISS', 123456), 'ISS-123456');
    });
    it('every formatted id parses back to its prefix and number', () => {
      for (const n of [1, 9, 10, 999, 1000, 9999, 10000, 10001, 250000]) {
        const m = ID_PATTERN.exec(formatId('BST', n));
        assert.ok(m);
        assert.equal(m[1], 'BST');
        assert.equal(Number(m[2]), n);
      }
    });
  });

  describe('fixerSlug', () => {
    // Worked out by hand from the CLI's compliance fixer: lowercase; delete all but ASCII letters,
    // digits, `_`, whitespace and `-`; whitespace runs become `-`; dash runs become one `-`.
    const CASES: [string, string][] = [
      ['Login form', 'login-form'],
      ['Fix: the "remember me" box!', 'fix-the-remember-me-box'],
      ['Node.js', 'nodejs'],
      ['v1.2.3', 'v123'],
      ['snake_case', 'snake_case'],
      ['x_y-z', 'x_y-z'],
      ['a/b', 'ab'],
      ['Café au lait', 'caf-au-lait'],
      ['Ünïcödé 𝔘𝔫𝔦', 'ncd-'],
      ['ß and æ', '-and-'],
      ['ﬁle ＡＢＣ', 'le-'],
      ['İstanbul', 'istanbul'],
      ['KELVIN \u212A', 'kelvin-k'],
      ['..', ''],
      ['../../etc/passwd', 'etcpasswd'],
      ['C:\\Users\\x', 'cusersx'],
      ['🚀🚀🚀', ''],
      ['登录页面', ''],
      ['مرحبا بالعالم', '-'],
      ['Hello \u202Eworld', 'hello-world'],
      ['rtl \u200F mark', 'rtl-mark'],
      ['zero\u200Bwidth', 'zerowidth'],
      ['-leading and trailing-', '-leading-and-trailing-'],
      [' padded ', '-padded-'],
      ['a -- b', 'a-b'],
      ['tab\there\nnewline', 'tab-here-newline'],
      ['nbsp\u00a0here', 'nbsp-here'],
      ['\uFEFFbom', '-bom'],
      ['a '.repeat(150), `${'a-'.repeat(150)}`],
    ];
    it('gives the slug the CLI fixer computes, for ordinary and hostile titles', () => {
      for (const [title, slug] of CASES) assert.equal(fixerSlug(title), slug, JSON.stringify(title));
    });

    it('never leaves anything but [a-z0-9_-], for random unicode titles', () => {
      const rnd = random(7);
      const pool = ['/', '\\', '.', '..', ':', '\0', '\n', ' ', '-', '_', 'a', 'Z', '9', 'é', 'ß', '→', '😀', '\u0301', '\uFEFF', '\uD800', '%', '~', '\u2028', 'İ'];
      for (let i = 0; i < 2000; i++) {
        const t = Array.from({ length: Math.floor(rnd() * 30) }, () => pool[Math.floor(rnd() * pool.length)]).join('');
        assert.match(fixerSlug(t), /^[a-z0-9_-]*$/, JSON.stringify(t));
        assert.doesNotMatch(fixerSlug(t), /--/, JSON.stringify(t));
      }
    });
  });

  describe('fileNameFor', () => {
    it('is <id>-<slug>.md with the slug the CLI fixer keeps', () => {
      assert.equal(fileNameFor('ISS-0001', 'Login form'), 'ISS-0001-login-form.md');
      assert.equal(fileNameFor('TSK-0003', 'Support Node.js 22 in snake_case/CI'), 'TSK-0003-support-nodejs-22-in-snake_caseci.md');
      assert.equal(fileNameFor('EP-10000', ''), 'EP-10000-.md');
      assert.equal(fileNameFor('EP-0002', '🚀🚀🚀'), 'EP-0002-.md');
    });

    it('keeps long titles whole up to 200 bytes, and cuts there', () => {
      const long = 'Make the import of very large usage logs resumable after a crash or a lost connection';
      assert.equal(fileNameFor('ISS-0001', long), `ISS-0001-${fixerSlug(long)}.md`);
      const name = fileNameFor('ISS-0001', 'word '.repeat(80));
      assert.equal(Buffer.byteLength(name), MAX_FILE_NAME_BYTES);
      assert.ok(name.startsWith('ISS-0001-word-word-'), name);
    });

    it('is a safe file name in its folder for every hostile title', () => {
      for (const t of HOSTILE_TITLES) assertSafeFileName(fileNameFor('TSK-0007', t), 'TSK-0007');
    });

    describe('on a real disk', () => {
      const temp = tempFolders();
      it('each hostile title creates exactly one file, inside the folder', () => {
        const dir = temp('slug');
        const names = HOSTILE_TITLES.map((t, i) => fileNameFor(`TSK-${String(i + 1).padStart(4, '0')}`, t));
        for (const name of names) fs.writeFileSync(path.join(dir, name), 'x');
        assert.deepEqual(fs.readdirSync(dir).sort(), [...names].sort());
      });
    });
  });

  describe('idFromFileName', () => {
    it('reads the id a file name starts with', () => {
      assert.equal(idFromFileName('ISS-0001-login-form.md'), 'ISS-0001');
      assert.equal(idFromFileName('/a/b/tasks/epics/EP-0002-reporting.md'), 'EP-0002');
      assert.equal(idFromFileName('EPIC-001-legacy-onboarding.md'), 'EPIC-001');
      assert.equal(idFromFileName('COMMENT-0001.md'), 'COMMENT-0001');
      assert.equal(idFromFileName('ISS-10000-x.md'), 'ISS-10000');
      assert.equal(idFromFileName('TSK-0001.draft.md'), 'TSK-0001');
      assert.equal(idFromFileName('TSK-0001_notes.md'), 'TSK-0001');
    });
    it('gives undefined when the name does not start with an id', () => {
      for (const f of ['notes.md', 'README.md', 'ISS-.md', 'ISS-00a1-x.md', '-0001-x.md', '0001-x.md', 'ISS-0001x.md', 'my-project-0001.md']) {
        assert.equal(idFromFileName(f), undefined, f);
      }
    });
  });

  it('prefixOf reads the prefix of a well-formed id only', () => {
    assert.equal(prefixOf('ISS-0001'), 'ISS');
    assert.equal(prefixOf('EPIC-001'), 'EPIC');
    assert.equal(prefixOf('BUG_X-7'), 'BUG_X');
    for (const id of ['ISS', 'ISS-', 'ISS-01a', '1SS-0001', ' ISS-0001', 'ISS-0001-x']) assert.equal(prefixOf(id), undefined, id);
  });

  describe('idRegExp', () => {
    it('finds ids of the given prefixes in free text, longest prefix first', () => {
      const re = idRegExp(['ISS', 'ISSUE', 'EP', 'EPIC', 'TSK']);
      const text = 'Fixes ISS-0001 and ISSUE-003; see EPIC-001, EP-0002 (TSK-0010). Not XISS-0001 nor ISS-0001a.';
      assert.deepEqual(text.match(re), ['ISS-0001', 'ISSUE-003', 'EPIC-001', 'EP-0002', 'TSK-0010']);
    });
    it('escapes prefixes and ignores duplicates', () => {
      const re = idRegExp(['A_B', 'A_B']);
      assert.deepEqual('A_B-1 AxB-2'.match(re), ['A_B-1']);
      assert.equal(escapeRegExp('a.b*c'), 'a\\.b\\*c');
    });
  });

  describe('parseCounters', () => {
    it('reads the CLI counters.json (values are the NEXT number)', () => {
      assert.deepEqual(parseCounters('{"epic":6,"issue":5,"task":5,"pr":3,"comment":1}'), { epic: 6, issue: 5, task: 5, pr: 3, comment: 1 });
    });
    it('drops values that are not positive whole numbers, and keys that are not counters', () => {
      assert.deepEqual(parseCounters('{"epic":"6","issue":0,"task":-2,"pr":2.5,"comment":null}'), {});
      assert.deepEqual(parseCounters('{"task":7,"version":3,"__proto__":4}'), { task: 7 });
    });
    it('gives {} for missing, corrupt or non-object files', () => {
      for (const t of [undefined, '', '{', 'null', '[1,2]', '"x"', '42', '{"epic":']) assert.deepEqual(parseCounters(t), {}, String(t));
    });
  });

  describe('nextNumber', () => {
    it('takes the counter when nothing on disk is higher', () => {
      assert.equal(nextNumber(5, ['ISS-0001', 'ISS-0004'], 'ISS'), 5);
    });
    it('moves past the highest id on disk', () => {
      assert.equal(nextNumber(3, ['ISS-0001', 'ISS-0009', 'ISS-0004'], 'ISS'), 10);
      assert.equal(nextNumber(undefined, ['ISS-0002'], 'ISS'), 3);
      assert.equal(nextNumber(undefined, [], 'ISS'), 1);
      assert.equal(nextNumber(1, ['ISS-9999'], 'ISS'), 10000);
      assert.equal(nextNumber(1, ['ISS-10000'], 'ISS'), 10001);
    });
    it('treats a zero or negative counter as absent', () => {
      assert.equal(nextNumber(0, [], 'EP'), 1);
      assert.equal(nextNumber(-4, ['EP-0002'], 'EP'), 3);
    });
    it('only counts ids of its own prefix', () => {
      assert.equal(nextNumber(2, ['ISSUE-0040', 'TSK-0050', 'XISS-0060', 'ISS-0001-copy'], 'ISS'), 2);
    });
    it('never returns a number already used on disk, whatever the counter says', () => {
      const rnd = random(42);
      for (let round = 0; round < 500; round++) {
        const taken = new Set<number>();
        for (let i = 0, n = Math.floor(rnd() * 20); i < n; i++) taken.add(1 + Math.floor(rnd() * 12000));
        const counter = rnd() < 0.2 ? undefined : Math.floor(rnd() * 15000) - 100;
        const ids = [...taken].map((n) => formatId('TSK', n));
        const next = nextNumber(counter, ids, 'TSK');
        assert.ok(!taken.has(next), `counter ${counter}, taken ${[...taken]}: ${next}`);
        assert.ok(next >= 1);
        assert.ok(!ids.includes(formatId('TSK', next)));
      }
    });
  });
});
