// The token budget webview in a real headless Chromium (webviewPage.mjs serves the very page the
// extension builds, CSP included, with the budget bundle): the charts and tables drawn from a report
// message, hostile text staying text, sorting by clicking headers, the export buttons' messages.
//   node scripts/build.mjs --tests && node test/webview/run-browser.mjs [--outdir=out] [--grep=budget]
// A screenshot goes to test-results/webview/budget.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWebviewPage } from './webviewPage.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUTDIR = process.env.AITD_OUTDIR || 'out';
const SHOTS = path.join(ROOT, 'test-results', 'webview');

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> & "quotes"';
const PROJECT = { root: '/work/demo', name: 'demo <b>bold</b>' };
const REPORT = {
  project: 'demo',
  thresholds: [0.75, 0.9, 1],
  pricesAsOf: '2026-01-01',
  total: { used: 61000, estimated: 90000, cost: 1.5, unpricedTokens: 10 },
  epics: [
    { id: 'EP-0001', title: 'Authentication', file: '/work/demo/tasks/epics/EP-0001.md', used: 20000, estimated: 30000, budget: 40000, ratio: 0.5, cost: 0.8 },
    { id: 'EP-0002', title: HOSTILE, file: '/work/demo/tasks/epics/EP-0002.md', used: 33000, estimated: 30000, budget: 30000, ratio: 1.1, cost: 0.5 },
    { id: 'EP-0010', title: 'Search', file: '/work/demo/tasks/epics/EP-0010.md', used: 8000, estimated: 30000, budget: null, ratio: null, cost: null },
  ],
  teams: [{ team: 'platform', used: 46000, budget: 50000, ratio: 0.92 }],
  models: [
    { model: 'claude-sonnet-4-5', tokens: 40000, cost: 1.2 },
    { model: 'gpt-5', tokens: 20990, cost: 0.3 },
    { model: 'mystery-9', tokens: 10, cost: null },
  ],
  weeks: [
    { week: '2026-11-02', tokens: 30000 },
    { week: '2026-11-09', tokens: 21000 },
    { week: '2026-11-16', tokens: 10000 },
  ],
};

const send = (b, m) => b.deliver(m);

const columnText = (b, table, key) => b.page.$$eval(`table[data-table="${table}"] tbody [data-key="${key}"]`, (cells) => cells.map((c) => c.textContent));

