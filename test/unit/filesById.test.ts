import * as assert from 'assert/strict';
import { FilesById } from '../../src/core/filesById';

describe('FilesById', () => {
  it('keeps the files of an id in the order they came, through a second file and back to one', () => {
    const m = new FilesById();
    m.add('/p', 'ISS-1', 'a.md');
    m.add('/p', 'ISS-1', 'a.md');
    assert.deepEqual(m.get('/p', 'ISS-1'), ['a.md']);
    m.add('/p', 'ISS-1', 'b.md');
    m.add('/p', 'ISS-1', 'c.md');
    assert.deepEqual(m.get('/p', 'ISS-1'), ['a.md', 'b.md', 'c.md']);
    m.remove('/p', 'ISS-1', 'a.md');
    m.remove('/p', 'ISS-1', 'c.md');
    assert.deepEqual(m.get('/p', 'ISS-1'), ['b.md']);
    m.add('/p', 'ISS-1', 'a.md');
    assert.deepEqual(m.get('/p', 'ISS-1'), ['b.md', 'a.md']);
    m.remove('/p', 'ISS-1', 'b.md');
    m.remove('/p', 'ISS-1', 'a.md');
    assert.deepEqual(m.get('/p', 'ISS-1'), []);
  });

  it('keeps projects apart, and removing a file it does not hold changes nothing', () => {
    const m = new FilesById();
    m.add('/p', 'ISS-1', '/p/a.md');
    m.add('/q', 'ISS-1', '/q/a.md');
    m.remove('/p', 'ISS-1', '/q/a.md');
    m.remove('/r', 'ISS-1', '/p/a.md');
    m.remove('/p', 'ISS-2', '/p/a.md');
    assert.deepEqual(m.get('/p', 'ISS-1'), ['/p/a.md']);
    assert.deepEqual(m.get('/q', 'ISS-1'), ['/q/a.md']);
    // An id that is an Object.prototype member is just an id.
    m.add('/p', 'constructor', '/p/c.md');
    assert.deepEqual(m.get('/p', 'constructor'), ['/p/c.md']);
    assert.deepEqual(m.get('/p', 'toString'), []);
  });
});
