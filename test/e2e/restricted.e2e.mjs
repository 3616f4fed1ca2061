// The extension in a workspace that is not trusted (VS Code's Restricted Mode): tasks are read and
// shown, but nothing that runs programs or sends data runs: git commands are not offered, sync refuses
// and says why, and llms.txt is not written on save. Trusting the workspace turns them on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useFixtureWorkbench } from './session.mjs';

const WAIT = 20000;

describe('AI Trackdown in Restricted Mode', function () {
  /** @type {import('./workbench.mjs').Workbench} */
  let wb;
  let workspace;
  const llms = () => path.join(workspace, 'llms.txt');

  const session = useFixtureWorkbench('restricted', { restricted: true });
  before(() => {
    wb = session.wb;
    workspace = session.workspace;
  });

  /** The palette's offers for `query` (closed again afterwards). */
  async function paletteOffers(query) {
    await wb.page.keyboard.press('F1');
    await wb.quickInput().waitFor();
    await wb.quickInput().fill(`>${query}`);
    await wb.page.waitForTimeout(500);
    const labels = await wb.quickPickLabels();
    await wb.page.keyboard.press('Escape');
    return labels;
  }

  /** Wait for a notification toast holding `text`. */
  const toast = (text) => wb.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first().waitFor({ timeout: WAIT });

  it('opens in Restricted Mode and still reads the tasks into the trees', async function () {
    this.timeout(3 * 60 * 1000);
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await session.indexed();
    await wb.screenshot('restricted-1-trees');
  });

  it('offers no git command: git runs hooks and programs a repository configures', async () => {
    assert.ok((await paletteOffers('AI Trackdown: Open Board')).includes('AI Trackdown: Open Board'), 'the palette offers the reading commands');
    for (const git of ['AI Trackdown: Start Work on Task', 'AI Trackdown: Show Task History', 'AI Trackdown: Install Git Commit Hook']) {
      const offers = await paletteOffers(git);
      assert.ok(!offers.includes(git), `${git} should not be offered in Restricted Mode: ${JSON.stringify(offers)}`);
    }
  });

  it('Sync Now refuses and says why, and writes no sync state', async () => {
    await wb.runCommand('AI Trackdown: Sync Now');
    await toast('Sync is turned off in this workspace until it is trusted');
    assert.ok(!fs.existsSync(path.join(workspace, '.ai-trackdown', 'sync')), 'no sync state should be written');
    await wb.screenshot('restricted-2-sync-refused');
  });

  it('a saved task does not write llms.txt until the workspace is trusted, then it does', async function () {
    this.timeout(2 * 60 * 1000);
    assert.ok(!fs.existsSync(llms()), 'the fixture has no llms.txt');
    await wb.runCommand('AI Trackdown: Go to Task…');
    await wb.quickInput().fill('ISS-0001');
    await wb.pick('ISS-0001', (label) => label.startsWith('ISS-0001'));
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type('Edited in Restricted Mode.');
    await wb.page.keyboard.press('Control+S');
    const file = path.join(workspace, 'tasks', 'issues', 'ISS-0001-login-form.md');
    const deadline = Date.now() + WAIT;
    while (!fs.readFileSync(file, 'utf8').includes('Edited in Restricted Mode.')) {
      if (Date.now() > deadline) assert.fail('the edit was not saved');
      await wb.page.waitForTimeout(200);
    }
    // Well past the regeneration's debounce: nothing is written.
    await wb.page.waitForTimeout(3000);
    assert.ok(!fs.existsSync(llms()), 'llms.txt should not be written in Restricted Mode');

    await wb.runCommand('Workspaces: Manage Workspace Trust');
    await wb.page.getByRole('button', { name: 'Trust', exact: true }).first().click();
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: WAIT });
    const until = Date.now() + WAIT;
    while (!fs.existsSync(llms())) {
      if (Date.now() > until) assert.fail('llms.txt should be written once the workspace is trusted (the save waited for it)');
      await wb.page.waitForTimeout(200);
    }
    assert.match(fs.readFileSync(llms(), 'utf8'), /^# demo-project/m);
    const offers = await paletteOffers('AI Trackdown: Start Work');
    assert.ok(offers.includes('AI Trackdown: Start Work on Task'), `trusted, the git commands are offered: ${JSON.stringify(offers)}`);
    await wb.screenshot('restricted-3-trusted');
  });
});
