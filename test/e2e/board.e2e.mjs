// The kanban board as a user drives it: installed from the VSIX into code-server, opened from the
// command palette, cards dragged with the mouse (HTML5 drag and drop inside the webview's nested
// iframes) and moved with the keyboard; every move is checked in the task file on disk.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { useFixtureWorkbench } from './session.mjs';


/** The frontmatter keys a transition writes (CLI format); everything else in a file must stay byte for byte. */
const TRANSITION_KEYS = ['state', 'status', 'state_metadata', 'updated_date'];
/** How long a change may take to reach the file or the board on 2 busy cores. */
const WAIT = 20000;

// ---- task files

/** The file's lines, each with its own line end (so CRLF files compare byte for byte). */
const lines = (text) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** The frontmatter as data (YAML 1.1, as the CLI reads it) and where the closing `---` line is. */
function frontmatter(text) {
  const ls = lines(text.replace(/^\uFEFF/, ''));
  assert.match(ls[0] ?? '', /^---\r?\n$/, 'the file should start with a frontmatter block');
  const close = ls.findIndex((l, i) => i > 0 && /^---\r?\n?$/.test(l));
  assert.ok(close > 0, 'the frontmatter block should be closed');
  return { data: parseYaml(ls.slice(1, close).join(''), { version: '1.1' }), close };
}

