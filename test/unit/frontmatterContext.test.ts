import * as assert from 'assert/strict';
import { frontmatterContextAt } from '../../src/core/frontmatterContext';

/** The context at the `|` in `marked` (the bar is removed from the text). */
function at(marked: string) {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const c = frontmatterContextAt(text, offset);
  return c && { path: c.path.join('.'), inList: c.inList, word: text.slice(c.start, c.end), space: c.space };
}

describe('frontmatterContext', () => {
  it('finds the key of a scalar value and the whole word under the cursor', () => {
    assert.deepEqual(at('---\ntitle: T\nstatus: ac|tive\n---\n'), { path: 'status', inList: false, word: 'active', space: false });
    assert.deepEqual(at('---\nstatus: |\n---\n'), { path: 'status', inList: false, word: '', space: false });
    assert.deepEqual(at('---\nstatus:|\n---\n'), { path: 'status', inList: false, word: '', space: true });
    assert.deepEqual(at('---\nepic_id: "EP-00|01"\n---\n'), { path: 'epic_id', inList: false, word: 'EP-0001', space: false });
  });

  it('finds the owner of a block list item, past other items', () => {
    const text = '---\ntitle: T\nblocked_by:\n  - TSK-0001\n  - TSK-00|\nblocks: []\n---\n';
    assert.deepEqual(at(text), { path: 'blocked_by', inList: true, word: 'TSK-00', space: false });
    assert.deepEqual(at('---\ndependencies:\n- |\n---\n'), { path: 'dependencies', inList: true, word: '', space: false });
  });

  it('finds flow list items, and nothing after the list is closed', () => {
    assert.deepEqual(at('---\nrelated_issues: [ISS-0001, IS|]\n---\n'), { path: 'related_issues', inList: true, word: 'IS', space: false });
    assert.deepEqual(at('---\nrelated_issues: [|]\n---\n'), { path: 'related_issues', inList: true, word: '', space: false });
    assert.equal(at('---\nrelated_issues: [ISS-0001] |\n---\n'), undefined);
  });

  it('gives the path of nested keys', () => {
    const text = '---\nstate_metadata:\n  transitioned_by: alice\n  previous_state: pl|\npriority: low\n---\n';
    assert.deepEqual(at(text), { path: 'state_metadata.previous_state', inList: false, word: 'pl', space: false });
  });

  it('works with CRLF line ends and a BOM', () => {
    assert.deepEqual(at('\ufeff---\r\nissue_id: ISS-0001\r\npriority: hi|gh\r\n---\r\nbody\r\n'), { path: 'priority', inList: false, word: 'high', space: false });
  });

  it('is undefined outside frontmatter values: keys, comments, the body, the fences, unclosed frontmatter', () => {
    assert.equal(at('---\nsta|tus: active\n---\n'), undefined);
    assert.equal(at('---\nstatus: active # a co|mment\n---\n'), undefined);
    assert.equal(at('---\nstatus: active\n---\nstatus: |\n'), undefined);
    assert.equal(at('--|-\nstatus: active\n---\n'), undefined);
    assert.equal(at('---\nstatus: |\n'), undefined);
    assert.equal(at('no frontmatter: |\n'), undefined);
  });
});
