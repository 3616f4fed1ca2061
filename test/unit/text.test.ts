import * as assert from 'assert/strict';
import { eolOf, hashText, LineMap } from '../../src/core/text';
import { seededRandom } from './helpers';

describe('text', () => {
  describe('LineMap', () => {
    it('answers the same whatever it is asked first (it reads line starts only as far as asked)', () => {
      const r = seededRandom(7);
      const pieces = ['a', 'bc', '\n', '\r\n', '\r', '\ufeff', ' ', '\u{1F600}'];
      for (let n = 0; n < 300; n++) {
        const text = Array.from({ length: r.int(40) }, () => r.pick(pieces)).join('');
        const full = new LineMap(text);
        full.positionAt(text.length); // every line start read at once
        const lazy = new LineMap(text);
        const offsets = Array.from({ length: 20 }, () => r.int(text.length + 3) - 1);
        for (const o of offsets) assert.deepEqual(lazy.positionAt(o), full.positionAt(o), `${JSON.stringify(text)} at ${o}`);
        const late = new LineMap(text);
        for (const line of [5, 0, 2, 9, 1]) {
          const pos = { line, character: 1 };
          assert.equal(late.offsetAt(pos), full.offsetAt(pos), `${JSON.stringify(text)} line ${line}`);
        }
      }
    });

    it('maps offsets to lines and characters and back (LF)', () => {
      const text = 'ab\ncde\n\nf';
      const m = new LineMap(text);
      const expected = [
        [0, 0, 0],
        [1, 0, 1],
        [2, 0, 2],
        [3, 1, 0],
        [6, 1, 3],
        [7, 2, 0],
        [8, 3, 0],
        [9, 3, 1],
      ];
      for (const [offset, line, character] of expected) {
        assert.deepEqual(m.positionAt(offset), { line, character }, `offset ${offset}`);
        assert.equal(m.offsetAt({ line, character }), offset, `line ${line}:${character}`);
      }
    });

    it('with CRLF, a position never points between the \\r and the \\n: that is the end of the line, as editors count', () => {
      const text = 'ab\r\ncd\r\n';
      const m = new LineMap(text);
      assert.deepEqual(m.positionAt(2), { line: 0, character: 2 });
      assert.deepEqual(m.positionAt(3), { line: 0, character: 2 });
      assert.deepEqual(m.positionAt(4), { line: 1, character: 0 });
      assert.deepEqual(m.positionAt(text.length), { line: 2, character: 0 });
      assert.equal(m.offsetAt({ line: 1, character: 1 }), 5);
    });

    it('a lone \\r ends a line, as it does in editors (and in YAML)', () => {
      const text = 'ab\rcd\r\nef\ng\r\rh';
      const m = new LineMap(text);
      const expected = [
        [2, 0, 2],
        [3, 1, 0],
        [5, 1, 2],
        [7, 2, 0],
        [10, 3, 0],
        [11, 3, 1],
        [12, 4, 0],
        [13, 5, 0],
        [14, 5, 1],
      ];
      for (const [offset, line, character] of expected) {
        assert.deepEqual(m.positionAt(offset), { line, character }, `offset ${offset}`);
        assert.equal(m.offsetAt({ line, character }), offset, `line ${line}:${character}`);
      }
      assert.deepEqual(new LineMap('\uFEFFx\ry').positionAt(4), { line: 1, character: 1 });
    });

    it('counts line 0 from after a BOM, as editors (which drop it) show the text', () => {
      const m = new LineMap('\uFEFF---\nx');
      assert.deepEqual(m.positionAt(0), { line: 0, character: 0 });
      assert.deepEqual(m.positionAt(1), { line: 0, character: 0 });
      assert.deepEqual(m.positionAt(4), { line: 0, character: 3 });
      assert.deepEqual(m.positionAt(5), { line: 1, character: 0 });
      assert.strictEqual(m.offsetAt({ line: 0, character: 3 }), 4);
      assert.strictEqual(m.offsetAt({ line: 1, character: 0 }), 5);
    });

    it('counts UTF-16 code units, as editors do (an emoji is two)', () => {
      const text = 'title: 🚀 go\nnext';
      const m = new LineMap(text);
      assert.deepEqual(m.positionAt(text.indexOf('go')), { line: 0, character: 10 });
      assert.deepEqual(m.positionAt(text.indexOf('next')), { line: 1, character: 0 });
    });

    it('clamps offsets and positions outside the text', () => {
      const m = new LineMap('ab\ncd');
      assert.deepEqual(m.positionAt(-5), { line: 0, character: 0 });
      assert.deepEqual(m.positionAt(99), { line: 1, character: 2 });
      assert.equal(m.offsetAt({ line: 9, character: 0 }), 3);
      assert.equal(m.offsetAt({ line: 0, character: 99 }), 5);
    });

    it('range() turns two offsets into a range', () => {
      const m = new LineMap('ab\ncde');
      assert.deepEqual(m.range(1, 5), { start: { line: 0, character: 1 }, end: { line: 1, character: 2 } });
    });

    it('an empty text has one line', () => {
      const m = new LineMap('');
      assert.deepEqual(m.positionAt(0), { line: 0, character: 0 });
      assert.equal(m.offsetAt({ line: 3, character: 3 }), 0);
    });

    it('agrees with a line-by-line count on a large text', () => {
      const lines = Array.from({ length: 5000 }, (_, i) => 'x'.repeat(i % 37));
      const text = lines.join('\n');
      const m = new LineMap(text);
      let offset = 0;
      for (let line = 0; line < lines.length; line += 97) {
        offset = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
        const character = Math.floor(lines[line].length / 2);
        assert.deepEqual(m.positionAt(offset + character), { line, character });
        assert.equal(m.offsetAt({ line, character }), offset + character);
      }
    });
  });

  describe('hashText', () => {
    it('is stable for the same text and differs for any change, including line ends and a BOM', () => {
      const a = '---\ntitle: x\n---\n';
      assert.equal(hashText(a), hashText(String(a)));
      const variants = [a.replace('x', 'y'), a.replace(/\n/g, '\r\n'), '\uFEFF' + a, a + ' ', a.slice(0, -1)];
      const hashes = new Set([hashText(a), ...variants.map(hashText)]);
      assert.equal(hashes.size, variants.length + 1);
    });
  });

  describe('eolOf', () => {
    it('finds the first line end of the file', () => {
      assert.equal(eolOf('a\nb\r\n'), '\n');
      assert.equal(eolOf('a\r\nb\n'), '\r\n');
      assert.equal(eolOf('\uFEFF---\r\n'), '\r\n');
    });
    it('defaults to \\n without any line end', () => {
      assert.equal(eolOf(''), '\n');
      assert.equal(eolOf('---'), '\n');
      assert.equal(eolOf('\n'), '\n');
    });
  });
});