/** The file's text without the top-level frontmatter keys `keys` (each key's line and its indented or `- ` lines). */
function withoutKeys(text, keys) {
  const ls = lines(text);
  const { close } = frontmatter(text);
  let skipping = false;
  return ls
    .filter((l, i) => {
      if (i === 0 || i >= close) return true;
      const key = /^([^\s#:-][^:]*):(?:\s|$)/.exec(l)?.[1];
      if (key !== undefined) skipping = keys.includes(key);
      else if (!/^(?:[ \t]|- |-\r?\n)/.test(l)) skipping = false;
      return !skipping;
    })
    .join('');
}

const eol = (text) => (text.includes('\r\n') ? '\r\n' : '\n');

/** Poll `file` until `test(text)` holds; fail with `what` and the file as it last was. */
async function waitForFile(file, what, test, timeout = WAIT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = fs.readFileSync(file, 'utf8');
    if (test(text)) return text;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} in ${path.basename(file)}; it reads:\n${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Assert that `after` is `before` with only the transition keys changed, and that those record from → to. */
function assertTransitionWritten(before, after, from, to, status) {
  assert.equal(withoutKeys(after, TRANSITION_KEYS), withoutKeys(before, TRANSITION_KEYS), 'everything but the transition keys should be unchanged byte for byte');
  // The keys the transition added use the file's own line ends.
  if (eol(before) === '\r\n') assert.ok(!/[^\r]\n/.test(after), 'a CRLF file should keep CRLF line ends on every line, new ones too');
  else assert.ok(!after.includes('\r'), 'an LF file should get no CR');
  const was = frontmatter(before).data;
  const { data } = frontmatter(after);
  assert.equal(data.state, to);
  assert.equal(data.status, status);
  assert.equal(data.state_metadata?.previous_state, from, `state_metadata: ${JSON.stringify(data.state_metadata)}`);
  assert.ok(data.state_metadata?.transitioned_by, `state_metadata.transitioned_by: ${JSON.stringify(data.state_metadata)}`);
  assert.ok(!Number.isNaN(Date.parse(data.state_metadata?.transitioned_at)), `state_metadata.transitioned_at: ${JSON.stringify(data.state_metadata)}`);
  assert.notEqual(String(data.updated_date), String(was.updated_date), 'updated_date should be set to the time of the move');
}

// ---- the board webview

/** Card ids by column (state) as the board shows them. */
async function columns(board) {
  return board.locator('.cell').evaluateAll((cells) => {
    const out = {};
    for (const c of cells) (out[c.dataset.state] ??= []).push(...[...c.querySelectorAll('.card')].map((k) => k.dataset.id));
    return out;
  });
}

/** Poll the board's columns until `test(cols)` holds (no card still marked as moving); fail with `what` and what it showed. */
async function waitForColumns(wb, board, what, test, timeout = WAIT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const cols = await columns(board).catch(() => ({}));
    const busy = await board.locator('.card.pending').count().catch(() => 0);
    if (!busy && test(cols)) return cols;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; the board showed ${JSON.stringify(cols)}${busy ? ` with ${busy} card(s) still moving` : ''}`);
    await wb.page.waitForTimeout(200);
  }
}

const inColumn = (cols, state, ...ids) => ids.every((id) => (cols[state] ?? []).includes(id));
const statusText = async (board) => ((await board.locator('.status').textContent()) ?? '').trim();

describe('The kanban board in VS Code', function () {
  /** @type {import('./workbench.mjs').Workbench} */
  let wb;
  let workspace;
  let board;
  const task = (rel) => path.join(workspace, 'tasks', rel);

  const session = useFixtureWorkbench('board');
  before(() => {
    wb = session.wb;
    workspace = session.workspace;
  });

  it('opens from the command palette with the cards in their columns', async function () {
    this.timeout(3 * 60 * 1000);
    // The command is enabled once the index has found a project.
    await session.indexed();
    board = await wb.openWebview('AI Trackdown: Open Board', 'Board: demo-project', 'demo-project');
    await board.locator('body[data-ready="true"]').waitFor();
    const cols = await waitForColumns(wb, board, 'the fixture cards', (c) => inColumn(c, 'planning', 'ISS-0003'));
    const expected = {
      planning: ['EP-0002', 'ISS-0002', 'ISS-0003', 'TSK-0003', 'TASK-001'],
      active: ['EP-0001', 'PR-0001', 'TSK-0002', 'EPIC-001'],
      ready_for_engineering: ['ISS-0001'],
      done: ['ISS-0004', 'TSK-0001'],
    };
    for (const [state, ids] of Object.entries(expected)) {
      for (const id of ids) assert.ok(inColumn(cols, state, id), `${id} should be in ${state}: ${JSON.stringify(cols)}`);
    }
    assert.deepEqual(cols.ready_for_qa ?? [], [], `Ready for QA should be empty: ${JSON.stringify(cols)}`);
    assert.match(((await board.locator('.counts').textContent()) ?? '').trim(), /^13 of 13 cards/);
    await wb.screenshot('board-1-open');
  });

  it('dragging a card to an allowed column writes the transition to its file', async function () {
    // ISS-0003 is planning, and a CRLF file: planning → Ready for Engineering is allowed.
    const file = task('issues/ISS-0003-export-csv.md');
    const before = fs.readFileSync(file, 'utf8');
    assert.ok(before.includes('\r\n'), 'the fixture should be a CRLF file');
    await board.locator('.card[data-id="ISS-0003"]').dragTo(board.locator('.cell[data-state="ready_for_engineering"]'));
    const after = await waitForFile(file, 'state: ready_for_engineering', (t) => /^state: ready_for_engineering\r?$/m.test(t) && /^\s+previous_state: planning\r?$/m.test(t));
    assertTransitionWritten(before, after, 'planning', 'ready_for_engineering', 'active');
    await waitForColumns(wb, board, 'ISS-0003 in Ready for Engineering', (c) => inColumn(c, 'ready_for_engineering', 'ISS-0003', 'ISS-0001') && !inColumn(c, 'planning', 'ISS-0003'));
    assert.equal(await board.locator('.cell[data-state="ready_for_engineering"] .card[data-id="ISS-0003"]').getAttribute('aria-label'), 'Issue ISS-0003: Export to CSV, Ready for Engineering');
    assert.equal(await statusText(board), 'ISS-0003 moved to Ready for Engineering.');
    await wb.screenshot('board-2-dragged');
  });

  it('a drag the workflow refuses snaps back, changes nothing and offers to force it', async function () {
    // TSK-0003 is planning: planning → Ready for QA is not an allowed transition.
    const file = task('tasks/TSK-0003-rate-limit.md');
    const before = fs.readFileSync(file, 'utf8');
    await board.locator('.card[data-id="TSK-0003"]').dragTo(board.locator('.cell[data-state="ready_for_qa"]'));
    const toast = wb.page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Planning → Ready for QA is not an allowed transition' });
    await toast.waitFor({ timeout: WAIT });
    assert.match(await toast.locator('.notification-list-item-message').innerText(), /From Planning an item may go to Ready for Engineering, Won't Do\./);
    await toast.locator('.monaco-button', { hasText: 'Force…' }).waitFor();
    assert.match(await statusText(board), /^TSK-0003: Planning → Ready for QA is not an allowed transition\./);
    assert.equal(await board.locator('.status').getAttribute('data-kind'), 'error');
    await waitForColumns(wb, board, 'TSK-0003 back in Planning', (c) => inColumn(c, 'planning', 'TSK-0003') && !(c.ready_for_qa ?? []).length);
    await wb.page.waitForTimeout(1500); // a write, if one were (wrongly) under way, would land by now
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'a refused move must not touch the file');
    await wb.screenshot('board-3-refused');
    // Dismiss the offer (no force), so that the toast does not cover the board in later screenshots.
    await toast.hover();
    await toast.locator('.codicon-notifications-clear, .codicon-close').first().click();
    await toast.waitFor({ state: 'hidden' });
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'dismissing the offer must not touch the file');
  });

  it('Force… on a refused drag asks why and writes the transition as a manual override', async function () {
    const file = task('tasks/TSK-0003-rate-limit.md');
    const before = fs.readFileSync(file, 'utf8');
    await board.locator('.card[data-id="TSK-0003"]').dragTo(board.locator('.cell[data-state="ready_for_qa"]'));
    const toast = wb.page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Planning → Ready for QA is not an allowed transition' });
    await toast.locator('.monaco-button', { hasText: 'Force…' }).click();
    // The reason is required: an empty one is not accepted.
    await wb.quickInput().waitFor();
    await wb.quickInput().press('Enter');
    await wb.page.locator('.quick-input-widget .quick-input-message', { hasText: 'A forced transition needs a reason.' }).waitFor({ timeout: WAIT });
    await wb.quickInput().fill('hotfix reviewed out of band');
    await wb.quickInput().press('Enter');
    const after = await waitForFile(file, 'state: ready_for_qa as a manual override', (t) => /^state: ready_for_qa$/m.test(t));
    assertTransitionWritten(before, after, 'planning', 'ready_for_qa', 'active');
    const meta = frontmatter(after).data.state_metadata;
    assert.equal(meta.manual_override, true);
    assert.equal(meta.automation_source, 'manual');
    assert.equal(meta.transition_reason, 'hotfix reviewed out of band');
    await waitForColumns(wb, board, 'TSK-0003 in Ready for QA', (c) => inColumn(c, 'ready_for_qa', 'TSK-0003'));
  });

  it('a file changed on disk moves its card live, without reloading the board', async function () {
    // A filter typed first and a marker in the page's window: both must survive the update.
    await board.locator('vscode-textfield.search input').fill('EP-000');
    await waitForColumns(wb, board, 'only EP-0001 and EP-0002 shown', (c) => Object.values(c).flat().sort().join() === 'EP-0001,EP-0002');
    await board.locator('body').evaluate(() => {
      window.__e2eMarker = 'still the same page';
    });
    assert.match(((await board.locator('.counts').textContent()) ?? '').trim(), /^2 of 13 cards/);

    // What the CLI does: rewrite the file with a new status word.
    const file = task('epics/EP-0002-reporting.md');
    const before = fs.readFileSync(file, 'utf8');
    assert.match(before, /^status: planning$/m);
    fs.writeFileSync(file, before.replace(/^status: planning$/m, 'status: active'));
    const t0 = Date.now();
    await waitForColumns(wb, board, 'EP-0002 in Active after its file changed', (c) => inColumn(c, 'active', 'EP-0002', 'EP-0001') && !inColumn(c, 'planning', 'EP-0002'), 10000);
    console.error(`[e2e] the board showed the change after ${Date.now() - t0} ms`);
    assert.equal(await board.locator('body').evaluate(() => window.__e2eMarker), 'still the same page', 'the board page was reloaded');
    assert.equal(await board.locator('vscode-textfield.search input').inputValue(), 'EP-000');
    assert.equal(Object.values(await columns(board)).flat().length, 2, 'the filter should still apply');
    await wb.screenshot('board-4-live-update');

    await board.locator('vscode-button.clear').click();
    await waitForColumns(wb, board, 'all cards after Clear', (c) => Object.values(c).flat().length === 13);
  });

  it('Alt+ArrowRight on a focused card moves it to the next column and writes its file', async function () {
    // TSK-0002 is active; the next column is Ready for Engineering, an allowed move.
    const file = task('tasks/TSK-0002-session-api.md');
    const before = fs.readFileSync(file, 'utf8');
    const card = board.locator('.card[data-id="TSK-0002"]');
    await card.focus();
    await card.press('Alt+ArrowRight');
    const after = await waitForFile(file, 'state: ready_for_engineering', (t) => /^state: ready_for_engineering$/m.test(t) && /^\s+previous_state: active$/m.test(t));
    assertTransitionWritten(before, after, 'active', 'ready_for_engineering', 'active');
    await waitForColumns(wb, board, 'TSK-0002 in Ready for Engineering', (c) => inColumn(c, 'ready_for_engineering', 'TSK-0002') && !inColumn(c, 'active', 'TSK-0002'));
    // The keyboard stays on the moved card.
    assert.equal(await board.locator('body').evaluate(() => document.activeElement?.getAttribute('data-id')), 'TSK-0002', 'focus should stay on the moved card');
    await wb.screenshot('board-5-keyboard');
  });

  it('comes back after a reload of the window, with its filter', async function () {
    this.timeout(3 * 60 * 1000);
    await board.locator('vscode-textfield.search input').fill('TSK');
    await waitForColumns(wb, board, 'only tasks shown', (c) => Object.values(c).flat().every((id) => id.startsWith('TSK')));
    // The webview saves its state as it changes; VS Code keeps it with the panel across the reload.
    await wb.page.waitForTimeout(500);
    // As a user reloads: the workbench shuts down properly (saving every editor's state) and loads again.
    await Promise.all([wb.page.waitForEvent('load', { timeout: 60000 }), wb.runCommand('Developer: Reload Window')]);
    await wb.page.locator('.monaco-workbench .part.activitybar').waitFor();
    await wb.page.locator('.tabs-container [role=tab]', { hasText: 'Board: demo-project' }).waitFor();
    board = wb.webviewFrame();
    await board.locator('body[data-ready="true"]').waitFor({ timeout: 60000 });
    assert.equal(await board.locator('vscode-textfield.search input').inputValue(), 'TSK');
    const cols = await waitForColumns(wb, board, 'the restored board with tasks only', (c) => Object.values(c).flat().length > 0);
    assert.ok(Object.values(cols).flat().every((id) => id.startsWith('TSK')), `only tasks after the reload: ${JSON.stringify(cols)}`);
    await wb.screenshot('board-6-restored');
  });
});