describe('budget webview', () => {
  let b;
  before(async () => {
    b = await openWebviewPage({ outdir: OUTDIR, script: 'budget', viewport: { width: 1200, height: 1400 } });
    await b.page.waitForFunction(() => window.__posted.length > 0);
    await send(b, { type: 'report', project: PROJECT, report: REPORT });
    await b.page.waitForSelector('body[data-ready="true"]');
  });
  after(async () => {
    await b?.close();
  });

  it('says ready first, then draws the three charts, each with a text alternative', async () => {
    assert.deepEqual((await b.posted())[0], { type: 'ready' });
    const charts = await b.page.$$eval('svg.chart', (svgs) => svgs.map((s) => ({ cls: s.getAttribute('class'), role: s.getAttribute('role'), label: s.getAttribute('aria-label'), title: s.querySelector(':scope > title')?.textContent })));
    assert.deepEqual(charts.map((c) => c.cls), ['chart budget-chart', 'chart cost-chart', 'chart week-chart']);
    for (const c of charts) {
      assert.equal(c.role, 'img');
      assert.ok(c.label.length > 20, c.label);
      assert.equal(c.title, c.label);
    }
    assert.match(charts[0].label, /EP-0001 Authentication: 20,000 of 40,000 tokens \(50%\)/);
    assert.match(charts[0].label, /EP-0002 .*: 33,000 of 30,000 tokens \(110%\), over budget/);
    assert.match(charts[0].label, /EP-0010 Search: 8,000 tokens, no budget/);
    assert.match(charts[0].label, /team platform: 46,000 of 50,000 tokens \(92%\)/);
    assert.match(charts[1].label, /claude-sonnet-4-5: \$1\.20 for 40,000 tokens; gpt-5: \$0\.30 .*mystery-9: no known price/);
    assert.match(charts[2].label, /week of 2026-11-02: 30,000; week of 2026-11-09: 21,000; week of 2026-11-16: 10,000/);
    assert.match(await b.page.textContent('h1'), /^Token budgets: demo <b>bold<\/b>$/);
  });

  it('usage bars: over budget in the error class, near the last warning threshold marked, threshold marks per budget', async () => {
    const rows = await b.page.$$eval('svg.budget-chart g.bar-row', (gs) =>
      gs.map((g) => ({
        key: g.dataset.key,
        used: g.querySelector('rect.used').getAttribute('class'),
        width: Number(g.querySelector('rect.used').getAttribute('width')),
        budget: g.querySelector('rect.budget') ? Number(g.querySelector('rect.budget').getAttribute('width')) : null,
        marks: [...g.querySelectorAll('line.mark')].map((l) => l.dataset.threshold),
        value: g.querySelector('text.value').textContent,
      })),
    );
    assert.deepEqual(rows.map((r) => [r.key, r.used]), [
      ['EP-0001', 'used'],
      ['EP-0002', 'used over'],
      ['EP-0010', 'used'],
      ['platform', 'used near'],
    ]);
    assert.deepEqual(rows[0].marks, ['0.75', '0.9', '1']);
    assert.deepEqual(rows[2].marks, [], 'no budget, no marks');
    assert.equal(rows[2].budget, null);
    assert.ok(rows[1].width > rows[1].budget, 'the over-budget bar goes past its budget');
    assert.ok(Math.abs(rows[0].width * 2 - rows[0].budget) < 0.01, 'half the budget is half the track');
    assert.equal(rows[1].value, '33,000 / 30,000 (110%)');
    assert.equal(rows[2].value, '8,000 · no budget');
    const over = await b.page.$eval('svg.budget-chart rect.used.over', (r) => getComputedStyle(r).fill);
    assert.equal(over, 'rgb(248, 81, 73)', 'the theme error colour');
    const costs = await b.page.$$eval('svg.cost-chart g.bar-row text.value', (t) => t.map((x) => x.textContent));
    assert.deepEqual(costs, ['$1.20 · 40,000 tokens', '$0.30 · 20,990 tokens', 'no price · 10 tokens']);
    const weeks = await b.page.$$eval('svg.week-chart g.column', (gs) => gs.map((g) => [g.dataset.week, Number(g.querySelector('rect').getAttribute('height'))]));
    assert.deepEqual(weeks.map((w) => w[0]), ['2026-11-02', '2026-11-09', '2026-11-16']);
    assert.ok(weeks[0][1] > weeks[1][1] && weeks[1][1] > weeks[2][1], 'taller columns for more tokens');
  });

  it('hostile titles stay text: no element made from them, nothing run', async () => {
    assert.equal(await b.page.evaluate(() => window.__pwned), undefined);
    assert.equal(await b.page.$$eval('#app img, #app script, #app b', (n) => n.length), 0);
    const cell = await b.page.$eval('table[data-table="epics"] tbody tr:nth-child(2) td[data-key="title"]', (td) => td.textContent);
    assert.equal(cell, HOSTILE);
    const label = await b.page.$eval('svg.budget-chart g.bar-row[data-key="EP-0002"] > title', (t) => t.textContent);
    assert.ok(label.includes(HOSTILE));
  });

  it('the tables: one per section, formatted, sorted by clicking a header with aria-sort, kept in the state', async () => {
    assert.deepEqual(await b.page.$$eval('table.report', (t) => t.map((x) => x.dataset.table)), ['epics', 'teams', 'models', 'weeks']);
    assert.deepEqual(await columnText(b, 'epics', 'ratio'), ['50%', '110%', '—']);
    assert.deepEqual(await columnText(b, 'epics', 'cost'), ['$0.80', '$0.50', '—']);
    const sortState = () => b.page.$$eval('table[data-table="epics"] thead th', (ths) => Object.fromEntries(ths.map((th) => [th.dataset.key, th.getAttribute('aria-sort')])));
    assert.equal((await sortState()).used, 'none');

    await b.page.click('table[data-table="epics"] th[data-key="used"] button');
    assert.deepEqual(await columnText(b, 'epics', 'id'), ['EP-0010', 'EP-0001', 'EP-0002']);
    assert.equal((await sortState()).used, 'ascending');
    assert.equal(await b.page.evaluate(() => document.activeElement?.closest('th')?.dataset.key), 'used', 'focus stays on the header');

    await b.page.keyboard.press('Enter');
    assert.deepEqual(await columnText(b, 'epics', 'id'), ['EP-0002', 'EP-0001', 'EP-0010']);
    assert.equal((await sortState()).used, 'descending');

    await b.page.click('table[data-table="epics"] th[data-key="budget"] button');
    assert.deepEqual(await columnText(b, 'epics', 'id'), ['EP-0002', 'EP-0001', 'EP-0010'], 'empty budgets last');
    const s = await sortState();
    assert.equal(s.budget, 'ascending');
    assert.equal(s.used, 'none');

    assert.deepEqual((await b.state()).sort.epics, { key: 'budget', direction: 'ascending' });
    assert.equal((await b.state()).root, PROJECT.root);

    await b.page.click('table[data-table="models"] th[data-key="model"] button');
    assert.deepEqual(await columnText(b, 'models', 'model'), ['claude-sonnet-4-5', 'gpt-5', 'mystery-9']);

    // A new report keeps the sort order.
    await send(b, { type: 'report', project: PROJECT, report: { ...REPORT, epics: [...REPORT.epics, { ...REPORT.epics[0], id: 'EP-0003', budget: 1000, ratio: 0.1 }] } });
    assert.deepEqual(await columnText(b, 'epics', 'id'), ['EP-0003', 'EP-0002', 'EP-0001', 'EP-0010']);
    await send(b, { type: 'report', project: PROJECT, report: REPORT });
  });

  it('clicking an epic id asks to open it', async () => {
    const before = (await b.posted()).length;
    await b.page.click('table[data-table="epics"] tbody th[data-key="id"] >> text=EP-0001');
    assert.deepEqual((await b.posted()).slice(before), [{ type: 'open', file: '/work/demo/tasks/epics/EP-0001.md' }]);
  });

  it('the export buttons post the format; the result shows in the status line', async () => {
    const before = (await b.posted()).length;
    await b.page.click('vscode-button.export-markdown');
    await b.page.click('vscode-button.export-csv');
    assert.deepEqual((await b.posted()).slice(before), [
      { type: 'export', format: 'markdown' },
      { type: 'export', format: 'csv' },
    ]);
    await send(b, { type: 'exportResult', format: 'csv', ok: true, message: 'Exported to <b>x</b>.csv.' });
    assert.equal(await b.page.textContent('.status'), 'Exported to <b>x</b>.csv.');
    assert.equal(await b.page.getAttribute('.status', 'data-kind'), 'info');
  });

  it('no Content-Security-Policy violations and no page errors; a screenshot', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await b.page.screenshot({ path: path.join(SHOTS, 'budget.png'), fullPage: true });
    assert.deepEqual(await b.violations(), [], 'Content-Security-Policy violations');
    assert.deepEqual(b.errors, [], 'page errors');
  });
});

