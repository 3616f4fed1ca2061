// The token budget panel as a user meets it: installed from the VSIX into code-server, opened from the
// command palette, its tables read in the webview, kept live as a task file's token count changes on
// disk, an epic opened from its row, and a table sorted by a click on its header.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useFixtureWorkbench } from './session.mjs';

/** How long a change may take to reach the panel on 2 busy cores. */
const WAIT = 20000;

/** The number of a formatted token count ("65,760"). */
const count = (text) => Number((text ?? '').replace(/[^\d]/g, ''));
/** The project's tokens used, as the summary line starts: "65,760 tokens used of …". */
const totalUsed = async (panel) => count(/^([\d,]+) tokens used/.exec(await panel.locator('p.summary').textContent())?.[1]);

describe('The token budget panel in VS Code', function () {
  /** @type {import('./workbench.mjs').Workbench} */
  let wb;
  let workspace;
  let panel;
  /** The cell of `column` in the epics table's row of `id`. */
  const epicCell = (id, column) => panel.locator('table[data-table="epics"] tbody tr').filter({ has: panel.locator(`[data-key="id"]`, { hasText: id }) }).locator(`[data-key="${column}"]`);
  const epicIds = () => panel.locator('table[data-table="epics"] tbody tr [data-key="id"]').evaluateAll((cells) => cells.map((c) => c.textContent.trim()));

  const session = useFixtureWorkbench('budget');
  before(() => {
    wb = session.wb;
    workspace = session.workspace;
  });

  it('opens from the command palette with each epic\'s usage, estimate and budget', async function () {
    this.timeout(3 * 60 * 1000);
    // The command is enabled once the index has found a project.
    await session.indexed();
    panel = await wb.openWebview('AI Trackdown: Open Token Budgets', 'Token Budgets: demo-project', 'demo-project');
    await panel.locator('#app:not([aria-busy])').waitFor({ timeout: 60000 });
    assert.equal((await panel.locator('h1.title').textContent()).trim(), 'Token budgets: demo-project');
    assert.match(await panel.locator('p.summary').textContent(), /^[\d,]+ tokens used of [\d,]+ estimated · cost .* at prices as of \d{4}-\d{2}-\d{2}/);
    const ids = await epicIds();
    for (const id of ['EP-0001', 'EP-0002']) assert.ok(ids.includes(id), `${id} should have a row: ${JSON.stringify(ids)}`);
    // The fixture: 65,760 tokens used under EP-0001 of 167,000 estimated; EP-0002 has used none of its 50,000.
    assert.equal(count(await epicCell('EP-0001', 'used').textContent()), 65760);
    assert.equal(count(await epicCell('EP-0001', 'estimated').textContent()), 167000);
    assert.equal(count(await epicCell('EP-0002', 'used').textContent()), 0);
    // The budget chart has a bar for each epic; the fixture's usage names no model and no time, which the other two charts say.
    await panel.locator('svg.budget-chart g.bar-row[data-key="EP-0001"]').waitFor();
    const empty = await panel.locator('.charts p.empty').allTextContents();
    assert.deepEqual(empty, ['No usage entries name a model yet.', 'No usage entries with a time yet.']);
    await wb.screenshot('budget-1-open');
  });

  it('a token count changed on disk shows in the open panel', async function () {
    // TSK-0003 (under ISS-0002, under EP-0001) has used nothing yet.
    const file = path.join(workspace, 'tasks', 'tasks', 'TSK-0003-rate-limit.md');
    const before = fs.readFileSync(file, 'utf8');
    assert.match(before, /^actual_tokens: 0$/m);
    const total = await totalUsed(panel);
    fs.writeFileSync(file, before.replace(/^actual_tokens: 0$/m, 'actual_tokens: 1000'));
    const deadline = Date.now() + WAIT;
    while (count(await epicCell('EP-0001', 'used').textContent()) !== 66760) {
      if (Date.now() > deadline) assert.fail(`EP-0001 should show 66,760 used; it shows ${await epicCell('EP-0001', 'used').textContent()}`);
      await wb.page.waitForTimeout(200);
    }
    assert.equal(await totalUsed(panel), total + 1000, 'the project total should grow by the same 1,000');
    await wb.screenshot('budget-2-live');
  });

  it('sorts a table by the header clicked, and back', async function () {
    const header = panel.locator('table[data-table="epics"] th[data-key="used"]');
    await header.locator('button').click();
    await panel.locator('table[data-table="epics"] th[data-key="used"][aria-sort="ascending"]').waitFor({ timeout: WAIT });
    const used = () => panel.locator('table[data-table="epics"] tbody tr [data-key="used"]').evaluateAll((cells) => cells.map((c) => Number(c.textContent.replace(/[^\d]/g, '') || 0)));
    const up = await used();
    assert.deepEqual(up, [...up].sort((a, b) => a - b), `ascending: ${up}`);
    await panel.locator('table[data-table="epics"] th[data-key="used"] button').click();
    await panel.locator('table[data-table="epics"] th[data-key="used"][aria-sort="descending"]').waitFor({ timeout: WAIT });
    const down = await used();
    assert.deepEqual(down, [...down].sort((a, b) => b - a), `descending: ${down}`);
    assert.equal((await epicIds())[0], 'EP-0001', 'the epic that used most comes first');
  });

  it('opens an epic\'s file from its row, beside the panel', async function () {
    await epicCell('EP-0001', 'id').locator('button.link').click();
    await wb.page.waitForFunction(() => {
      const tabs = [...document.querySelectorAll('.tabs-container [role=tab]')].map((t) => t.getAttribute('aria-label') ?? '');
      return tabs.some((l) => l.startsWith('EP-0001-user-authentication.md'));
    }, undefined, { timeout: WAIT }).catch(async () => assert.fail(`no tab for EP-0001-user-authentication.md; the active one is ${await wb.activeTab()}`));
    // Beside: the panel stays open in its own group.
    assert.equal(await wb.page.locator('.tabs-container [role=tab][aria-label^="Token Budgets: demo-project"]').count(), 1);
    assert.ok((await wb.page.locator('.editor-group-container').count()) >= 2, 'the epic should open in a second editor group');
    await wb.screenshot('budget-3-epic-opened');
  });
});
