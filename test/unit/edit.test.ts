import * as assert from 'assert/strict';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { applyEdits, EditError, editFrontmatter, FrontmatterChange, planEdits } from '../../src/core/edit';
import { findFrontmatter, MAX_FILE_BYTES, parseItem } from '../../src/core/parse';
import { LineMap } from '../../src/core/text';
import { contextFor, CORPUS, markdownFiles, readCorpus } from './helpers';

/** The frontmatter of a text as plain data (YAML 1.2, as parse.ts reads it). */
function dataOf(text: string): Record<string, unknown> {
  const block = findFrontmatter(text);
  assert.ok(typeof block === 'object', 'no frontmatter');
  return (parseYaml(text.slice(block.start, block.end)) as Record<string, unknown> | null) ?? {};
}

/** The part of `before` that `after` replaced: [start, end) in before, and the new text. */
function changedRegion(before: string, after: string): { start: number; end: number; inserted: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: before.length - tail, inserted: after.slice(start, after.length - tail) };
}

const crlfCount = (t: string) => t.split('\r\n').length - 1;
const lfOnlyCount = (t: string) => t.split(/(?<!\r)\n/).length - 1;

/** Everything that must hold after any edit: BOM, line ends, body, other keys. */
function assertPreserved(before: string, after: string, changes: readonly FrontmatterChange[]) {
  assert.equal(after.startsWith('\uFEFF'), before.startsWith('\uFEFF'), 'BOM');
  if (crlfCount(before) > 0 && lfOnlyCount(before) === 0) assert.equal(lfOnlyCount(after), 0, 'a CRLF file stays CRLF');
  if (crlfCount(before) === 0) assert.equal(crlfCount(after), 0, 'an LF file stays LF');
  const b1 = findFrontmatter(before);
  const b2 = findFrontmatter(after);
  assert.ok(typeof b1 === 'object' && typeof b2 === 'object');
  assert.equal(after.slice(b2.bodyOffset), before.slice(b1.bodyOffset), 'body');
  const old = dataOf(before);
  const now = dataOf(after);
  const touched = new Set(changes.map((c) => c.key));
  for (const key of Object.keys(old)) if (!touched.has(key)) assert.deepEqual(now[key], old[key], key);
  assert.deepEqual(
    Object.keys(now).filter((k) => !touched.has(k)),
    Object.keys(old).filter((k) => !touched.has(k)),
    'key order',
  );
}

/** Two candidates per key, so that the new value always differs from the old one. */
const NEW_VALUES: Record<string, [string, string]> = {
  title: ['Changed title', 'Other title'],
  description: ['Changed description', 'Other description'],
  priority: ['critical', 'low'],
  assignee: ['zed', 'yann'],
  author: ['zed', 'yann'],
  status: ['archived', 'active'],
};