describe('budget webview, restored', () => {
  it('takes the sort order from getState, and says what an empty project lacks', async () => {
    const b = await openWebviewPage({ outdir: OUTDIR, script: 'budget', state: { root: PROJECT.root, sort: { epics: { key: 'id', direction: 'descending' } } } });
    try {
      await b.page.waitForFunction(() => window.__posted.length > 0);
      await send(b, { type: 'report', project: PROJECT, report: REPORT });
      assert.deepEqual(await columnText(b, 'epics', 'id'), ['EP-0010', 'EP-0002', 'EP-0001']);
      assert.equal(await b.page.getAttribute('table[data-table="epics"] th[data-key="id"]', 'aria-sort'), 'descending');
      await send(b, { type: 'report', project: PROJECT, report: { ...REPORT, epics: [], teams: [], models: [], weeks: [] } });
      assert.equal(await b.page.$$eval('svg.chart', (s) => s.length), 0);
      const empties = await b.page.$$eval('.chart-section .empty', (p) => p.map((x) => x.textContent));
      assert.deepEqual(empties, ['No epic or team yet.', 'No usage entries name a model yet.', 'No usage entries with a time yet.']);
      assert.deepEqual(await b.violations(), []);
      assert.deepEqual(b.errors, []);
    } finally {
      await b.close();
    }
  });
});
