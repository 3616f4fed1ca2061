/**
 * `trackdown update`: real processes on real temp projects. The file after an update holds what the
 * editor's operations would have written (the same ops run in process), every other byte as it was;
 * a refusal exits with its code and writes nothing; two processes racing on one item never lose a write.
 */
import * as assert from 'assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { editFrontmatter } from '../../../src/core/edit';
import { TaskIndex } from '../../../src/core/index';
import { ItemChanges } from '../../../src/core/ops/plan';
import { planChangeState } from '../../../src/core/ops/state';
import { indexProject, loadProject } from '../../../src/core/project';
import { Project } from '../../../src/core/index';
import { tempFolders } from '../helpers';
import { CLI, snapshot, trackdown, writeProject } from './run';

const ISS2 = 'tasks/issues/ISS-0002-pay.md';

/** Run trackdown with extra environment (TRACKDOWN_USER unset unless given). */
function withEnv(cwd: string, env: Record<string, string | undefined>, ...args: string[]) {
  const base = { ...process.env };
  delete base.TRACKDOWN_USER;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...base, ...env }, timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The text the editor's operation makes of `rel` in a fresh copy of the test project, at `now`. */
async function editorResult(temp: (n?: string) => string, rel: string, plan: (index: TaskIndex, project: Project, file: string) => ItemChanges[]): Promise<string> {
  const root = writeProject(temp('aitd-cli-upd-ref'));
  const project = await loadProject(root);
  const index = new TaskIndex();
  index.setProject(project);
  await indexProject(index, project);
  const [entry] = plan(index, project, path.join(root, rel));
  return editFrontmatter(fs.readFileSync(path.join(root, rel), 'utf8'), entry.changes).text;
}

const read = (root: string, rel = ISS2) => fs.readFileSync(path.join(root, rel), 'utf8');
const stamp = (text: string) => new Date(/transitioned_at: "?([^"\n]+)"?/.exec(text)![1]);

