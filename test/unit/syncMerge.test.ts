import * as assert from 'assert/strict';
import { mergeFields } from '../../src/core/sync/merge';
import { GitHubProvider, stripMarker, withMarker, nextLink } from '../../src/core/sync/github';
import { SyncFields } from '../../src/core/sync/provider';
import { mergeText, splitLines } from '../../src/core/sync/textMerge';

const github = new GitHubProvider({ owner: 'acme', repo: 'shop', token: 't' });
/** A provider that holds every field, priority included, and compares states exactly. */
const exact = { fields: new Set(['title', 'body', 'state', 'labels', 'assignee', 'priority'] as const), sameState: (a: string, b: string) => a === b };
const f = (o: Partial<SyncFields> = {}): SyncFields => ({ title: 'T', body: 'a\nb\nc\n', state: 'planning', labels: [], ...o });

describe('sync textMerge', () => {
  it('keeps line ends byte for byte', () => {
    assert.deepEqual(splitLines('a\r\nb\nc'), ['a\r\n', 'b\n', 'c']);
    assert.equal(splitLines('a\r\nb\nc').join(''), 'a\r\nb\nc');
  });
  it('combines non-overlapping hunks from both sides', () => {
    const base = 'one\ntwo\nthree\nfour\nfive\n';
    assert.deepEqual(mergeText(base, 'ONE\ntwo\nthree\nfour\nfive\n', 'one\ntwo\nthree\nfour\nFIVE\nsix\n'), { ok: true, text: 'ONE\ntwo\nthree\nfour\nFIVE\nsix\n' });
    assert.deepEqual(mergeText(base, 'one\nthree\nfour\nfive\n', 'one\ntwo\nthree\nfour\n'), { ok: true, text: 'one\nthree\nfour\n' });
  });
  it('overlapping different hunks conflict; identical ones merge', () => {
    const base = 'one\ntwo\nthree\n';
    assert.deepEqual(mergeText(base, 'one\n2\nthree\n', 'one\nTWO\nthree\n'), { ok: false });
    assert.deepEqual(mergeText(base, 'one\n2\nthree\nx\n', 'one\n2\nthree\n'), { ok: true, text: 'one\n2\nthree\nx\n' });
    // Adjacent edits count as overlapping, as diff3 does.
    assert.deepEqual(mergeText(base, 'ONE\ntwo\nthree\n', 'one\nTWO\nthree\n'), { ok: false });
    // Two insertions at the same place that differ.
    assert.deepEqual(mergeText(base, 'zero\none\ntwo\nthree\n', 'nil\none\ntwo\nthree\n'), { ok: false });
  });
});

describe('sync merge per field', () => {
  it('labels the service spells alike are one label, in the local spelling', () => {
    const hyphens = { ...exact, labelKey: (l: string) => l.replace(/\s+/g, '-') };
    const m = mergeFields(f({ labels: ['needs review'] }), f({ labels: ['needs review'] }), f({ labels: ['needs-review', 'urgent'] }), hyphens);
    assert.deepEqual([m.toLocal, m.toRemote, m.conflicts], [{ labels: ['needs review', 'urgent'] }, {}, []]);
    const gone = mergeFields(f({ labels: ['needs review'] }), f({ labels: ['needs review'] }), f({ labels: [] }), hyphens);
    assert.deepEqual(gone.toLocal, { labels: [] });
  });

  it('without a base, a body differing only in trailing blank lines and a missing priority against medium are no difference', () => {
    const m = mergeFields(undefined, f({ body: 'a\nb\n\n', priority: 'medium' }), f({ body: 'a\nb' }), exact);
    assert.deepEqual([m.toLocal, m.toRemote, m.conflicts], [{}, {}, []]);
    const d = mergeFields(undefined, f({ body: 'a\nb\n', priority: 'high' }), f({ body: 'a\nb c' }), exact);
    assert.deepEqual(d.conflicts.map((c) => c.field), ['body', 'priority']);
  });

  it('one side changed: that side wins; both the same: fine', () => {
    const m = mergeFields(f(), f({ title: 'L' }), f({ assignee: 'bob' }), exact);
    assert.deepEqual(m.toRemote, { title: 'L' });
    assert.deepEqual(m.toLocal, { assignee: 'bob' });
    assert.deepEqual(m.conflicts, []);
    const same = mergeFields(f(), f({ priority: 'high' }), f({ priority: 'high' }), exact);
    assert.deepEqual([same.toLocal, same.toRemote, same.conflicts], [{}, {}, []]);
  });
  it('both changed differently: a conflict as data, the local value kept, nothing sent', () => {
    const m = mergeFields(f(), f({ title: 'L' }), f({ title: 'R' }), exact);
    assert.deepEqual(m.conflicts, [{ field: 'title', base: 'T', local: 'L', remote: 'R' }]);
    assert.deepEqual([m.toLocal, m.toRemote], [{}, {}]);
  });
  it('labels merge as sets', () => {
    const m = mergeFields(f({ labels: ['a', 'b'] }), f({ labels: ['a', 'c'] }), f({ labels: ['b', 'd'] }), exact);
    assert.deepEqual(m.merged.labels, ['c', 'd']);
    assert.deepEqual(m.toLocal, { labels: ['c', 'd'] });
  });
  it("GitHub's coarse open never overwrites a finer local state; a real remote close does", () => {
    const keep = mergeFields(f({ state: 'active' }), f({ state: 'ready_for_qa' }), f({ state: 'planning' }), github);
    assert.deepEqual([keep.toLocal, keep.toRemote, keep.conflicts], [{}, {}, []]);
    const close = mergeFields(f({ state: 'ready_for_qa' }), f({ state: 'ready_for_qa' }), f({ state: 'done' }), github);
    assert.deepEqual(close.toLocal, { state: 'done' });
    const both = mergeFields(f({ state: 'active' }), f({ state: 'won_t_do' }), f({ state: 'done' }), github);
    assert.deepEqual(both.conflicts.map((c) => c.field), ['state']);
  });
  it('fields the provider does not hold are left alone', () => {
    const m = mergeFields(f(), f({ priority: 'critical' }), f(), github);
    assert.deepEqual([m.toLocal, m.toRemote], [{}, {}]);
  });
  it('held fields (open conflicts) are neither pushed nor pulled', () => {
    const m = mergeFields(f(), f({ title: 'L' }), f({ title: 'T' }), exact, new Set(['title']));
    assert.deepEqual(m.toRemote, {});
  });
});

describe('GitHub marker and links', () => {
  it('the marker round-trips and is stripped exactly', () => {
    for (const body of ['', 'x', 'x\n', 'a\n\nb\n']) assert.deepEqual(stripMarker(withMarker(body, 'ISS-0001')), { body, localId: 'ISS-0001' });
    assert.deepEqual(stripMarker('plain'), { body: 'plain' });
  });
  it('reads the next link of a Link header', () => {
    assert.equal(nextLink('<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last"'), 'https://api.github.com/repositories/1/issues?page=2');
    assert.equal(nextLink('<https://x/?page=1>; rel="first"'), undefined);
  });
});
