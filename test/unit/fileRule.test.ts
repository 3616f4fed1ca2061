import * as assert from 'assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readProjectFileSync, readProjectTextIfExists, readRegularTextSync, UnreadableFileError } from '../../src/core/fileRule';
import { TaskIndex } from '../../src/core/index';
import { loadProject, readIndexedFile, readProjectEntries } from '../../src/core/project';
import { readFilesBatched, ReadOutcome } from '../../src/core/read';
import { tempFolders, writeTree } from './helpers';

const TASK = '---\nepic_id: EP-0001\ntitle: Inside\nstatus: planning\n---\n';
const SECRET = '---\nepic_id: EP-0002\ntitle: Outside secret\nstatus: planning\n---\n';

/** A FIFO at `file`: opening it for reading the usual way waits until a writer comes, which none does. */
function fifo(file: string): string {
  execFileSync('mkfifo', [file]);
  return file;
}

describe('fileRule: what a repository brings is read only as regular files inside the project', function () {
  // A read that blocks on a FIFO never returns: mocha's timeout is what fails then.
  this.timeout(10000);
  const temp = tempFolders();

  /** A project with one epic, and a file outside it that links from inside point to. */
  function project() {
    const base = temp('rule');
    const root = writeTree(path.join(base, 'project'), { '.ai-trackdown/config.yaml': 'name: p\n', 'tasks/epics/EP-0001-inside.md': TASK });
    const outside = writeTree(path.join(base, 'outside'), { 'secret.md': SECRET, 'epics/EP-0003-x.md': SECRET });
    return { root, outside, epics: path.join(root, 'tasks', 'epics') };
  }

  it('reads a regular file inside the project, and a link to one', () => {
    const { root, epics } = project();
    fs.symlinkSync(path.join(epics, 'EP-0001-inside.md'), path.join(epics, 'EP-0004-alias.md'));
    assert.deepEqual(readProjectFileSync(root, path.join(epics, 'EP-0001-inside.md')), { text: TASK });
    assert.deepEqual(readProjectFileSync(root, path.join(epics, 'EP-0004-alias.md')), { text: TASK });
  });

  it('refuses a link that leads out of the project, and a file under a linked folder', () => {
    const { root, outside, epics } = project();
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(epics, 'EP-0002-link.md'));
    const linked = readProjectFileSync(root, path.join(epics, 'EP-0002-link.md'));
    assert.equal(linked.text, undefined);
    assert.match(linked.error ?? '', /EP-0002-link\.md is a link to a place outside the project/);
    fs.symlinkSync(path.join(outside, 'epics'), path.join(root, 'tasks', 'prs'));
    assert.equal(readProjectFileSync(root, path.join(root, 'tasks', 'prs', 'EP-0003-x.md')).text, undefined);
    assert.throws(() => readRegularTextSync(path.join(epics, 'EP-0002-link.md'), { root }), UnreadableFileError);
  });

  it('refuses a FIFO without waiting for a writer, in every reader', async () => {
    const { root, epics } = project();
    const pipe = fifo(path.join(epics, 'EP-0005-pipe.md'));
    const single = readProjectFileSync(root, pipe);
    assert.equal(single.text, undefined);
    assert.match(single.error ?? '', /not a regular file/);
    assert.throws(() => readRegularTextSync(pipe), /not a regular file/);
    assert.throws(() => readProjectTextIfExists(root, pipe), /not a regular file/);
    // The batched reader, on this thread and in its worker.
    const files = Array.from({ length: 40 }, (_, i) => (i === 17 ? pipe : path.join(epics, 'EP-0001-inside.md')));
    for (const minForWorker of [Infinity, 1]) {
      const outcomes: ReadOutcome[] = [];
      await readFilesBatched(files, (start, batch) => batch.forEach((o, k) => (outcomes[start + k] = o)), { minForWorker, callerReads: minForWorker === Infinity });
      assert.match(outcomes[17].error ?? '', /not a regular file/);
      assert.equal(outcomes.filter((o) => o.text === TASK).length, 39);
    }
  });

  it('reports a missing file as missing, not as refused', () => {
    const { root, epics } = project();
    const gone = path.join(epics, 'EP-0009-gone.md');
    assert.equal(readProjectFileSync(root, gone).code, 'ENOENT');
    assert.equal(readProjectTextIfExists(root, gone), undefined);
    assert.throws(() => readRegularTextSync(gone), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  });

  it('indexes a path the file watcher reports only when the rule allows it', async () => {
    const { root, outside, epics } = project();
    const index = new TaskIndex();
    index.setProject(await loadProject(root));
    const link = path.join(epics, 'EP-0002-link.md');
    fs.symlinkSync(path.join(outside, 'secret.md'), link);
    const pipe = fifo(path.join(epics, 'EP-0005-pipe.md'));
    assert.equal(readIndexedFile(index, link).text, undefined);
    assert.equal(readIndexedFile(index, pipe).text, undefined);
    assert.equal(readIndexedFile(index, path.join(epics, 'EP-0001-inside.md')).text, TASK);
    assert.match(readIndexedFile(index, path.join(outside, 'secret.md')).error ?? '', /lies in no project/);
    // The scan agrees: neither the link nor the FIFO is listed.
    const read = await readProjectEntries(index, index.getProject(root)!);
    assert.deepEqual(read.map((r) => path.basename(r.file)), ['EP-0001-inside.md']);
  });

  it('a config that is a FIFO or a link out of the project gives an error and the defaults, at once', async () => {
    const a = project();
    const config = path.join(a.root, '.ai-trackdown', 'config.yaml');
    fs.rmSync(config);
    fifo(config);
    const piped = await loadProject(a.root);
    assert.equal(piped.hasConfig, true);
    assert.match(piped.configErrors.map((e) => e.message).join('\n'), /not a regular file.*Using the defaults/);
    const b = project();
    const linked = path.join(b.root, '.ai-trackdown', 'config.yaml');
    fs.rmSync(linked);
    fs.writeFileSync(path.join(b.outside, 'config.yaml'), 'name: stolen\n');
    fs.symlinkSync(path.join(b.outside, 'config.yaml'), linked);
    const refused = await loadProject(b.root);
    assert.notEqual(refused.config.name, 'stolen');
    assert.match(refused.configErrors.map((e) => e.message).join('\n'), /outside the project/);
  });
});
