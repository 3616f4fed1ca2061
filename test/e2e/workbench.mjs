// A real VS Code workbench (code-server in headless Chromium) with the extension installed from its
// VSIX, and the few UI moves the end-to-end tests make: open a view container, read and expand tree
// rows, run palette commands, pick from quick picks, read editor tabs, take screenshots.
// Selectors are VS Code's own DOM classes (tested with code-server 4.139 = VS Code 1.139).
import fs from 'node:fs';
import path from 'node:path';
import { openBrowser, startCodeServer, workbenchUrl } from '../launch/codeServer.mjs';

const WAIT = 60000; // VS Code on 2 busy cores can take this long for a first view

/** The labels of the quick-pick options `options` finds, in their order. */
const optionLabels = (options) => options.evaluateAll((els) => els.map((e) => (e.querySelector('.label-name')?.textContent ?? '').trim()));

export class Workbench {
  /**
   * Start code-server with `vsix` installed, open `workspace` in Chromium, wait for the workbench.
   * `restricted`: open it in Restricted Mode (workspace trust on, the folder not trusted).
   */
  static async open({ bin, workspace, vsix, artifacts, restricted = false }) {
    fs.mkdirSync(artifacts, { recursive: true });
    const server = await startCodeServer({ bin, vsix: [vsix], restricted });
    const wb = new Workbench(server, artifacts);
    try {
      const { browser, page } = await openBrowser(bin);
      wb.browser = browser;
      wb.page = page;
      page.setDefaultTimeout(WAIT);
      const consoleLog = fs.createWriteStream(path.join(server.runDir, 'browser-console.log'));
      page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
      await page.goto(workbenchUrl(server, workspace), { timeout: 120000 });
      await page.locator('.monaco-workbench .part.activitybar').waitFor();
      await page.locator('.monaco-workbench .part.statusbar').waitFor();
    } catch (e) {
      await wb.close(true);
      throw e;
    }
    return wb;
  }

  constructor(server, artifacts) {
    this.server = server;
    this.artifacts = artifacts;
    this.browser = undefined;
    /** @type {import('playwright-core').Page} */
    this.page = undefined;
  }

  /** Extensions installed in this server's profile (folder names such as publisher.name-version). */
  installedExtensions() {
    return fs.readdirSync(this.server.extensionsDir).filter((n) => !n.startsWith('.') && n !== 'extensions.json');
  }

  /** Click the activity-bar entry titled `title` (unless its side bar is already shown) and wait for it. */
  async openContainer(title) {
    const icon = this.page.locator(`.part.activitybar [role=tab][aria-label^="${title}"], .part.activitybar a.action-label[aria-label^="${title}"]`).first();
    await icon.waitFor();
    const sideBarTitle = this.page.locator('.part.sidebar .composite.title');
    const shown = async () => ((await sideBarTitle.first().textContent().catch(() => '')) ?? '').toLowerCase().startsWith(title.toLowerCase());
    if (!(await this.page.locator('.part.sidebar').isVisible()) || !(await shown())) await icon.click();
    await this.page.waitForFunction(
      (t) => (document.querySelector('.part.sidebar .composite.title')?.textContent ?? '').toLowerCase().startsWith(t),
      title.toLowerCase(),
    );
  }