describe('trackdown update', function () {
  this.timeout(60000);
  const temp = tempFolders();

  it('moves an item to a state as the editor does: state_metadata with who, when and why, every other byte kept', async () => {
    const root = writeProject(temp('aitd-cli-upd'));
    const r = trackdown(root, 'update', 'ISS-0002', '--state', 'done', '--transitioned-by', 'deployment-automation', '--transition-reason', 'deployed');
    assert.equal(r.code, 0, r.stderr);
    const after = read(root);
    const now = stamp(after);
    const expected = await editorResult(temp, ISS2, (index, project, file) =>
      planChangeState(index, project, { item: file, to: 'done', by: 'deployment-automation', reason: 'deployed' }, now),
    );
    assert.equal(after, expected);
    assert.match(after, /transitioned_by: deployment-automation\n  previous_state: ready_for_deployment\n  automation_eligible: false\n  transition_reason: deployed\n/);
    assert.equal(r.stdout.split('\n')[0], ISS2);
    assert.match(r.stdout, /^  state: ready_for_deployment → done$/m);
    assert.equal(trackdown(root, 'show', 'ISS-0002', '--field', 'state').stdout, 'done\n');
  });

  it('records TRACKDOWN_USER, else git user.name, as transitioned_by when no one is named', () => {
    const root = writeProject(temp('aitd-cli-upd'));
    assert.equal(withEnv(root, { TRACKDOWN_USER: 'ci-bot' }, 'update', 'ISS-0002', '--state', 'done').code, 0);
    assert.match(read(root), /transitioned_by: ci-bot\n/);

    const git = writeProject(temp('aitd-cli-upd'));
    spawnSync('git', ['init', '-q'], { cwd: git });
    spawnSync('git', ['config', 'user.name', 'Dana Example'], { cwd: git });
    const r = withEnv(git, {}, 'update', 'ISS-0002', '--state', 'done');
    assert.equal(r.code, 0, r.stderr);
    assert.match(read(git), /transitioned_by: Dana Example\n/);
  });

  it('forces a refused transition only with a reason, recorded as a manual override', () => {
    const root = writeProject(temp('aitd-cli-upd'));
    const before = snapshot(root);
    const bare = trackdown(root, 'update', 'ISS-0002', '--state', 'planning', '--force');
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /^trackdown: A forced transition needs a reason\.\n$/);
    assert.deepEqual(snapshot(root), before);
    for (const flag of ['--reason', '--transition-reason']) {
      const dir = writeProject(temp('aitd-cli-upd'));
      const r = trackdown(dir, 'update', 'ISS-0002', '--state', 'planning', '--force', flag, 'rolled back');
      assert.equal(r.code, 0, r.stderr);
      assert.match(read(dir), /transition_reason: rolled back\n  manual_override: true\n  automation_source: manual\n/);
    }
  });

  it('refuses a transition the rules refuse with exit 4 and the allowed next states, writing nothing', () => {
    const root = writeProject(temp('aitd-cli-upd'));
    const before = snapshot(root);
    const r = trackdown(root, 'update', 'ISS-0002', '--state', 'planning', '--assignee', 'zoe');
    assert.equal(r.code, 4);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /is not an allowed transition/);
    assert.match(r.stderr, /^allowed next states from ready_for_deployment: done, ready_for_qa/m);
    assert.deepEqual(snapshot(root), before);
  });

  it('exits 2 naming the states for an unknown state, 3 for an unknown id, 2 with nothing to change', () => {
    const root = writeProject(temp('aitd-cli-upd'));
    const before = snapshot(root);
    const state = trackdown(root, 'update', 'ISS-0002', '--state', 'shipped');
    assert.equal(state.code, 2);
    assert.match(state.stderr, /"shipped" is not a state\. The states are planning, active, ready_for_engineering, ready_for_qa, ready_for_deployment, done, won_t_do, archived\./);
    const id = trackdown(root, 'update', 'ISS-0404', '--state', 'done');
    assert.equal(id.code, 3);
    assert.match(id.stderr, /no item ISS-0404/);
    assert.equal(trackdown(root, 'update', 'ISS-0002').code, 2);
    assert.equal(trackdown(root, 'update', 'ISS-0002', '--reason', 'x').code, 2, '--reason without --state');
    assert.deepEqual(snapshot(root), before);
  });

  it('assigns, reassigns and unassigns (--assignee NAME, --assignee "", --unassign)', () => {
    const root = writeProject(temp('aitd-cli-upd'));
    assert.equal(trackdown(root, 'update', 'iss-2', '--assignee', 'zoe').code, 0);
    assert.match(read(root), /\nassignee: zoe\n/);
    assert.equal(trackdown(root, 'update', 'ISS-0002', '--assignee', '').code, 0);
    assert.doesNotMatch(read(root), /assignee/);
    assert.equal(trackdown(root, 'update', 'ISS-0002', '--assignee', 'zoe').code, 0);
    assert.equal(trackdown(root, 'update', 'ISS-0002', '--unassign').code, 0);
    assert.doesNotMatch(read(root), /assignee/);
  });

  it('adds and removes labels, repeated or as comma lists, and the old --add-tags/--remove-tags', () => {
    const root = writeProject(temp('aitd-cli-upd'));
    const r = trackdown(root, 'update', 'ISS-0002', '--add-label', 'api', '--add-label', 'db,infra', '--remove-label', 'backend');
    assert.equal(r.code, 0, r.stderr);
    assert.match(read(root), /\ntags: \[api, db, infra\]\n/);
    assert.equal(trackdown(root, 'update', 'ISS-0002', '--remove-tags', 'api,db', '--add-tags', 'ops').code, 0);
    assert.match(read(root), /\ntags: \[infra, ops\]\n/);
  });

  it('links with --parent and unlinks with --parent ""; a refused link writes nothing of the rest', () => {
    const root = writeProject(temp('aitd-cli-upd'), {
      'tasks/epics/EP-0002-billing.md': '---\nepic_id: EP-0002\ntitle: Billing\nstatus: active\n---\n',
      'tasks/issues/ISS-0004-tax.md': '---\nissue_id: ISS-0004\nepic_id: EP-0002\ntitle: Tax\nstatus: active\n---\n',
    });
    const task = 'tasks/tasks/TSK-0001-cart-markup.md';
    assert.equal(trackdown(root, 'update', 'TSK-0001', '--parent', 'ISS-0004').code, 0);
    assert.match(read(root, task), /\nissue_id: ISS-0004\nepic_id: EP-0002\n/);
    assert.equal(trackdown(root, 'update', 'ISS-0002', '--parent', '').code, 0);
    assert.doesNotMatch(read(root), /epic_id/);

    const before = snapshot(root);
    const refused = trackdown(root, 'update', 'ISS-0002', '--state', 'done', '--parent', 'TSK-0001');
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /TSK-0001 is not a epic/);
    assert.deepEqual(snapshot(root), before);
  });

  it('--dry-run prints each change and writes nothing', () => {
    const root = writeProject(temp('aitd-cli-upd'));
    const before = snapshot(root);
    const r = trackdown(root, 'update', 'ISS-0002', '--state', 'done', '--assignee', 'zoe', '--add-label', 'api', '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(snapshot(root), before);
    assert.deepEqual(r.stdout.split('\n').map((l) => l.split(':')[0]), [ISS2, '  status', '  state', '  state_metadata', '  updated_date', '  assignee', '  tags', '']);
    assert.match(r.stdout, /^  assignee: alice → zoe$/m);
    assert.match(r.stdout, /^  tags: \["backend"\] → \["backend","api"\]$/m);
    assert.match(r.stderr, /dry run: nothing was written/);
  });

  it('the old CLI\'s `issue update ID` does the same', () => {
    const root = writeProject(temp('aitd-cli-upd'));
    assert.equal(trackdown(root, 'issue', 'update', 'ISS-0002', '--state', 'done', '--transitioned-by', 'x').code, 0);
    assert.match(read(root), /\nstate: done\n/);
  });

  it('two processes racing on one item: one wins, the other exits 4 with nothing written, and no write is lost', async () => {
    // Filler files make each process read the whole project (--parent) before it writes: a wide window to overlap in.
    const filler = Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => {
        const id = `TSK-${String(i + 100).padStart(4, '0')}`;
        return [`tasks/tasks/${id}-t.md`, `---\ntask_id: ${id}\nissue_id: ISS-0003\ntitle: T ${i}\nstatus: active\n---\n`];
      }),
    );
    const root = writeProject(temp('aitd-cli-race'), filler);
    const run = (label: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [CLI, 'update', 'ISS-0002', '--parent', 'EP-0001', '--add-label', label], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        p.on('exit', (code) => resolve({ code, stderr }));
      });
    let refused = 0;
    for (let round = 0; round < 8; round++) {
      const [a, b] = [`a${round}`, `b${round}`];
      const tagsBefore = /\ntags: \[(.*)\]\n/.exec(read(root))![1];
      const [ra, rb] = await Promise.all([run(a), run(b)]);
      const tags = /\ntags: \[(.*)\]\n/.exec(read(root))![1];
      const codes = [ra.code, rb.code].sort().join(',');
      if (codes === '0,0') {
        assert.ok([`${tagsBefore}, ${a}, ${b}`, `${tagsBefore}, ${b}, ${a}`].includes(tags), `both succeeded: both labels kept (${tags})`);
        continue;
      }
      assert.equal(codes, '0,4', `${ra.stderr}${rb.stderr}`);
      refused++;
      const [winner, loser] = ra.code === 0 ? [a, rb] : [b, ra];
      assert.equal(tags, `${tagsBefore}, ${winner}`, 'only the winner\'s change');
      assert.match(loser.stderr, /^trackdown: ISS-0002-pay\.md changed on disk since it was read; nothing was written\. Try again\.\n$/);
    }
    assert.ok(refused > 0, 'the processes overlapped at least once');
    if (process.env.AITD_DEBUG) console.log(`refused in ${refused} of 8 rounds`);
    assert.deepEqual(fs.readdirSync(path.join(root, 'tasks/issues')).filter((f) => f.startsWith('.')), [], 'no lock or temp file left');
  });
});

