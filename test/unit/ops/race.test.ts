import * as assert from 'assert/strict';
import { spawn } from 'child_process';
import * as path from 'path';
import { editFrontmatter } from '../../../src/core/edit';
import { planChangeState } from '../../../src/core/ops/state';
import { tempFolders } from '../helpers';
import { NOW, opsProject, original } from '../support/opsProject';

const CHILD = path.join(__dirname, '..', 'support', 'opsChild.js');
const ISS2 = 'tasks/issues/ISS-0002-reset.md';

interface Outcome {
  ok?: boolean;
  error?: string;
  message?: string;
  stderr: string;
}

/** Start a child per change; once every one has planned, let them all write at once. */
async function race(root: string, changes: { to: string; by: string }[], pauseMs: number): Promise<Outcome[]> {
  const children = changes.map((c) => spawn(process.execPath, [CHILD, root, 'ISS-0002', c.to, c.by, NOW.toISOString(), String(pauseMs)], { stdio: ['pipe', 'pipe', 'pipe'] }));
  const planned = children.map((c) => new Promise<void>((resolve) => c.stdout.once('data', () => resolve())));
  const outcomes = children.map(
    (c) =>
      new Promise<Outcome>((resolve) => {
        let out = '';
        let stderr = '';
        c.stdout.on('data', (d) => (out += d));
        c.stderr.on('data', (d) => (stderr += d));
        c.on('close', () => resolve({ ...JSON.parse(out.replace(/^ready\n/, '') || '{}'), stderr }));
      }),
  );
  await Promise.all(planned);
  for (const c of children) c.stdin.end('go\n');
  return Promise.all(outcomes);
}

describe('core/ops: two processes changing one item at once', function () {
  // Child processes on a machine that may be busy.
  this.timeout(60_000);
  const temp = tempFolders();
  const changes = [
    { to: 'ready_for_engineering', by: 'first-process' },
    { to: 'won_t_do', by: 'second-process' },
  ];

  for (const pauseMs of [300, 0]) {
    it(`exactly one writes, the other is refused as stale, and the file holds the winner's change only (${pauseMs ? 'writes held open to overlap' : 'as fast as they go'})`, async () => {
      const p = await opsProject(temp);
      // What each change makes of the file, planned as the children plan it.
      const expected = changes.map((c) => editFrontmatter(original(ISS2), planChangeState(p.index, p.project, { item: 'ISS-0002', ...c }, NOW)[0].changes).text);
      const outcomes = await race(p.root, changes, pauseMs);
      for (const o of outcomes) assert.equal(o.stderr, '');
      const winners = outcomes.flatMap((o, i) => (o.ok ? [i] : []));
      assert.equal(winners.length, 1, `exactly one succeeded: ${JSON.stringify(outcomes)}`);
      const loser = outcomes[1 - winners[0]];
      assert.equal(loser.error, 'StaleFileError', JSON.stringify(loser));
      assert.match(loser.message!, /ISS-0002-reset\.md (changed on disk|is being written)/);
      assert.equal(p.read(ISS2), expected[winners[0]], 'the winner\'s change, and nothing of the other');
    });
  }
});
