/** `trackdown status`: filters, the three formats, state words of both formats, and the refusals. */
import * as assert from 'assert/strict';
import { tempFolders } from '../helpers';
import { issueText, snapshot, trackdown, writeProject } from './run';

describe('trackdown status', () => {
  const temp = tempFolders();
  let root: string;
  before(() => {
    root = writeProject(temp('aitd-cli-status'));
  });
  const ids = (...args: string[]) => {
    const r = trackdown(root, 'status', '--format', 'ids', ...args);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean);
  };

  it('lists every item but comments, epics first, as a table by default', () => {
    const r = trackdown(root, 'status');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^ID\s+TYPE\s+STATE\s+PRIORITY\s+ASSIGNEE\s+TITLE$/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ['EP-0001', 'ISS-0001', 'ISS-0002', 'ISS-0003', 'TSK-0001', 'PR-0001']);
    assert.match(lines[2], /^ISS-0001\s+issue\s+ready_for_qa\s+medium\s+alice\s+Cart$/);
  });

  it('filters by unified state and by the status words of both formats', () => {
    assert.deepEqual(ids('--state', 'ready_for_qa'), ['ISS-0001']);
    assert.deepEqual(ids('--state', 'ready_for_deployment'), ['ISS-0002']);
    // `completed` and the older `done` are the unified done; the CLI's `active` and the older `in-progress` are active.
    assert.deepEqual(ids('--state', 'done'), ['ISS-0003']);
    assert.deepEqual(ids('--state', 'completed'), ['ISS-0003']);
    assert.deepEqual(ids('--state', 'active'), ['EP-0001', 'PR-0001']);
    assert.deepEqual(ids('--state', 'in-progress'), ['EP-0001', 'PR-0001']);
    assert.deepEqual(ids('--status', 'Ready for QA'), ['ISS-0001']);
  });

  it('filters by type, assignee, label and priority, all of which must match', () => {
    assert.deepEqual(ids('--type', 'issue'), ['ISS-0001', 'ISS-0002', 'ISS-0003']);
    assert.deepEqual(ids('--type', 'comment'), ['COMMENT-0001']);
    assert.deepEqual(ids('--assignee', 'carol'), ['TSK-0001']);
    assert.deepEqual(ids('--assignee', '@ALICE', '--type', 'issue'), ['ISS-0001', 'ISS-0002', 'ISS-0003']);
    assert.deepEqual(ids('--label', 'backend,UX'), ['ISS-0001', 'ISS-0002']);
    assert.deepEqual(ids('--tags', 'frontend'), ['ISS-0001']);
    assert.deepEqual(ids('--priority', 'high'), ['EP-0001']);
    assert.deepEqual(ids('--state', 'ready_for_qa', '--label', 'backend'), []);
  });

  it('filters by any field with --filter key=value, as the aitrackdown guides do', () => {
    const dir = writeProject(temp('aitd-cli-status'), {
      'tasks/issues/ISS-0004-svc.md': issueText('ISS-0004', 'Service', 'active', ['state: ready_for_deployment', 'service_name: payments']),
    });
    const run = (...args: string[]) => trackdown(dir, 'status', '--format', 'ids', ...args);
    assert.equal(run('--filter', 'service_name=payments', '--state', 'ready_for_deployment').stdout, 'ISS-0004\n');
    assert.equal(run('--filter', 'status=active,priority=medium', '--type', 'issue').stdout, 'ISS-0001\nISS-0002\nISS-0004\n');
    assert.equal(run('--filter', 'tags=ux').stdout, 'ISS-0001\n');
    assert.equal(run('--filter', 'state_metadata.automation_eligible=true').stdout, 'ISS-0001\n');
    assert.equal(run('--filter', 'service_name=billing').stdout, '');
    const bad = run('--filter', 'service_name');
    assert.deepEqual([bad.code, bad.stdout], [2, '']);
    assert.equal(bad.stderr, 'trackdown: --filter service_name: expected key=value pairs separated by commas.\n');
  });

  it('prints JSON in the documented shape, which jq scripts of the aitrackdown CLI read', () => {
    const r = trackdown(root, 'status', '--state', 'ready_for_qa', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [
      {
        id: 'ISS-0001',
        type: 'issue',
        state: 'ready_for_qa',
        status: 'active',
        title: 'Cart',
        priority: 'medium',
        assignee: 'alice',
        labels: ['frontend', 'ux'],
        parent: 'EP-0001',
        epic: 'EP-0001',
        file: 'tasks/issues/ISS-0001-cart.md',
        state_metadata: { transitioned_at: '2026-01-01T00:00:00.000Z', transitioned_by: 'alice', automation_eligible: true },
      },
    ]);
    // A task names only its issue: its epic is its issue's.
    const task = JSON.parse(trackdown(root, 'status', '--type', 'task', '--format', 'json').stdout)[0];
    assert.deepEqual([task.parent, task.epic, task.state_metadata, task.assignee], ['ISS-0001', 'EP-0001', null, '@carol']);
  });

  it('prints nothing and exits 0 when nothing matches', () => {
    const r = trackdown(root, 'status', '--state', 'archived');
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
    assert.equal(trackdown(root, 'status', '--state', 'archived', '--format', 'json').stdout, '[]\n');
  });

  it('refuses an unknown state with exit 2, listing the valid ones, and writes nothing', () => {
    const before = snapshot(root);
    const r = trackdown(root, 'status', '--state', 'shipped');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^trackdown: unknown state 'shipped'; valid states: planning, active, ready_for_engineering, ready_for_qa, ready_for_deployment, done, won_t_do, archived, completed, todo, .*\.\n$/);
    assert.deepEqual(snapshot(root), before);
  });

  it('refuses a bad --format or --type value and an unknown flag with exit 2 and one line', () => {
    for (const args of [['--format', 'xml'], ['--type', 'bug'], ['--bogus'], ['--state']]) {
      const r = trackdown(root, 'status', ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^trackdown: /);
    }
  });
});