  /** The side-bar section (view pane) whose header reads `name`. */
  pane(name) {
    return this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator('.pane-header', { hasText: name }) }).first();
  }

  /** The visible rows of a tree pane: label text, aria-level and whether it is expanded. */
  async treeRows(pane) {
    return pane.locator('.pane-body [role=treeitem]').evaluateAll((els) => els.map((e) => ({
      label: (e.querySelector('.label-name')?.textContent ?? e.textContent ?? '').trim(),
      level: Number(e.getAttribute('aria-level')),
      expanded: e.getAttribute('aria-expanded'),
    })));
  }

  /** Poll the pane's rows until `test(rows)` returns something truthy; fail naming `what` and the rows seen. */
  async waitForRows(pane, what, test) {
    const deadline = Date.now() + WAIT;
    for (;;) {
      const rows = await this.treeRows(pane);
      const found = test(rows);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the tree showed ${JSON.stringify(rows.map((r) => r.label))}`);
      await this.page.waitForTimeout(200);
    }
  }

  /**
   * Expand the row whose label is `label` by its twistie (a click on the row itself would open the file).
   * The tree may re-render while the index settles, so the row is looked up afresh and clicked again until it stays expanded.
   */
  async expandRow(pane, label) {
    const row = pane.locator('.pane-body [role=treeitem]').filter({ has: this.page.locator('.label-name', { hasText: label }) }).first();
    const deadline = Date.now() + WAIT;
    while ((await row.getAttribute('aria-expanded', { timeout: 5000 }).catch(() => null)) !== 'true') {
      if (Date.now() > deadline) throw new Error(`the row ${label} never expanded; the tree showed ${JSON.stringify((await this.treeRows(pane)).map((r) => r.label))}`);
      await row.locator('.monaco-tl-twistie').click({ timeout: 5000 }).catch(() => undefined);
      await this.page.waitForTimeout(1000);
    }
  }

  /** Run a palette command by its full label ("Category: Title"). */
  async runCommand(label) {
    await this.page.keyboard.press('F1');
    await this.quickInput().waitFor();
    await this.quickInput().fill(`>${label}`);
    await this.pick(label, (l) => l === label);
  }

  quickInput() {
    return this.page.locator('.quick-input-widget input').first();
  }

  /** The labels of the options the quick pick shows now. */
  quickPickLabels() {
    return optionLabels(this.page.locator('.quick-input-widget [role=option]'));
  }

  /** Click the first quick-pick option whose label passes `match`, waiting for the list to offer it. */
  async pick(what, match) {
    const options = this.page.locator('.quick-input-widget [role=option]');
    const deadline = Date.now() + WAIT;
    for (;;) {
      const labels = await optionLabels(options);
      const i = labels.findIndex(match);
      if (i >= 0) {
        // By its label, not by its place: the list can still change between this read and the click.
        const exact = new RegExp(`^\\s*${labels[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
        await options.filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first().click();
        return labels[i];
      }
      if (Date.now() > deadline) {
        await this.page.keyboard.press('Escape');
        throw new Error(`the quick pick never offered ${what}; it showed ${JSON.stringify(labels)}`);
      }
      await this.page.waitForTimeout(100);
    }
  }

  /**
   * Wait for the editor tab whose label starts with `tabLabel`, answering the "Which project?" pick
   * with `project` if the command asks (the fixture workspace holds two projects).
   */
  async openedOrPicked(tabLabel, project) {
    const tab = this.page.locator(`.tabs-container [role=tab][aria-label^="${tabLabel}"]`);
    const deadline = Date.now() + 60000;
    const options = this.page.locator('.quick-input-widget:not([style*="display: none"]) [role=option]');
    while (!(await tab.count())) {
      const labels = await optionLabels(options);
      if (labels.includes(project)) {
        await this.pick(`${project} in "Which project?"`, (l) => l === project);
        await tab.waitFor();
        return;
      }
      if (Date.now() > deadline) throw new Error(`no tab "${tabLabel}"; the quick pick showed ${JSON.stringify(labels)}`);
      await this.page.waitForTimeout(200);
    }
  }

  /** Run `command`, which opens a project's webview panel (tab `tabLabel`) for `project`; return its page. */
  async openWebview(command, tabLabel, project) {
    await this.runCommand(command);
    await this.openedOrPicked(tabLabel, project);
    return this.webviewFrame();
  }

  /** The page of the visible webview: its outer iframe, then VS Code's inner `#active-frame` holding the page. */
  webviewFrame() {
    return this.page.locator('iframe.webview.ready').filter({ visible: true }).last().contentFrame().locator('iframe#active-frame').contentFrame();
  }

  /** aria-label of the active editor tab of the active group (the file name first). */
  async activeTab() {
    return this.page.locator('.editor-group-container.active .tabs-container [role=tab].active').first().getAttribute('aria-label', { timeout: 5000 }).catch(() => null);
  }

  async screenshot(name) {
    const file = path.join(this.artifacts, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Close the browser, stop the server; keep its run folder (logs, profile) when asked to. */
  async close(keep = false) {
    if (this.browser) await this.browser.close().catch(() => {});
    await this.server.stop();
    if (keep) console.error(`[e2e] code-server logs and profile kept in ${this.server.runDir}`);
    else fs.rmSync(this.server.runDir, { recursive: true, force: true });
  }
}
