import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_FILE_BYTES } from '../../src/core/parse';
import { ReadOptions, ReadOutcome, readFilesBatched, readTaskFileSync as readTaskFile, startReadHelper } from '../../src/core/read';
import { hashText } from '../../src/core/text';
import { tempFolders, writeTree } from './helpers';

/** Every outcome in file order, and the batches as they came; each file is delivered exactly once. */
async function readAll(files: string[], options?: ReadOptions) {
  const outcomes: ReadOutcome[] = new Array(files.length);
  const starts: number[] = [];
  await readFilesBatched(files, (start, batch) => {
    batch.forEach((o, k) => {
      assert.equal(outcomes[start + k], undefined, `file ${start + k} delivered twice`);
      outcomes[start + k] = o;
    });
    starts.push(start);
  }, options);
  assert.equal(Object.keys(outcomes).length, files.length, 'every file delivered');
  return { outcomes, starts };
}

const byNameIn = (files: string[], outcomes: ReadOutcome[], n: string) => outcomes[files.findIndex((f) => path.basename(f) === n)];

describe('read', function () {
  this.timeout(20000);
  const temp = tempFolders();

  describe('readTaskFile', () => {
    it('reads text as it is (BOM and CRLF kept)', async () => {
      const root = writeTree(temp('read'), { 'a.md': '\uFEFF---\r\ntitle: x\r\n---\r\n' });
      assert.deepEqual(await readTaskFile(path.join(root, 'a.md')), { text: '\uFEFF---\r\ntitle: x\r\n---\r\n' });
    });

    it('a file over the limit is not read, its size is returned', async () => {
      const root = writeTree(temp('big'), { 'big.md': 'x'.repeat(MAX_FILE_BYTES + 1), 'edge.md': 'x'.repeat(MAX_FILE_BYTES) });
      assert.deepEqual(await readTaskFile(path.join(root, 'big.md')), { tooLarge: MAX_FILE_BYTES + 1 });
      assert.equal((await readTaskFile(path.join(root, 'edge.md'))).text?.length, MAX_FILE_BYTES);
    });

    it('a missing file gives an error, not an exception', async () => {
      const outcome = await readTaskFile(path.join(temp('missing'), 'nope.md'));
      assert.equal(outcome.text, undefined);
      assert.match(outcome.error ?? '', /ENOENT/);
    });
  });

  describe('readFilesBatched', () => {
    /** 700 files of every kind: multi-byte text, BOM and CRLF, empty, too large, missing, a folder. */
    function mixed() {
      const root = temp('mixed');
      const tree: Record<string, string> = {};
      for (let i = 0; i < 690; i++) tree[`f${i}.md`] = i % 3 ? `---\ntitle: «${i}» 日本 🚀\n---\nbody ${'é'.repeat(i)}\n` : `\uFEFF---\r\ntitle: ${i}\r\n---\r\n`;
      tree['empty.md'] = '';
      tree['big.md'] = 'y'.repeat(MAX_FILE_BYTES + 5);
      tree['edge.md'] = 'z'.repeat(MAX_FILE_BYTES);
      writeTree(root, tree);
      fs.mkdirSync(path.join(root, 'dir.md'));
      // Not UTF-8: decoding replaces the bad bytes, so the text's hash is not the bytes' hash.
      fs.writeFileSync(path.join(root, 'latin1.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x74, 0x3a, 0x20, 0xe9, 0xff, 0x0a]));
      const files = [...Object.keys(tree), 'gone.md', 'dir.md', 'latin1.md'].map((f) => path.join(root, f));
      // Interleave the odd ones with the plain ones, across batch boundaries.
      for (const [from, to] of [[690, 5], [691, 256], [692, 300], [693, 511], [694, 600]]) files.splice(to, 0, ...files.splice(from, 1));
      return files;
    }

    it('gives, through the worker, exactly what reading each file in place gives', async () => {
      const files = mixed();
      const { outcomes, starts } = await readAll(files, { minForWorker: 1, callerReads: false });
      assert.ok(starts.length > 1, 'more than one batch');
      assert.deepEqual([...starts].sort((a, b) => a - b), [0, 256, 512], 'each batch once');
      assert.equal(outcomes.length, files.length);
      for (let i = 0; i < files.length; i++) {
        const inPlace = await readTaskFile(files[i]);
        const { hash, ...outcome } = outcomes[i];
        if (inPlace.error) assert.ok(outcome.error && outcome.text === undefined, `${files[i]}: an error in both`);
        else assert.deepEqual(outcome, inPlace, files[i]);
        // The worker's hash of the bytes is the hash of the text, or absent.
        if (outcome.text !== undefined && path.basename(files[i]) !== 'latin1.md') assert.equal(hash, hashText(outcome.text), files[i]);
        else assert.equal(hash, undefined, files[i]);
      }
      assert.ok(byNameIn(files, outcomes, 'latin1.md').text?.includes('\ufffd'), 'the bad bytes were replaced');
      const byName = (n: string) => byNameIn(files, outcomes, n);
      assert.deepEqual(byName('big.md'), { tooLarge: MAX_FILE_BYTES + 5 });
      assert.equal(byName('edge.md').text?.length, MAX_FILE_BYTES);
      assert.equal(byName('empty.md').text, '');
      assert.match(byName('gone.md').error ?? '', /ENOENT/);
      assert.match(byName('dir.md').error ?? '', /EISDIR/);
    });

    it('read in place, or shared between the worker and the calling thread: the same result', async () => {
      const files = mixed();
      const brief = (r: { outcomes: ReadOutcome[] }) => r.outcomes.map((o) => o.text ?? o.tooLarge ?? 'error');
      const viaWorker = brief(await readAll(files, { minForWorker: 1, callerReads: false }));
      assert.deepEqual(brief(await readAll(files, { minForWorker: Infinity })), viaWorker);
      assert.deepEqual(brief(await readAll(files, { minForWorker: 1 })), viaWorker);
      // A worker started before the list was known (as a listing starts it) reads the same.
      assert.deepEqual(brief(await readAll(files, { minForWorker: 1, callerReads: false, helper: startReadHelper() })), viaWorker);
      // Too few files for it: it is stopped and they are read in place.
      assert.deepEqual(brief(await readAll(files.slice(0, 3), { helper: startReadHelper() })), viaWorker.slice(0, 3));
    });

    it('no files, no batches', async () => {
      assert.deepEqual(await readAll([], { minForWorker: 1 }), { outcomes: [], starts: [] });
    });

    it('an exception of the callback ends the read and is thrown, once', async () => {
      const files = mixed();
      let calls = 0;
      await assert.rejects(
        readFilesBatched(files, () => {
          calls++;
          throw new Error('parse bug');
        }, { minForWorker: 1 }),
        /parse bug/,
      );
      assert.equal(calls, 1);
    });
  });
});
