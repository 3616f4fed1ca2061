/**
 * `trackdown status --watch`: each item printed once as it enters the state, seeing another process's
 * atomic write (a temp file renamed over the task file) within a second, until SIGTERM or SIGINT, then exit 0.
 */
import * as assert from 'assert/strict';
import { ChildProcess, spawnSync } from 'child_process';
import * as path from 'path';
import { tempFolders } from '../helpers';
import { issueText, startTrackdown, writeProject } from './run';

/** Another process writing a task file as editors and the aitrackdown CLI do: a temp file, then a rename. Resolves to when the rename was done. */
function atomicWrite(file: string, text: string): number {
  const script = `const fs=require('fs');const [f,t]=process.argv.slice(1);const tmp=require('path').join(require('path').dirname(f),'.'+require('path').basename(f)+'.tmp');fs.writeFileSync(tmp,t);fs.renameSync(tmp,f);process.stdout.write(String(Date.now()))`;
  const r = spawnSync(process.execPath, ['-e', script, file, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout);
}

/** The lines a watcher prints, each with when it arrived. */
class Lines {
  readonly seen: { line: string; at: number }[] = [];
  stderr = '';
  private buffer = '';
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      this.buffer += d;
      const parts = this.buffer.split('\n');
      this.buffer = parts.pop()!;
      for (const line of parts) this.seen.push({ line, at: Date.now() });
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }
  async waitFor(test: () => boolean, what: string, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!test()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stdout ${JSON.stringify(this.seen)}, stderr ${JSON.stringify(this.stderr)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  line(id: string) {
    return this.seen.find((s) => s.line === id);
  }
}

describe('trackdown status --watch', function () {
  this.timeout(20000);
  const temp = tempFolders();

  async function watching(root: string, ...args: string[]): Promise<Lines> {
    const lines = new Lines(startTrackdown(root, 'status', ...args, '--watch'));
    await lines.waitFor(() => lines.stderr.includes('watching'), 'the watcher to start');
    return lines;
  }

  it("prints the items in the state, then each one another process's atomic write moves into it, within a second", async () => {
    const root = writeProject(temp('aitd-cli-watch'));
    const lines = await watching(root, '--state', 'ready_for_qa');
    try {
      await lines.waitFor(() => !!lines.line('ISS-0001'), 'the item already in the state');

      const moved = atomicWrite(path.join(root, 'tasks/issues/ISS-0002-pay.md'), issueText('ISS-0002', 'Pay', 'active', ['state: ready_for_qa']));
      await lines.waitFor(() => !!lines.line('ISS-0002'), 'ISS-0002 moved into ready_for_qa');
      assert.ok(lines.line('ISS-0002')!.at - moved < 1000, `seen ${lines.line('ISS-0002')!.at - moved} ms after the rename`);

      const made = atomicWrite(path.join(root, 'tasks/issues/ISS-0004-new.md'), issueText('ISS-0004', 'New', 'active', ['state: ready_for_qa']));
      await lines.waitFor(() => !!lines.line('ISS-0004'), 'a new file in the state');
      assert.ok(lines.line('ISS-0004')!.at - made < 1000, `seen ${lines.line('ISS-0004')!.at - made} ms after the rename`);

      // An edit that keeps an item in the state prints nothing; one that moves it out and back in prints it again.
      atomicWrite(path.join(root, 'tasks/issues/ISS-0001-cart.md'), issueText('ISS-0001', 'Cart, renamed', 'active', ['state: ready_for_qa']));
      atomicWrite(path.join(root, 'tasks/issues/ISS-0004-new.md'), issueText('ISS-0004', 'New', 'active', ['state: active']));
      await new Promise((r) => setTimeout(r, 300));
      atomicWrite(path.join(root, 'tasks/issues/ISS-0004-new.md'), issueText('ISS-0004', 'New', 'active', ['state: ready_for_qa']));
      await lines.waitFor(() => lines.seen.filter((s) => s.line === 'ISS-0004').length === 2, 'ISS-0004 back in the state');
      assert.deepEqual(lines.seen.map((s) => s.line), ['ISS-0001', 'ISS-0002', 'ISS-0004', 'ISS-0004']);
    } finally {
      lines.child.kill('SIGTERM');
    }
    assert.deepEqual(await lines.exit, { code: 0, signal: null });
    assert.doesNotMatch(lines.stderr, /error/i);
  });

  it('misses no item moved into the state while it starts and reads the project', async () => {
    // Enough files that reading them takes a while; items move into the state all through the start.
    const many = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => {
        const id = `TSK-${String(i + 100).padStart(4, '0')}`;
        return [`tasks/tasks/${id}-t.md`, `---\ntask_id: ${id}\nissue_id: ISS-0001\ntitle: Task ${i}\nstatus: planning\n---\nSome text.\n`];
      }),
    );
    const root = writeProject(temp('aitd-cli-watch'), many);
    const lines = new Lines(startTrackdown(root, 'status', '--state', 'ready_for_deployment', '--watch'));
    const moved: string[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        const id = `TSK-${String(i * 70 + 100).padStart(4, '0')}`;
        atomicWrite(path.join(root, `tasks/tasks/${id}-t.md`), `---\ntask_id: ${id}\nissue_id: ISS-0001\ntitle: Moved\nstatus: active\nstate: ready_for_deployment\n---\n`);
        moved.push(id);
        await new Promise((r) => setTimeout(r, 25));
      }
      await lines.waitFor(() => moved.every((id) => lines.line(id)), 'every moved item', 10000);
    } finally {
      lines.child.kill('SIGTERM');
    }
    assert.deepEqual(await lines.exit, { code: 0, signal: null });
    assert.deepEqual(lines.seen.map((s) => s.line).sort(), ['ISS-0002', ...moved].sort());
  });

  it('exits 0 on SIGINT too, and prints JSON lines with --format json', async () => {
    const root = writeProject(temp('aitd-cli-watch'));
    const lines = await watching(root, '--state', 'ready_for_deployment', '--format', 'json');
    await lines.waitFor(() => lines.seen.length === 1, 'the item in the state');
    assert.equal(JSON.parse(lines.seen[0].line).id, 'ISS-0002');
    lines.child.kill('SIGINT');
    assert.deepEqual(await lines.exit, { code: 0, signal: null });
  });
});
