// The extension as a user gets it: packaged as a VSIX, installed into code-server, used through the UI.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, useFixtureWorkbench } from './session.mjs';

const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('AI Trackdown installed from its VSIX', function () {
  /** @type {import('./workbench.mjs').Workbench} */
  let wb;
  let workspace;

  const session = useFixtureWorkbench('hierarchy');
  before(() => {
    wb = session.wb;
    workspace = session.workspace;
  });

  it('is installed in the profile from the VSIX', () => {
    assert.ok(wb.installedExtensions().includes(`${PKG.publisher}.${PKG.name}-${PKG.version}`), `installed: ${wb.installedExtensions().join(', ')}`);
  });

  it('shows the Hierarchy tree in the AI Trackdown container: epics and the orphans group', async () => {
    await wb.openContainer('AI Trackdown');
    const hierarchy = wb.pane('Hierarchy');
    const rows = await wb.waitForRows(hierarchy, 'epic EP-0001 and an orphans group', (rs) =>
      rs.some((r) => r.label.includes('EP-0001') && r.label.includes('User authentication')) && rs.some((r) => /orphan/i.test(r.label)) && rs);
    // Epics sit at the top of their project: no epic is nested under another item.
    const epic = rows.find((r) => r.label.includes('EP-0001'));
    const orphans = rows.find((r) => /orphan/i.test(r.label));
    assert.equal(epic.level, orphans.level, `EP-0001 and the orphans group should be siblings: ${JSON.stringify(rows)}`);
    await wb.screenshot('1-hierarchy');
  });

  it('expands an epic to its issues', async () => {
    const hierarchy = wb.pane('Hierarchy');
    await wb.expandRow(hierarchy, 'EP-0001');
    const rows = await wb.waitForRows(hierarchy, 'ISS-0001 under EP-0001', (rs) => rs.some((r) => r.label.includes('ISS-0001')) && rs);
    const epic = rows.findIndex((r) => r.label.includes('EP-0001'));
    const issue = rows.findIndex((r) => r.label.includes('ISS-0001'));
    assert.ok(issue > epic && rows[issue].level === rows[epic].level + 1, `ISS-0001 should be a child row of EP-0001: ${JSON.stringify(rows)}`);
    await wb.screenshot('2-epic-expanded');
  });

  it('"Go to Task…" from the command palette opens the picked item\'s file', async () => {
    await wb.runCommand('AI Trackdown: Go to Task…');
    await wb.quickInput().fill('ISS-0001');
    await wb.pick('ISS-0001', (label) => label.startsWith('ISS-0001'));
    await wb.page.waitForFunction(() => {
      const tab = document.querySelector('.editor-group-container.active .tabs-container [role=tab].active');
      return (tab?.getAttribute('aria-label') ?? '').startsWith('ISS-0001-login-form.md');
    }, undefined, { timeout: 30000 }).catch(async () => assert.fail(`the active tab is ${await wb.activeTab()}, not ISS-0001-login-form.md`));
    const editor = wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.waitFor();
    assert.match((await editor.textContent()).replace(/\u00a0/g, ' '), /issue_id: ISS-0001/);
    await wb.screenshot('3-go-to-task');
  });

  it('"Change State…" on the open task: a forced state asks why, refuses no reason, and is written as a manual override', async () => {
    const file = path.join(workspace, 'tasks', 'issues', 'ISS-0001-login-form.md');
    const before = fs.readFileSync(file, 'utf8');
    // The open editor is ISS-0001's (the test before opened it): the command acts on it without asking which.
    await wb.runCommand('AI Trackdown: Change State\u2026');
    // Done is not allowed from Ready for Engineering: it is offered under "Force".
    await wb.pick('Done under Force', (label) => label === 'Done');
    // The reason box of a forced transition, not the optional one of an allowed one.
    await wb.page.locator('.quick-input-widget', { hasText: 'Why is this transition forced?' }).waitFor({ timeout: 30000 });
    await wb.quickInput().press('Enter');
    await wb.page.locator('.quick-input-widget .quick-input-message', { hasText: 'A forced transition needs a reason.' }).waitFor({ timeout: 30000 });
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'nothing is written while the reason is missing');
    await wb.quickInput().fill('released with the hotfix');
    await wb.quickInput().press('Enter');
    const deadline = Date.now() + 30000;
    let text = before;
    while (!/^state: done$/m.test(text)) {
      if (Date.now() > deadline) assert.fail(`state: done never written; the file reads:\n${text}`);
      await wb.page.waitForTimeout(200);
      text = fs.readFileSync(file, 'utf8');
    }
    const data = parseYaml(text.split(/^---$/m)[1]);
    assert.equal(data.status, 'completed');
    assert.equal(data.state_metadata.previous_state, 'ready_for_engineering');
    assert.equal(data.state_metadata.manual_override, true);
    assert.equal(data.state_metadata.transition_reason, 'released with the hotfix');
    assert.equal(data.title, 'Login form', 'the rest of the frontmatter stays');
  });
});