describe('edit', () => {
  describe('every corpus file: changing one key touches only that key', () => {
    const files = markdownFiles(CORPUS);
    for (const file of files) {
      const rel = path.relative(CORPUS, file);
      const text = readCorpus(rel);
      const type = rel.includes(`${path.sep}comments${path.sep}`) ? 'comment' : 'task';
      const parsed = parseItem(text, contextFor(path.basename(file), type));
      const editable = parsed.item !== undefined && !parsed.problems.some((p) => ['yaml-syntax', 'unquoted-at', 'not-a-mapping'].includes(p.code));

      if (!editable) {
        it(`${rel}: refused, the text cannot be edited safely`, () => {
          assert.throws(() => planEdits(text, [{ key: 'title', value: 'x' }]), EditError);
        });
        continue;
      }

      const keys = Object.keys(NEW_VALUES).filter((k) => parsed.item!.keys.has(k));
      for (const key of keys) {
        it(`${rel}: ${key}`, () => {
          const [a, b] = NEW_VALUES[key];
          const change = { key, value: parsed.item!.data[key] === a ? b : a };
          const { text: after, edits } = editFrontmatter(text, [change]);
          assert.equal(edits.length, 1);
          const lines = new LineMap(text);
          const span = parsed.item!.keys.get(key)!;
          const keyEnd = lines.offsetAt(span.key.end);
          const valueEnd = lines.offsetAt(span.value.end);
          const region = changedRegion(text, after);
          assert.ok(region.start >= keyEnd && region.end <= valueEnd, `changed ${region.start}..${region.end}, key ${keyEnd}..${valueEnd}`);
          assert.equal(dataOf(after)[key], change.value);
          assertPreserved(text, after, [change]);
        });
      }

      it(`${rel}: inserting a key after the first key keeps every other byte`, () => {
        const first: string | undefined = parsed.item!.keys.names()[0];
        const change = { key: 'x_test', value: 'v', after: first };
        const { text: after } = editFrontmatter(text, [change]);
        const region = changedRegion(text, after);
        assert.equal(region.start, region.end, 'pure insertion');
        assert.match(region.inserted, /x_test: v\r?\n/);
        assertPreserved(text, after, [change]);
        assert.deepEqual(Object.keys(dataOf(after)).slice(0, 2), first ? [first, 'x_test'] : ['x_test']);
      });
    }
  });

  describe('quoting and style of the old value are kept', () => {
    const t6 = readCorpus('cli', 'tasks', 'tasks', 'TSK-0006-address-autocomplete.md');

    it('single-quoted stays single-quoted', () => {
      const { text } = editFrontmatter(t6, [{ key: 'title', value: "It's: new" }]);
      assert.ok(text.includes("\ntitle: 'It''s: new'\n"));
    });

    it('double-quoted stays double-quoted', () => {
      const { text } = editFrontmatter(t6, [{ key: 'assignee', value: 'bob' }]);
      assert.ok(text.includes('\nassignee: "bob"\n'));
    });

    it('a trailing comment stays', () => {
      const { text } = editFrontmatter(t6, [{ key: 'priority', value: 'low' }]);
      assert.ok(text.includes('\npriority: low  # raised after the usability test\n'));
      assert.ok(text.startsWith('---\n# Hand-edited: comments, flow lists and keys the CLI does not know.\n'));
    });

    it('a flow list stays a flow list', () => {
      const { text } = editFrontmatter(t6, [{ key: 'tags', value: ['frontend', 'a11y', 'i18n'] }]);
      assert.ok(text.includes('\ntags: [frontend, a11y, i18n]\n'));
    });

    it('a folded block value becomes a plain one, the next key untouched', () => {
      const { text } = editFrontmatter(t6, [{ key: 'description', value: 'Short now' }]);
      assert.ok(text.includes("\ntitle: 'Address autocomplete: \"as you type\"'\ndescription: Short now\nstatus: active\n"));
    });

    it('values that YAML would read as something else are quoted', () => {
      const base = '---\ntitle: x\n---\n';
      for (const v of ['yes', 'null', '0123', '2026-01-01', '---', '@alice', '#x', 'a: b', '[x]', '', ' padded ', 'true']) {
        const { text } = editFrontmatter(base, [{ key: 'title', value: v }]);
        assert.equal(dataOf(text).title, v, v);
        assert.equal(parseItem(text, contextFor('TSK-0001-x.md', 'task')).problems.filter((p) => p.code === 'yaml-syntax').length, 0);
      }
    });

    it('a hostile multi-line value cannot end the frontmatter or add keys', () => {
      const before = '---\ntask_id: TSK-0001\nissue_id: ISS-0001\ntitle: x\n---\nbody\n';
      const value = '"a: b" # c\n---\nstatus: archived\n';
      const { text } = editFrontmatter(before, [{ key: 'title', value }]);
      assert.equal(dataOf(text).title, value);
      assert.deepEqual(Object.keys(dataOf(text)), ['task_id', 'issue_id', 'title']);
      const block = findFrontmatter(text);
      assert.ok(typeof block === 'object');
      assert.equal(text.slice(block.bodyOffset), 'body\n');
    });

    it('numbers, booleans and null are written plain', () => {
      const before = '---\ntitle: x\nactual_tokens: "350"\nassignee: bob\nflag: no\n---\n';
      const { text } = editFrontmatter(before, [
        { key: 'actual_tokens', value: 350 },
        { key: 'assignee', value: null },
        { key: 'flag', value: true },
      ]);
      assert.equal(text, '---\ntitle: x\nactual_tokens: 350\nassignee: null\nflag: true\n---\n');
    });
  });

  describe('lists and nested maps', () => {
    const i1 = readCorpus('cli', 'tasks', 'issues', 'ISS-0001-cart-page.md');

    it('a block list is replaced by a block list at the same place', () => {
      const change = { key: 'related_tasks', value: ['TSK-0001', 'TSK-0009'] };
      const { text } = editFrontmatter(i1, [change]);
      assert.ok(text.includes('\nsync_status: local\nrelated_tasks:\n  - TSK-0001\n  - TSK-0009\nrelated_issues: []\n'));
      assertPreserved(i1, text, [change]);
    });

    it('an empty flow list gets its members inline', () => {
      const { text } = editFrontmatter(i1, [{ key: 'blocked_by', value: ['ISS-0009'] }]);
      assert.ok(text.includes('\nblocked_by: [ISS-0009]\nblocks:\n  - ISS-0002\n'));
    });

    it('a list emptied is written []', () => {
      const { text } = editFrontmatter(i1, [{ key: 'related_tasks', value: [] }]);
      assert.ok(text.includes('\nrelated_tasks: []\nrelated_issues: []\n'));
    });

    it('state_metadata (a nested map) is replaced as a block, indented under its key', () => {
      const value = { transitioned_at: '2026-11-01T00:00:00.000Z', transitioned_by: 'bob', previous_state: 'ready_for_qa', automation_eligible: false };
      const change = { key: 'state_metadata', value };
      const { text } = editFrontmatter(i1, [change]);
      assert.ok(
        text.includes(
          '\nstate: ready_for_qa\nstate_metadata:\n  transitioned_at: "2026-11-01T00:00:00.000Z"\n  transitioned_by: bob\n  previous_state: ready_for_qa\n  automation_eligible: false\npriority: high\n',
        ),
      );
      assert.deepEqual(dataOf(text).state_metadata, value);
      assertPreserved(i1, text, [change]);
    });

    it('a nested map is inserted as a block', () => {
      const before = '---\ntitle: x\nstate: done\n---\n';
      const { text } = editFrontmatter(before, [{ key: 'state_metadata', value: { previous_state: 'ready_for_deployment', reviewer: 'carol' }, after: 'state' }]);
      assert.equal(text, '---\ntitle: x\nstate: done\nstate_metadata:\n  previous_state: ready_for_deployment\n  reviewer: carol\n---\n');
    });
  });

  describe('inserting keys', () => {
    it('after the given key', () => {
      const before = '---\ntitle: x\nstatus: active\npriority: low\n---\nbody\n';
      const { text } = editFrontmatter(before, [{ key: 'state', value: 'ready_for_qa', after: 'status' }]);
      assert.equal(text, '---\ntitle: x\nstatus: active\nstate: ready_for_qa\npriority: low\n---\nbody\n');
    });

    it('after a key whose value is a block list: after the whole list', () => {
      const before = '---\ntitle: x\nai_context:\n  - a\n  - b\nsync_status: local\n---\n';
      const { text } = editFrontmatter(before, [{ key: 'tags', value: ['t'], after: 'ai_context' }]);
      assert.equal(text, '---\ntitle: x\nai_context:\n  - a\n  - b\ntags:\n  - t\nsync_status: local\n---\n');
    });

    it('after a key with a comment: after the comment, which stays on its line', () => {
      const t6 = readCorpus('cli', 'tasks', 'tasks', 'TSK-0006-address-autocomplete.md');
      const { text } = editFrontmatter(t6, [{ key: 'x', value: 1, after: 'issue_id' }]);
      assert.ok(text.includes('\nissue_id: ISS-0001   # cart page\nx: 1\nepic_id: EP-0001\n'));
    });

    it('at the end when there is no `after` or it does not exist', () => {
      const before = '---\ntitle: x\n---\n';
      assert.equal(editFrontmatter(before, [{ key: 'a', value: 1 }]).text, '---\ntitle: x\na: 1\n---\n');
      assert.equal(editFrontmatter(before, [{ key: 'a', value: 1, after: 'nope' }]).text, '---\ntitle: x\na: 1\n---\n');
    });

    it('several at one place come out in the order given', () => {
      const before = '---\ntitle: x\ndescription: d\n---\n';
      const { text } = editFrontmatter(before, [
        { key: 'status', value: 'active', after: 'description' },
        { key: 'state', value: 'active', after: 'description' },
        { key: 'state_metadata', value: { previous_state: 'planning' }, after: 'description' },
      ]);
      assert.equal(text, '---\ntitle: x\ndescription: d\nstatus: active\nstate: active\nstate_metadata:\n  previous_state: planning\n---\n');
    });

    it('into an empty frontmatter', () => {
      assert.equal(editFrontmatter('---\n---\nbody\n', [{ key: 'title', value: 'x' }]).text, '---\ntitle: x\n---\nbody\n');
    });

    it('with CRLF line ends in a CRLF file, BOM kept', () => {
      const t4 = readCorpus('cli', 'tasks', 'tasks', 'TSK-0004-wallet-button.md');
      const bom = '\uFEFF' + t4;
      const changes = [
        { key: 'state', value: 'active', after: 'status' },
        { key: 'tags', value: ['x', 'z'] },
      ];
      const { text } = editFrontmatter(bom, changes);
      assert.ok(text.startsWith('\uFEFF---\r\n'));
      assert.ok(text.includes('\r\nstatus: planning\r\nstate: active\r\npriority: medium\r\n'));
      assert.ok(text.includes('\r\nblocks: []\r\ntags:\r\n  - x\r\n  - z\r\n---\r\n'));
      assertPreserved(bom, text, changes);
    });

    it('into a file without a newline after the closing ---', () => {
      const t5 = readCorpus('cli', 'tasks', 'tasks', 'TSK-0005-payment-sheet-copy.md');
      const { text } = editFrontmatter(t5, [{ key: 'tags', value: ['copy'] }]);
      assert.ok(text.endsWith('\nblocks: []\ntags:\n  - copy\n---'));
    });

    it('a key that needs quoting is quoted', () => {
      const { text } = editFrontmatter('---\ntitle: x\n---\n', [{ key: 'a: b', value: 'c' }]);
      assert.equal(text, '---\ntitle: x\n"a: b": c\n---\n');
    });
  });

  describe('setting a key whose value is empty', () => {
    for (const [name, before, expected] of [
      ['bare', '---\ntitle:\nz: 1\n---\n', '---\ntitle: new\nz: 1\n---\n'],
      ['trailing spaces', '---\ntitle:   \nz: 1\n---\n', '---\ntitle: new   \nz: 1\n---\n'],
      ['a comment', '---\ntitle: # later\nz: 1\n---\n', '---\ntitle: new # later\nz: 1\n---\n'],
      ['last key', '---\nz: 1\ntitle:\n---\n', '---\nz: 1\ntitle: new\n---\n'],
      ['~', '---\ntitle: ~\nz: 1\n---\n', '---\ntitle: new\nz: 1\n---\n'],
      ['CRLF', '---\r\ntitle:\r\nz: 1\r\n---\r\n', '---\r\ntitle: new\r\nz: 1\r\n---\r\n'],
    ]) {
      it(name, () => assert.equal(editFrontmatter(before, [{ key: 'title', value: 'new' }]).text, expected));
    }
  });

  describe('removing keys', () => {
    const i2 = readCorpus('cli', 'tasks', 'issues', 'ISS-0002-wallet-payments.md');

    it('the leaked content (a block scalar) and file_path keys go, nothing else', () => {
      const changes = [
        { key: 'content', remove: true as const },
        { key: 'file_path', remove: true as const },
      ];
      const { text } = editFrontmatter(i2, changes);
      assert.ok(text.includes('\nblocks: []\n---\n\n# Issue: Wallet payments\n'));
      assert.equal(text, i2.replace(/content: \|-\n(?: {2}.*\n|\n)*file_path: .*\n/, ''));
      assertPreserved(i2, text, changes);
    });

    it('a block list, a nested map, and the last key before ---', () => {
      const t6 = readCorpus('cli', 'tasks', 'tasks', 'TSK-0006-address-autocomplete.md');
      const changes = [
        { key: 'automation', remove: true as const },
        { key: 'team', remove: true as const },
      ];
      const { text } = editFrontmatter(t6, changes);
      assert.ok(text.includes('\nx_agent_run: 7f3a9c\n---\n'));
      assertPreserved(t6, text, changes);
      const i1 = readCorpus('cli', 'tasks', 'issues', 'ISS-0001-cart-page.md');
      const r = editFrontmatter(i1, [{ key: 'related_tasks', remove: true }]);
      assert.ok(r.text.includes('\nsync_status: local\nrelated_issues: []\n'));
    });

    it('a key that is not there: no edit', () => {
      const before = '---\ntitle: x\n---\n';
      assert.deepEqual(planEdits(before, [{ key: 'nope', remove: true }]), []);
      assert.equal(editFrontmatter(before, [{ key: 'nope', remove: true }]).text, before);
    });

    it('in a file without a newline after the closing ---', () => {
      const t5 = readCorpus('cli', 'tasks', 'tasks', 'TSK-0005-payment-sheet-copy.md');
      const { text } = editFrontmatter(t5, [{ key: 'blocks', remove: true }]);
      assert.ok(text.endsWith('\nblocked_by: []\n---'));
    });

    it('in a CRLF file', () => {
      const t4 = readCorpus('cli', 'tasks', 'tasks', 'TSK-0004-wallet-button.md');
      const { text } = editFrontmatter(t4, [{ key: 'blocked_by', remove: true }]);
      assert.ok(text.includes('\r\nsubtasks: []\r\nblocks: []\r\n---\r\n'));
    });
  });

  describe('refusals', () => {
    it('files with YAML errors are refused, saying so', () => {
      for (const rel of [
        ['problems', 'tasks', 'issues', 'ISS-0001-unquoted-assignee.md'],
        ['problems', 'tasks', 'tasks', 'TSK-0009-duplicate-key.md'],
        ['problems', 'tasks', 'tasks', 'TSK-0010-bad-indent.md'],
      ]) {
        assert.throws(() => planEdits(readCorpus(...rel), [{ key: 'title', value: 'x' }]), (e: Error) => e instanceof EditError && /YAML errors/.test(e.message));
      }
    });

    it('what the reader finds clean is not refused: YAML the strict reading rejects but parse.ts reads', () => {
      for (const before of ['---\ntitle: "x"#note\ntags: [a]#b\n---\n', `---\ntitle: x\n${'k'.repeat(1100)}: 1\n---\n`]) {
        const parsed = parseItem(before, contextFor('TSK-0001-x.md', 'task'));
        assert.deepEqual(parsed.problems.filter((p) => p.code === 'yaml-syntax'), []);
        const after = editFrontmatter(before, [{ key: 'title', value: 'new' }]).text;
        assert.equal(after, before.replace(/title: "?x"?/, (m) => m.replace('x', 'new')));
      }
    });

    it('files without a closed frontmatter, or not a mapping, are refused', () => {
      assert.throws(() => planEdits(readCorpus('problems', 'tasks', 'tasks', 'TSK-0005-no-frontmatter.md'), [{ key: 'title', value: 'x' }]), EditError);
      assert.throws(() => planEdits(readCorpus('problems', 'tasks', 'tasks', 'TSK-0006-unclosed.md'), [{ key: 'title', value: 'x' }]), EditError);
      assert.throws(() => planEdits(readCorpus('problems', 'tasks', 'tasks', 'TSK-0007-list-frontmatter.md'), [{ key: 'title', value: 'x' }]), /not a mapping/);
    });

    it('one key changed twice in one edit is refused', () => {
      assert.throws(
        () => planEdits('---\ntitle: x\n---\n', [{ key: 'title', value: 'a' }, { key: 'title', remove: true }]),
        /changed twice/,
      );
    });
  });

  describe('verification catches a bad result', () => {
    it('changing an anchored value would orphan its alias: refused as an EditError', () => {
      const before = '---\ntitle: &t shared\ndescription: *t\n---\n';
      assert.throws(() => editFrontmatter(before, [{ key: 'title', value: 'other' }]), EditError);
    });

    it('a value that does not read back as written is refused', () => {
      assert.throws(() => editFrontmatter('---\ntitle: x\n---\n', [{ key: 'updated', value: new Date('2026-01-01T00:00:00Z') }]), EditError);
    });

    it('a new key written so that it reads back as another one is refused', () => {
      // YAML drops a byte order mark, so `\ufeff: x` is the key "" (and the plain key is not quoted); here "" is
      // set to the same value, so only the missing key "\ufeff" tells.
      const changes = [{ key: '\ufeff', value: false }, { key: '', value: false }];
      assert.throws(() => editFrontmatter('---\ntitle: x\n---\n', changes), /edit of \ufeff did not come out as intended/);
    });

    it('removing the last key before a document end marker would leave no mapping: refused', () => {
      const before = '---\nissue: x\n...\n---\nbody\n';
      assert.deepEqual(parseItem(before, contextFor('TSK-0001-x.md', 'task')).problems.filter((p) => p.code === 'not-a-mapping'), []);
      assert.throws(() => editFrontmatter(before, [{ key: 'issue', remove: true }]), (e: Error) => e instanceof EditError && /without a mapping/.test(e.message));
      assert.equal(editFrontmatter('---\nissue: x\n---\nbody\n', [{ key: 'issue', remove: true }]).text, '---\n---\nbody\n');
    });

    it('an edit that would make the file too large to be read again is refused', () => {
      const head = '---\ntask_id: TSK-0001\ntitle: x\n---\n';
      const before = head.padEnd(MAX_FILE_BYTES, 'z');
      assert.ok(parseItem(before, contextFor('TSK-0001-x.md', 'task')).item);
      assert.throws(() => editFrontmatter(before, [{ key: 'assignee', value: 'alice' }]), (e: Error) => e instanceof EditError && /too large/.test(e.message));
      // Counted in bytes, as the file is read: two-byte characters fill it at half the length.
      const wide = head + 'é'.repeat(Math.floor((MAX_FILE_BYTES - 10 - head.length) / 2));
      assert.ok(Buffer.byteLength(wide) <= MAX_FILE_BYTES);
      assert.throws(() => editFrontmatter(wide, [{ key: 'assignee', value: 'alice' }]), /too large/);
      assert.equal(editFrontmatter(before.slice(0, -20), [{ key: 'assignee', value: 'alice' }]).text.length, MAX_FILE_BYTES - 20 + 'assignee: alice\n'.length);
    });
  });

  describe('nesting deeper than the stack', () => {
    it('is refused as an EditError, not a RangeError out of the YAML library or the value comparison', () => {
      // Text nested about as deep as the stack allows overflows it in one reading and not in another, as the
      // engine's frames change size; a value nested far deeper overflows it every time.
      let deep: unknown = 'x';
      for (let i = 0; i < 100000; i++) deep = [deep];
      assert.throws(() => editFrontmatter('---\ntitle: x\n---\n', [{ key: 'x', value: deep }]), (e: Error) => e instanceof EditError && /nested too deeply/.test(e.message));
    });
  });

  describe('applyEdits', () => {
    it('applies edits given in any order', () => {
      const edits = [
        { offset: 6, length: 1, newText: 'Y' },
        { offset: 0, length: 1, newText: 'X' },
      ];
      assert.equal(applyEdits('abcdefg', edits), 'XbcdefY');
    });

    it('of two insertions at one offset, the one listed first comes first', () => {
      assert.equal(
        applyEdits('ab', [
          { offset: 1, length: 0, newText: '1' },
          { offset: 1, length: 0, newText: '2' },
        ]),
        'a12b',
      );
    });

    it('refuses overlapping edits', () => {
      assert.throws(
        () =>
          applyEdits('abcdef', [
            { offset: 1, length: 3, newText: 'x' },
            { offset: 2, length: 1, newText: 'y' },
          ]),
        EditError,
      );
    });
  });
});
