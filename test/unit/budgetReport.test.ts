import * as assert from 'assert/strict';
import {
  BudgetReport,
  buildBudgetReport,
  csvField,
  formatCell,
  markdownCell,
  reportCsv,
  reportMarkdown,
  ReportBudgetLine,
  sortRows,
} from '../../src/core/budgetReport';
import { parseConfig, ProjectConfig } from '../../src/core/config';
import { TaskIndex } from '../../src/core/index';
import { PriceTable } from '../../src/core/prices';
import { budgetRatio, budgetThresholds, projectUsage, teamBudgets } from '../../src/core/tokens';
import { MEMORY_ROOT, memoryFile, withMemoryProject } from './helpers';

const ROOT = MEMORY_ROOT;
const f = memoryFile;

/** USD per 1M tokens: easy sums. */
const PRICES: PriceTable = { asOf: '2026-01-01', models: { 'model-a': { input: 10, output: 20, cachedInput: 1 }, 'model-b': { input: 1, output: 1 } } };

const CONFIG = parseConfig(
  'name: ws\nteams: {platform: {token_budget: 2000}, "=cmd": {token_budget: 100}}\nautomation: {budget_alerts: [{threshold: 0.5}, {threshold: 1}]}\n',
  'ws',
).config;

const HOSTILE = 'Pay | "split", <img src=x onerror=alert(1)>\nline two \\ end';

function setup(config: ProjectConfig = CONFIG) {
  const index = withMemoryProject(new TaskIndex(), config);
  index.set(f('epics', 'EP-0001-a.md'), '---\nepic_id: EP-0001\ntitle: Alpha\nstatus: active\ntoken_budget: 4000\nestimated_tokens: 3000\nactual_tokens: 100\n---\n');
  index.set(f('epics', 'EP-0002-b.md'), `---\nepic_id: EP-0002\ntitle: ${JSON.stringify(HOSTILE)}\nstatus: active\ntoken_budget: 500\n---\n`);
  index.set(f('epics', 'EP-0010-c.md'), '---\nepic_id: EP-0010\ntitle: No budget\nstatus: planning\n---\n');
  index.set(
    f('issues', 'ISS-0001-x.md'),
    [
      '---',
      'issue_id: ISS-0001',
      'epic_id: EP-0001',
      'title: X',
      'status: active',
      'estimated_tokens: 1000',
      'token_usage:',
      '  entries:',
      '    - {at: "2026-11-02T10:00:00Z", agent: claude-code, model: model-a-2026, team: platform, input: 1000, output: 500, cached_input: 500}',
      '    - {at: "2026-11-04T10:00:00Z", agent: claude-code, model: model-a, team: platform, input: 200, output: 100}',
      '    - {at: "2026-11-10T09:00:00Z", agent: alice, model: model-b, team: "=cmd", input: 400, output: 100}',
      '    - {at: "2026-11-11T09:00:00Z", agent: bob, model: mystery-9, input: 10, output: 0}',
      '    - {input: 30, output: 0}',
      '---',
      '',
    ].join('\n'),
  );
  index.set(f('tasks', 'TSK-0002-z.md'), '---\ntask_id: TSK-0002\nepic_id: EP-0002\ntitle: Z\nstatus: planning\nactual_tokens: 600\n---\n');
  return index;
}

/** The budget lines as the host's BudgetWatcher makes them. */
function report(index = setup(), config = CONFIG): BudgetReport {
  const usage = projectUsage(index, ROOT, config);
  const lines: ReportBudgetLine[] = [];
  for (const e of usage.epics) if (e.budget !== undefined) lines.push({ kind: 'epic', key: e.epic.id, used: e.usage.used, budget: e.budget });
  for (const [team, budget] of Object.entries(teamBudgets(config))) lines.push({ kind: 'team', key: team, used: usage.total.byTeam[team] ?? 0, budget });
  return buildBudgetReport({ name: config.name, usage, thresholds: budgetThresholds(config), lines }, PRICES);
}

const close = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

