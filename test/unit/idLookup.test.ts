import * as assert from 'assert/strict';
import * as path from 'path';
import { defaultConfig } from '../../src/core/config';
import { idAt, knownPrefixes, resolveId } from '../../src/core/idLookup';
import { TaskIndex } from '../../src/core/index';

const A = path.resolve('/ws/a');
const B = path.resolve('/ws/b');
const fm = (lines: string[]) => ['---', ...lines, '---', ''].join('\n');

function index(): TaskIndex {
  const ix = new TaskIndex();
  const billing = defaultConfig('b');
  billing.prefixes = { epic: 'BEP', issue: 'BST', task: 'BTK', pr: 'BPR' };
  ix.setProject({ root: A, config: defaultConfig('a'), configErrors: [], hasConfig: true });
  ix.setProject({ root: B, config: billing, configErrors: [], hasConfig: true });
  ix.set(path.join(A, 'tasks/issues/ISS-0001-x.md'), fm(['issue_id: ISS-0001', 'title: In A']));
  ix.set(path.join(A, 'tasks/epics/BEP-0001-odd.md'), fm(['epic_id: BEP-0001', 'title: Odd id in A']));
  ix.set(path.join(B, 'tasks/issues/ISS-0001-y.md'), fm(['issue_id: ISS-0001', 'title: In B']));
  ix.set(path.join(B, 'tasks/epics/BEP-0001-y.md'), fm(['epic_id: BEP-0001', 'title: Billing epic']));
  ix.set(path.join(B, 'tasks/issues/BST-0002-y.md'), fm(['issue_id: BST-0002', 'title: Story']));
  return ix;
}

describe('idLookup', () => {
  it('knows every project prefix and the older format ones', () => {
    assert.deepEqual(knownPrefixes(index()).sort(), ['BEP', 'BPR', 'BST', 'BTK', 'EP', 'EPIC', 'ISS', 'ISSUE', 'PR', 'TASK', 'TSK']);
  });

  it('finds the id under a character, either end included', () => {
    const prefixes = ['EP', 'EPIC', 'ISS', 'TSK', 'BEP'];
    const line = 'See ISS-0001, EPIC-001 and feature/TSK-0002-form.';
    assert.deepEqual(idAt(line, 4, prefixes), { id: 'ISS-0001', start: 4, end: 12 });
    assert.deepEqual(idAt(line, 12, prefixes), { id: 'ISS-0001', start: 4, end: 12 });
    assert.deepEqual(idAt(line, 16, prefixes), { id: 'EPIC-001', start: 14, end: 22 });
    assert.deepEqual(idAt(line, 40, prefixes), { id: 'TSK-0002', start: 35, end: 43 });
    assert.equal(idAt(line, 2, prefixes), undefined);
    assert.equal(idAt('XEP-0001 FOO-0001', 2, prefixes), undefined);
    assert.equal(idAt('FOO-0001', 2, prefixes), undefined);
    assert.equal(idAt('ISS-0001', 2, []), undefined);
  });

  it('resolves in the project holding the file first, else in the first project that has the id', () => {
    const ix = index();
    const inA = path.join(A, 'README.md');
    const inB = path.join(B, 'notes/x.md');
    assert.deepEqual(resolveId(ix, inA, 'ISS-0001').map((i) => i.title), ['In A']);
    assert.deepEqual(resolveId(ix, inB, 'ISS-0001').map((i) => i.title), ['In B']);
    assert.deepEqual(resolveId(ix, inB, 'BEP-0001').map((i) => i.title), ['Billing epic']);
    assert.deepEqual(resolveId(ix, inA, 'BST-0002').map((i) => i.title), ['Story']);
    assert.deepEqual(resolveId(ix, undefined, 'ISS-0001').map((i) => i.title), ['In A']);
    assert.deepEqual(resolveId(ix, path.resolve('/elsewhere/x.md'), 'BST-0002').map((i) => i.title), ['Story']);
    assert.deepEqual(resolveId(ix, inA, 'ISS-0999'), []);
  });

  it('gives every file of a duplicate id', () => {
    const ix = index();
    ix.set(path.join(A, 'tasks/issues/ISS-0007-copy.md'), fm(['issue_id: ISS-0001', 'title: Copy']));
    assert.deepEqual(resolveId(ix, path.join(A, 'x.md'), 'ISS-0001').map((i) => i.title).sort(), ['Copy', 'In A']);
  });
});
