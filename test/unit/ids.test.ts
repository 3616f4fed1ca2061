import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  escapeRegExp,
  fileNameFor,
  formatId,
  ID_PATTERN,
  idFromFileName,
  idRegExp,
  nextNumber,
  parseCounters,
  prefixOf,
  slugify,
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
  assert.match(name, /^[A-Za-z0-9-]+\.md$/, name);
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

  describe('slugify', () => {
    it('makes readable slugs of ordinary titles', () => {
      assert.equal(slugify('Login form'), 'login-form');
      assert.equal(slugify('Fix: the "remember me" box!'), 'fix-the-remember-me-box');
      assert.equal(slugify('Crème brûlée für Ärzte'), 'creme-brulee-fur-arzte');
      assert.equal(slugify('ﬁle ＡＢＣ'), 'file-abc');
    });

    it('gives "untitled" when nothing usable is left', () => {
      for (const t of ['', ' ', '..', '.', '---', '登录页面', '🚀🚀🚀', '/']) assert.equal(slugify(t), 'untitled', JSON.stringify(t));
    });

    it('keeps at most 50 characters and never ends on a dash', () => {
      const s = slugify('word '.repeat(40));
      assert.ok(s.length <= 50, s);
      assert.ok(!s.endsWith('-'), s);
      assert.equal(slugify('a'.repeat(49) + ' b c'), 'a'.repeat(49));
      assert.equal(slugify('Hello world', 5), 'hello');
    });

    it('never produces anything but [a-z0-9-], for hostile titles', () => {
      for (const t of HOSTILE_TITLES) {
        const s = slugify(t);
        assert.match(s, /^[a-z0-9]+(-[a-z0-9]+)*$/, JSON.stringify(t));
        assert.ok(s.length <= 50);
      }
    });

    it('never produces anything but [a-z0-9-], for random unicode titles', () => {
      const rnd = random(7);
      const pool = ['/', '\\', '.', '..', ':', '\0', '\n', ' ', '-', '_', 'a', 'Z', '9', 'é', 'ß', '→', '😀', '\u0301', '\uFEFF', '\uD800', '%', '~'];
      for (let i = 0; i < 2000; i++) {
        const t = Array.from({ length: Math.floor(rnd() * 30) }, () => pool[Math.floor(rnd() * pool.length)]).join('');
        assert.match(slugify(t), /^[a-z0-9]+(-[a-z0-9]+)*$/, JSON.stringify(t));
      }
    });
  });

  describe('fileNameFor', () => {
    it('is <id>-<slug>.md', () => {
      assert.equal(fileNameFor('ISS-0001', 'Login form'), 'ISS-0001-login-form.md');
      assert.equal(fileNameFor('EP-10000', ''), 'EP-10000-untitled.md');
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