describe('budgetReport', () => {
  it('one row per epic: used and estimated rolled up, its budget and ratio, the cost of its entries', () => {
    const r = report();
    assert.deepEqual(
      r.epics.map((e) => [e.id, e.used, e.estimated, e.budget]),
      [
        ['EP-0001', 100 + 2340, 3000 + 1000, 4000],
        ['EP-0002', 600, 0, 500],
        ['EP-0010', 0, 0, null],
      ],
    );
    close(r.epics[0].ratio, 2440 / 4000);
    assert.equal(r.epics[1].ratio, budgetRatio(600, 500));
    assert.equal(r.epics[2].ratio, null, 'no budget, no ratio');
    // model-a-2026 finds model-a by prefix: 500 uncached input at 10, 500 cached at 1, 500 output at 20; then 200 in, 100 out; model-b 400+100 at 1.
    const a = (500 * 10 + 500 * 1 + 500 * 20 + 200 * 10 + 100 * 20) / 1e6;
    close(r.epics[0].cost, a + 500 / 1e6);
    assert.equal(r.epics[1].cost, null, 'no entries, no cost');
    assert.equal(r.epics[1].title, HOSTILE);
    assert.equal(r.epics[0].file, f('epics', 'EP-0001-a.md'));
    assert.deepEqual(r.thresholds, [0.5, 1]);
    assert.equal(r.project, 'ws');
    assert.equal(r.pricesAsOf, '2026-01-01');
    assert.equal(r.total.unpricedTokens, 40);
  });

  it('one row per team, with a budget or only usage; per model with tokens and cost; per ISO week', () => {
    const r = report();
    assert.deepEqual(r.teams, [
      { team: '=cmd', used: 500, budget: 100, ratio: 5 },
      { team: 'platform', used: 1800, budget: 2000, ratio: 0.9 },
    ]);
    assert.deepEqual(
      r.models.map((m) => [m.model, m.tokens]),
      [
        ['model-a-2026', 1500],
        ['model-b', 500],
        ['model-a', 300],
        ['(no model)', 30],
        ['mystery-9', 10],
      ],
    );
    close(r.models[0].cost, (500 * 10 + 500 + 500 * 20) / 1e6);
    assert.equal(r.models.find((m) => m.model === 'mystery-9')!.cost, null, 'an unknown model has no cost');
    assert.deepEqual(r.weeks, [
      { week: '2026-11-02', tokens: 1800 },
      { week: '2026-11-09', tokens: 510 },
    ]);
    // Without any team budget a team still shows with its usage.
    const plain = parseConfig('name: ws\n', 'ws').config;
    assert.deepEqual(report(setup(plain), plain).teams.map((t) => [t.team, t.used, t.budget]), [['=cmd', 500, null], ['platform', 1800, null]]);
  });

  it('follows the index: a task file changed adds to its epic and its week', () => {
    const index = setup();
    index.set(f('tasks', 'TSK-0002-z.md'), '---\ntask_id: TSK-0002\nepic_id: EP-0002\ntitle: Z\nstatus: planning\nactual_tokens: 900\n---\n');
    const r = report(index);
    assert.equal(r.epics.find((e) => e.id === 'EP-0002')!.used, 900);
    assert.equal(r.epics.find((e) => e.id === 'EP-0002')!.ratio, 1.8);
  });

  it('sorts by any column: numbers by value, text naturally, empty cells last both ways, ties stable', () => {
    const r = report();
    assert.deepEqual(sortRows(r.epics, 'used', 'descending').map((e) => e.id), ['EP-0001', 'EP-0002', 'EP-0010']);
    assert.deepEqual(sortRows(r.epics, 'ratio', 'ascending').map((e) => e.id), ['EP-0001', 'EP-0002', 'EP-0010']);
    assert.deepEqual(sortRows(r.epics, 'ratio', 'descending').map((e) => e.id), ['EP-0002', 'EP-0001', 'EP-0010']);
    assert.deepEqual(sortRows(r.epics, 'budget', 'descending').map((e) => e.id), ['EP-0001', 'EP-0002', 'EP-0010']);
    assert.deepEqual(sortRows(r.epics, 'budget', 'ascending').map((e) => e.id), ['EP-0002', 'EP-0001', 'EP-0010']);
    const ids = [{ id: 'ISS-10' }, { id: 'ISS-2' }, { id: 'iss-1' }];
    assert.deepEqual(sortRows(ids, 'id').map((x) => x.id), ['iss-1', 'ISS-2', 'ISS-10']);
    assert.deepEqual(sortRows(ids, 'id', 'descending').map((x) => x.id), ['ISS-10', 'ISS-2', 'iss-1']);
    const ties = [{ k: 1, n: 'a' }, { k: 0, n: 'b' }, { k: 1, n: 'c' }];
    assert.deepEqual(sortRows(ties, 'k', 'descending').map((x) => x.n), ['a', 'c', 'b']);
    assert.deepEqual(r.epics.map((e) => e.id), ['EP-0001', 'EP-0002', 'EP-0010'], 'the input is not changed');
  });

  it('formats cells: token counts, percentages, dollars, and a dash for nothing', () => {
    assert.equal(formatCell(12345, 'tokens'), '12,345');
    assert.equal(formatCell(0.9349, 'ratio'), '93%');
    assert.equal(formatCell(1.234, 'usd'), '$1.23');
    assert.equal(formatCell(0.0001, 'usd'), '< $0.01');
    assert.equal(formatCell(null, 'usd'), '—');
  });

  it('exports markdown: GitHub tables whose cells cannot break the table or carry HTML', () => {
    const md = reportMarkdown(report());
    assert.match(md, /^# Token budgets: ws\n/);
    assert.match(md, /3,040 tokens used of 4,000 estimated; cost \$0\.02 at prices as of 2026-01-01 \(40 tokens without a known price\)\./);
    assert.match(md, /\n## Epics\n\n\| Epic \| Title \| Used \| Estimated \| Budget \| Used of budget \| Cost \(USD\) \|\n\|:--\|:--\|--:\|--:\|--:\|--:\|--:\|\n/);
    assert.match(md, /\n\| EP-0001 \| Alpha \| 2,440 \| 4,000 \| 4,000 \| 61% \| \$0\.02 \|\n/);
    const hostile = md.split('\n').find((l) => l.startsWith('| EP-0002 '))!;
    assert.equal(hostile, '| EP-0002 | Pay \\| "split", \\<img src=x onerror=alert(1)\\> line two \\\\ end | 600 | 0 | 500 | 120% | — |');
    // Every row of a table has as many unescaped pipes as its header.
    const pipes = (l: string) => l.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;
    assert.equal(pipes(hostile), 9);
    assert.match(md, /\n## Teams\n\n\| Team \| Used \| Budget \| Used of budget \|\n\|:--\|--:\|--:\|--:\|\n\| =cmd \| 500 \| 100 \| 500% \|\n\| platform \| 1,800 \| 2,000 \| 90% \|\n/);
    assert.match(md, /\n## Weeks\n\n\| Week of \| Tokens \|\n\|:--\|--:\|\n\| 2026-11-02 \| 1,800 \|\n\| 2026-11-09 \| 510 \|\n$/);
    assert.equal(markdownCell('a|b\r\nc\\d`e'), 'a\\|b c\\\\d\\`e');
  });

  it('exports CSV: RFC 4180 quoting and CRLF, formula-looking text defused, numbers raw', () => {
    const csv = reportCsv(report());
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'section,name,title,used,estimated,budget,ratio,cost_usd');
    assert.equal(lines[1], 'epic,EP-0001,Alpha,2440,4000,4000,0.61,0.02');
    assert.equal(lines[2], 'epic,EP-0002,"Pay | ""split"", <img src=x onerror=alert(1)>\nline two \\ end",600,0,500,1.2,', 'the title with a newline stays one quoted field');
    assert.equal(lines[3], 'epic,EP-0010,No budget,0,0,,,');
    assert.ok(lines.includes("team,'=cmd,,500,,100,5,"), 'a team named =cmd cannot run as a formula');
    assert.ok(lines.includes('model,(no model),,30,,,,'));
    assert.ok(lines.includes('week,2026-11-09,,510,,,,'));
    assert.ok(csv.endsWith('\r\n'));
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('-x,y'), `"'-x,y"`);
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('\tcmd'), "'\tcmd");
    assert.equal(csvField(-5), '-5', 'numbers are numbers');
    assert.equal(csvField(null), '');
    assert.equal(csvField('a"b'), '"a""b"');
  });
});
