/** `trackdown tokens report`: the budget panel's figures by epic, team, model, agent and week, as a table, JSON or CSV. */
import * as assert from 'assert/strict';
import * as path from 'path';
import { agentRows, projectReport } from '../../../src/core/budgetReport';
import { TaskIndex } from '../../../src/core/index';
import { configPrices, DEFAULT_PRICES, withOverrides } from '../../../src/core/prices';
import { indexProject, loadProject } from '../../../src/core/project';
import { REPO } from '../helpers';
import { trackdown } from './run';

const DEMO = path.join(REPO, 'demo');

/** What the budget panel shows for the demo project, at the shipped prices and the project's own. */
async function panel() {
  const project = await loadProject(DEMO);
  const index = new TaskIndex();
  index.setProject(project);
  await indexProject(index, project);
  const prices = withOverrides(DEFAULT_PRICES, configPrices(project.config));
  const { report, usage } = projectReport(index, project, prices);
  return { report, agents: agentRows(usage, prices) };
}

const rounded = (rows: object[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v])));
const json = (...args: string[]) => {
  const r = trackdown(DEMO, 'tokens', 'report', '--format', 'json', ...args);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};

describe('trackdown tokens report', () => {
  it('gives the rows the budget panel shows, per epic by default', async () => {
    const { report, agents } = await panel();
    assert.deepEqual(json(), rounded(report.epics.map((e) => ({ ...e, file: path.relative(DEMO, e.file).split(path.sep).join('/') }))));
    assert.deepEqual(json('--by', 'team'), rounded(report.teams));
    assert.deepEqual(json('--by', 'model'), rounded(report.models));
    assert.deepEqual(json('--by', 'week'), rounded(report.weeks));
    assert.deepEqual(json('--by', 'agent'), rounded(agents));
    assert.ok(agents.length >= 3 && agents.every((a) => a.tokens > 0));
  });

  it('prints a table under the totals, and RFC 4180 CSV', async () => {
    const table = trackdown(DEMO, 'tokens', 'report');
    assert.equal(table.code, 0);
    const lines = table.stdout.split('\n');
    assert.match(lines[0], /^[\d,]+ tokens used, \$\d+\.\d\d at prices as of \d{4}-\d\d-\d\d$/);
    assert.match(lines[2], /^Epic\s+Title\s+Used\s+Estimated\s+Budget\s+Used of budget\s+Cost \(USD\)$/);
    assert.match(lines[3], /^EP-0001\s+Offline mode\s+[\d,]+\s+[\d,]+\s+120,000\s+85%\s+\$\d+\.\d\d$/);
    const csv = trackdown(DEMO, 'tokens', 'report', '--by', 'model', '--format', 'csv').stdout;
    const rows = csv.split('\r\n');
    assert.equal(rows[0], 'model,tokens,cost');
    assert.equal(rows[rows.length - 1], '');
    assert.equal(rows.length - 2, (await panel()).report.models.length);
  });

  it('refuses an unknown --by with exit 2', () => {
    const r = trackdown(DEMO, 'tokens', 'report', '--by', 'person');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Allowed choices are epic, team, model, agent, week/);
  });
});
