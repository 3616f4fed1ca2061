/** `trackdown metrics`: Prometheus text a real parser reads, on stdout or written atomically for node_exporter. */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { tempFolders } from '../helpers';
import { snapshot, trackdown, writeProject } from './run';

type Families = ReturnType<typeof parsePrometheusTextFormat>;

/** The value of a metric's sample whose labels are `labels` (undefined when there is none). */
function sample(families: Families, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.find((f) => f.name === name);
  const hit = family?.metrics.find((m) => JSON.stringify(m.labels ?? {}) === JSON.stringify(labels));
  return hit ? Number(hit.value) : undefined;
}

/** A usage entry on a model whose name needs escaping in a label value. */
const ODD_MODEL = 'lab "x"\\model\nv2';

describe('trackdown metrics', () => {
  const temp = tempFolders();
  let root: string;
  before(() => {
    root = writeProject(temp('aitd-cli-metrics'), {
      'tasks/tasks/TSK-0002-used.md': [
        '---',
        'task_id: TSK-0002',
        'issue_id: ISS-0002',
        'title: Used',
        'status: active',
        'state: ready_for_qa',
        'state_metadata:',
        `  transitioned_at: ${new Date(Date.now() - 2 * 3600_000).toISOString()}`,
        'token_usage:',
        '  entries:',
        '    - {at: 2026-01-05T10:00:00Z, agent: claude-code, model: claude-sonnet-4-5, input: 1000, output: 500}',
        `    - {at: 2026-01-06T10:00:00Z, agent: codex, model: ${JSON.stringify(ODD_MODEL)}, input: 10, output: 5}`,
        '---',
        '',
      ].join('\n'),
    });
  });

  it('prints every state (zeros too), automation-eligible and stuck items, tokens, budgets and cost, with HELP and TYPE', () => {
    const r = trackdown(root, 'metrics');
    assert.equal(r.code, 0, r.stderr);
    const families = parsePrometheusTextFormat(r.stdout);
    for (const f of families) {
      assert.equal(f.type, 'GAUGE', f.name);
      assert.ok(f.help.length > 10, f.name);
    }
    const byState = Object.fromEntries(families.find((f) => f.name === 'aitrackdown_tickets_by_state')!.metrics.map((m) => [m.labels!.state, Number(m.value)]));
    assert.deepEqual(byState, { planning: 1, active: 2, ready_for_engineering: 0, ready_for_qa: 2, ready_for_deployment: 1, done: 1, won_t_do: 0, archived: 0 });
    assert.equal(sample(families, 'aitrackdown_automation_eligible'), 1);
    // ISS-0001 has been in QA since 2026-01-01; TSK-0002 for two hours.
    assert.equal(sample(families, 'aitrackdown_stuck_tickets', { state: 'ready_for_qa' }), 1);
    assert.equal(sample(families, 'aitrackdown_stuck_tickets', { state: 'active' }), 0);
    assert.equal(families.find((f) => f.name === 'aitrackdown_stuck_tickets')!.metrics.length, 5, 'one per open state');
    assert.equal(sample(families, 'aitrackdown_epic_tokens_used', { epic: 'EP-0001' }), 700 + 600 + 1515);
    assert.equal(sample(families, 'aitrackdown_epic_token_budget', { epic: 'EP-0001' }), 1000);
    // claude-sonnet-4-5 at the shipped prices: $3 in, $15 out per million tokens.
    assert.equal(sample(families, 'aitrackdown_epic_cost_usd', { epic: 'EP-0001' }), (1000 * 3 + 500 * 15) / 1e6);
    assert.equal(sample(families, 'aitrackdown_model_tokens', { model: 'claude-sonnet-4-5' }), 1500);
    assert.equal(sample(families, 'aitrackdown_unpriced_tokens'), 15);
  });

  it('escapes label values: a model named with quotes, a backslash and a line break reads back as written', () => {
    const families = parsePrometheusTextFormat(trackdown(root, 'metrics').stdout);
    assert.equal(sample(families, 'aitrackdown_model_tokens', { model: ODD_MODEL }), 15);
  });

  it('counts items stuck by --stuck-hours', () => {
    const families = parsePrometheusTextFormat(trackdown(root, 'metrics', '--stuck-hours', '1').stdout);
    assert.equal(sample(families, 'aitrackdown_stuck_tickets', { state: 'ready_for_qa' }), 2);
    assert.match(families.find((f) => f.name === 'aitrackdown_stuck_tickets')!.help, /more than 1 hours/);
    assert.equal(trackdown(root, 'metrics', '--stuck-hours', 'soon').code, 2);
  });

  it('--out replaces the file through a temp file and a rename, leaving nothing else in the folder', () => {
    const dir = temp('aitd-cli-prom');
    const out = path.join(dir, 'aitrackdown.prom');
    fs.writeFileSync(out, 'old\n');
    const inode = fs.statSync(out).ino;
    const r = trackdown(root, 'metrics', '--out', out);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
    assert.equal(fs.readFileSync(out, 'utf8'), trackdown(root, 'metrics').stdout);
    assert.notEqual(fs.statSync(out).ino, inode, 'a new file renamed over the old one, never the old one rewritten in place');
    assert.deepEqual(fs.readdirSync(dir), ['aitrackdown.prom']);
  });

  it('--out refuses, exit 4, a file it cannot replace without cutting it off from its other names', () => {
    const dir = temp('aitd-cli-prom');
    const out = path.join(dir, 'aitrackdown.prom');
    fs.writeFileSync(out, 'old\n');
    fs.linkSync(out, path.join(dir, 'other-name.prom'));
    const r = trackdown(root, 'metrics', '--out', out);
    assert.deepEqual([r.code, r.stdout], [4, '']);
    assert.match(r.stderr, /^trackdown: aitrackdown\.prom has 2 hard links; .*\n$/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'old\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['aitrackdown.prom', 'other-name.prom']);
  });

  it('--out into a folder that does not exist: exit 3, nothing written', () => {
    const dir = temp('aitd-cli-prom');
    const before = snapshot(dir);
    const r = trackdown(root, 'metrics', '--out', path.join(dir, 'missing', 'x.prom'));
    assert.deepEqual([r.code, r.stdout], [3, '']);
    assert.match(r.stderr, /^trackdown: --out .*: the folder .*missing does not exist\.\n$/);
    assert.deepEqual(snapshot(dir), before);
  });
});
