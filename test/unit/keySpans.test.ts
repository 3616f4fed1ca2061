import * as assert from 'assert';
import { KeySpans } from '../../src/core/keySpans';

describe('KeySpans', () => {
  const text = '---\nid: EP-1\r\ntitle: Two\n  lines\n---\n';
  const spans = KeySpans.fromSpans(['id', 'title'], [4, 6, 8, 12, 14, 19, 21, 32], text);

  it('gives back each key and value as line/character ranges, CRLF and all', () => {
    assert.deepStrictEqual(spans.get('id'), {
      key: { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } },
      value: { start: { line: 1, character: 4 }, end: { line: 1, character: 8 } },
    });
    assert.deepStrictEqual(spans.get('title')?.value, { start: { line: 2, character: 7 }, end: { line: 3, character: 7 } });
  });

  it('keeps the order of the file and says which keys it has', () => {
    assert.deepStrictEqual(spans.names(), ['id', 'title']);
    assert.deepStrictEqual([...spans.entries()].map(([k]) => k), ['id', 'title']);
    assert.equal(spans.size, 2);
    assert.ok(spans.has('title'));
    assert.ok(!spans.has('state'));
    assert.equal(spans.get('state'), undefined);
  });
});
