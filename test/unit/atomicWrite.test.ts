import * as assert from 'assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createFile, replaceFile, TEMP_FILE } from '../../src/core/atomicWrite';
import { readTextFile } from '../../src/core/fileRule';
import { defaultConfig, typeFolder } from '../../src/core/config';
import { llmsPaths } from '../../src/core/llms';
import { listTaskFiles } from '../../src/core/project';
import { lockPathOf } from '../../src/core/writeLock';
import { tempFolders, writeTree } from './helpers';

const TASK = '---\nissue_id: ISS-0001\ntitle: Login\nstatus: active\n---\n\nBody.\n';
const EDITED = TASK.replace('status: active', 'status: completed');
const REL = 'tasks/issues/ISS-0001-login.md';

describe('atomic writer', function () {
  // Real disk work and a child process on a machine that may be busy.
  this.timeout(20000);
  const temp = tempFolders();
  /** A project root holding one task file; returns the root and the file. */
  const project = (text: string | Buffer = TASK) => {
    const root = writeTree(temp('aw'), { '.ai-trackdown/config.yaml': 'name: p\n' });
    const file = path.join(root, ...REL.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return { root, file };
  };
  const temps = (dir: string) => fs.readdirSync(dir).filter((n) => TEMP_FILE.test(n));

  it('refuses a file that is not valid UTF-8, naming it, and leaves every byte as it was', async () => {
    // Latin-1 "café" in the body: decoding it as UTF-8 would turn the é into U+FFFD.
    const bytes = Buffer.concat([Buffer.from(TASK), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]);
    const { root, file } = project(bytes);
    const seen = bytes.toString('utf8');
    await assert.rejects(replaceFile(file, seen.replace('status: active', 'status: completed'), { within: root, expected: seen }), /ISS-0001-login\.md is not valid UTF-8/);
    assert.throws(() => readTextFile(file), /ISS-0001-login\.md is not valid UTF-8/);
    assert.ok(fs.readFileSync(file).equals(bytes));
    assert.deepEqual(temps(path.dirname(file)), []);
  });

  it('keeps the mode of the file it replaces, whatever the umask', async () => {
    const old = process.umask(0o022);
    try {
      for (const mode of [0o664, 0o600, 0o755]) {
        const { root, file } = project();
        fs.chmodSync(file, mode);
        await replaceFile(file, EDITED, { within: root, expected: TASK });
        assert.equal(fs.statSync(file).mode & 0o7777, mode, mode.toString(8));
        assert.equal(fs.readFileSync(file, 'utf8'), EDITED);
      }
    } finally {
      process.umask(old);
    }
  });

  it('keeps the owner and group of the file it replaces', async function () {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) this.skip(); // only root can give a file away
    const { root, file } = project();
    fs.chownSync(file, 4242, 4343);
    await replaceFile(file, EDITED, { within: root, expected: TASK });
    const st = fs.statSync(file);
    assert.deepEqual([st.uid, st.gid], [4242, 4343]);
  });

  it('refuses, writing nothing, when the owner cannot be kept', async function () {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) this.skip(); // needs another user to run as
    const { root, file } = project();
    // Writable by anyone, owned by root: a writer running as nobody could replace it, but the new file would be nobody's.
    for (const d of [root, path.join(root, 'tasks')]) fs.chmodSync(d, 0o755);
    fs.chmodSync(path.dirname(file), 0o777);
    fs.chmodSync(file, 0o666);
    const writer = path.join(__dirname, '..', '..', 'src', 'core', 'atomicWrite.js');
    const script = `require(${JSON.stringify(writer)}).replaceFile(process.argv[1], 'edited', { within: null, expected: require('fs').readFileSync(process.argv[1], 'utf8') }).then(() => console.log('written'), (e) => console.log(e.message))`;
    const child = spawnSync(process.execPath, ['-e', script, file], { encoding: 'utf8', uid: 65534, gid: 65534 });
    assert.match(child.stdout, /ISS-0001-login\.md belongs to user 0, group 0; replacing it would change that/, child.stderr);
    assert.equal(fs.readFileSync(file, 'utf8'), TASK);
    assert.equal(fs.statSync(file).uid, 0);
    assert.deepEqual(temps(path.dirname(file)), []);
  });

  it('writes a symlinked task file at its target: the link stays a link', async () => {
    const { root, file } = project();
    const shared = path.join(root, 'shared', 'ISS-0001.md');
    fs.mkdirSync(path.dirname(shared));
    fs.renameSync(file, shared);
    fs.symlinkSync(shared, file);
    await replaceFile(file, EDITED, { within: root, expected: TASK });
    assert.ok(fs.lstatSync(file).isSymbolicLink());
    assert.equal(fs.readlinkSync(file), shared);
    assert.equal(fs.readFileSync(shared, 'utf8'), EDITED);
    assert.deepEqual(temps(path.dirname(file)), []);
    assert.deepEqual(temps(path.dirname(shared)), []);
  });

  it('refuses a symlinked task file whose target lies outside the project, writing nothing', async () => {
    const { root, file } = project();
    const outside = path.join(temp('outside'), 'ISS-0001.md');
    fs.renameSync(file, outside);
    fs.symlinkSync(outside, file);
    await assert.rejects(replaceFile(file, EDITED, { within: root, expected: TASK }), /ISS-0001-login\.md leads outside the project/);
    assert.ok(fs.lstatSync(file).isSymbolicLink());
    assert.equal(fs.readFileSync(outside, 'utf8'), TASK);
    assert.deepEqual(temps(path.dirname(outside)), []);
  });

  it('refuses a file with other hard links, saying why, and leaves both names as they were', async () => {
    const { root, file } = project();
    const other = path.join(root, 'copy.md');
    fs.linkSync(file, other);
    await assert.rejects(replaceFile(file, EDITED, { within: root, expected: TASK }), /ISS-0001-login\.md has 2 hard links/);
    assert.equal(fs.readFileSync(file, 'utf8'), TASK);
    assert.equal(fs.statSync(file).ino, fs.statSync(other).ino, 'still one file under two names');
    assert.equal(fs.statSync(file).nlink, 2);
    assert.deepEqual(temps(path.dirname(file)), []);
  });

  it('refuses, writing nothing, when the file grows after the temp file was written', async () => {
    const { root, file } = project();
    const tempWritten = () => fs.appendFileSync(file, 'Appended by another program.\n');
    await assert.rejects(replaceFile(file, EDITED, { within: root, expected: TASK, hooks: { tempWritten } }), /changed/);
    assert.equal(fs.readFileSync(file, 'utf8'), `${TASK}Appended by another program.\n`);
    assert.deepEqual(temps(path.dirname(file)), []);
  });

  it('never drops an append made to the old file in the instant before the rename: it is put back and reported', async () => {
    const { root, file } = project();
    const beforeRename = () => fs.appendFileSync(file, 'Appended by another program.\n');
    await assert.rejects(
      replaceFile(file, EDITED, { within: root, expected: TASK, hooks: { beforeRename } }),
      /ISS-0001-login\.md was changed by another program while it was being written; that change was kept/,
    );
    assert.equal(fs.readFileSync(file, 'utf8'), `${TASK}Appended by another program.\n`);
    assert.deepEqual(temps(path.dirname(file)), []);
  });

  it('leaves the file intact when killed between the temp write and the rename; the next write cleans up', async () => {
    const { root, file } = project();
    const dir = path.dirname(file);
    // The writer, compiled beside this test, run in a child that kills itself once the temp file is on disk.
    const writer = path.join(__dirname, '..', '..', 'src', 'core', 'atomicWrite.js');
    const script = `require(${JSON.stringify(writer)}).replaceFile(process.argv[1], 'half-written', { within: process.argv[2], hooks: { tempWritten: () => process.kill(process.pid, 'SIGKILL') } })`;
    const child = spawnSync(process.execPath, ['-e', script, file, root], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    assert.equal(fs.readFileSync(file, 'utf8'), TASK);
    const left = temps(dir);
    assert.equal(left.length, 1, `one temp file left: ${fs.readdirSync(dir)}`);
    assert.ok(fs.readFileSync(path.join(dir, left[0]), 'utf8').startsWith('half-written'));
    // The index lists task files only: the temp file is not one.
    assert.deepEqual(await listTaskFiles({ root, config: defaultConfig('p'), configErrors: [], hasConfig: true }), [file]);
    // A temp file of a process still running (this one) is its own business and stays.
    const live = path.join(dir, `.other.md.${process.pid}.1.tmp`);
    fs.writeFileSync(live, 'in flight');

    await replaceFile(file, EDITED, { within: root, expected: TASK });
    assert.equal(fs.readFileSync(file, 'utf8'), EDITED);
    assert.deepEqual(temps(dir), [path.basename(live)]);
    assert.ok(!fs.existsSync(lockPathOf(file)), 'the dead writer\'s lock was taken over and is gone');
  });

  it('takes over a fresh lock naming this process when this process does not hold it (copied back, say)', async () => {
    const { root, file } = project();
    // What a snapshot taken during a write and restored after leaves: this pid, this host, no holder.
    fs.writeFileSync(lockPathOf(file), `${process.pid} ${os.hostname()} 1\n`);
    await replaceFile(file, EDITED, { within: root, expected: TASK });
    assert.equal(fs.readFileSync(file, 'utf8'), EDITED);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), [path.basename(file)]);
  });

  it('takes over a lock far older than any write, even one from another machine', async () => {
    const { root, file } = project();
    fs.writeFileSync(lockPathOf(file), '4242 another-host 1\n');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockPathOf(file), old, old);
    await replaceFile(file, EDITED, { within: root, expected: TASK });
    assert.equal(fs.readFileSync(file, 'utf8'), EDITED);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), [path.basename(file)]);
  });

  it('a temp file left as a second name of a new file, by a writer killed after the link, does not block the next write', async () => {
    const { root, file } = project();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const left = path.join(path.dirname(file), `.${path.basename(file)}.${dead.stdout}.1.tmp`);
    fs.linkSync(file, left);
    await replaceFile(file, EDITED, { within: root, expected: TASK });
    assert.equal(fs.readFileSync(file, 'utf8'), EDITED);
    assert.ok(!fs.existsSync(left));
  });

  it('two processes replacing one file at once, each checking the same text: one writes, the other is refused', async () => {
    const { root, file } = project();
    const writer = path.join(__dirname, '..', '..', 'src', 'core', 'atomicWrite.js');
    // Each waits for "go", then pauses between its last check and its rename: both have checked before either renames.
    const script = `process.stdin.once('data', () => require(${JSON.stringify(writer)}).replaceFile(process.argv[1], process.argv[3], { within: process.argv[2], expected: ${JSON.stringify(TASK)}, hooks: { beforeRename: () => new Promise((r) => setTimeout(r, 300)) } }).then(() => console.log('written'), (e) => console.log(e.constructor.name)))`;
    const texts = [EDITED, TASK.replace('status: active', 'status: archived')];
    const children = texts.map((t) => spawn(process.execPath, ['-e', script, file, root, t], { stdio: ['pipe', 'pipe', 'pipe'] }));
    const outputs = children.map((c) => new Promise<string>((resolve) => {
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (out += d));
      c.on('close', () => resolve(out.trim()));
    }));
    for (const c of children) c.stdin.end('go\n');
    const results = await Promise.all(outputs);
    assert.deepEqual([...results].sort(), ['StaleFileError', 'written'], results.join(' | '));
    assert.equal(fs.readFileSync(file, 'utf8'), texts[results.indexOf('written')], 'the file holds the change reported as written');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), [path.basename(file)], 'no temp or lock file left');
  });

  it('creates a new file only where none is, and never through a folder that leads outside the project', async () => {
    const { root } = project();
    const config = defaultConfig('p');
    const newTask = path.join(typeFolder(root, config, 'task'), 'TSK-0001-new.md');
    assert.equal(await createFile(newTask, TASK, { within: root }), true);
    assert.equal(fs.readFileSync(newTask, 'utf8'), TASK);
    assert.equal(await createFile(newTask, EDITED, { within: root }), false, 'an existing file is not replaced');
    assert.equal(fs.readFileSync(newTask, 'utf8'), TASK);
    assert.deepEqual(temps(path.dirname(newTask)), []);

    // A committed `tasks -> /outside` (and `docs -> /outside`): a new task file or llms-full.txt would land outside.
    const other = project().root;
    const outside = temp('outside');
    fs.rmSync(path.join(other, 'tasks'), { recursive: true });
    fs.symlinkSync(outside, path.join(other, 'tasks'), 'dir');
    fs.symlinkSync(outside, path.join(other, 'docs'), 'dir');
    const refused = /leads outside the project/;
    await assert.rejects(createFile(path.join(typeFolder(other, config, 'issue'), 'ISS-0002-new.md'), TASK, { within: other }), refused);
    await assert.rejects(createFile(llmsPaths(other).full, '# llms\n', { within: other }), refused);
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing made outside, not even a folder');
  });
});
