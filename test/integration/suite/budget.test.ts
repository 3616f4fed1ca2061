import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { itemUsage, rolledUsage } from '../../../src/core/tokens';
import type { BudgetAlert } from '../../../src/host/budget/alerts';
import { COMMANDS } from '../../../src/host/commandIds';
import type { ImportResult } from '../../../src/host/commands/importUsage';
import { api, EXTENSION_ID, waitFor, wsFile, wsRoot } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

const EPIC = 'tasks/epics/EPIC-001-legacy-onboarding.md';

describe('token budgets', () => {
  let restore: () => void;
  before(() => {
    restore = snapshot(wsRoot());
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    restore();
    await indexMatchesDisk((await api()).index);
    // Documents these tests wrote through stay loaded after their editors close: later suites edit
    // through them, so they must hold the restored text first.
    const stale = () =>
      vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && !d.isDirty && fs.existsSync(d.uri.fsPath) && d.getText() !== fs.readFileSync(d.uri.fsPath, 'utf8'));
    await waitFor(() => !stale().length, 'open documents to hold the restored files', 15000);
  });

  const epicLine = async () => {
    const a = await api();
    await a.budgets.watcher.settled();
    return a.budgets.watcher.current.get(wsRoot())?.lines.find((l) => l.kind === 'epic' && l.key === 'EPIC-001');
  };
  const setEpicTotal = (total: number) => fs.writeFileSync(wsFile(EPIC), fs.readFileSync(wsFile(EPIC), 'utf8').replace(/^ {2}total: \d+$/m, `  total: ${total}`));

  it("the status bar shows the active file's epic: tokens used by it and its items, against its budget", async () => {
    const a = await api();
    await vscode.window.showTextDocument(vscode.Uri.file(wsFile(EPIC)));
    const line = (await epicLine())!;
    const epic = a.index.entry(wsFile(EPIC))!.item!;
    assert.strictEqual(line.used, rolledUsage(a.index, epic).used);
    assert.strictEqual(line.budget, 40000);
    await waitFor(() => a.budgets.statusBar.item.text.startsWith('$(pulse) EPIC-001: '), 'the status bar to name EPIC-001');
    assert.match(a.budgets.statusBar.item.text, /^\$\(pulse\) EPIC-001: [\d.]+K? \/ 40K \(\d+%\) tokens$/);
    assert.strictEqual(a.budgets.statusBar.item.backgroundColor, undefined, 'under every threshold');

    // An epic without a budget (the CLI's files have none): its usage alone.
    await vscode.window.showTextDocument(vscode.Uri.file(wsFile('tasks/issues/ISS-0001-login-form.md')));
    await waitFor(() => a.budgets.statusBar.item.text.startsWith('$(pulse) EP-0001: '), 'the status bar to name EP-0001, the epic of ISS-0001');
    assert.doesNotMatch(a.budgets.statusBar.item.text, /\//);
  });

  it('alerts once per threshold crossed, colours the status bar, and flags the epic once it is over budget', async () => {
    const a = await api();
    const alerts: BudgetAlert[] = [];
    const sub = a.budgets.alerts.onDidAlert((e) => alerts.push(e));
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(wsFile(EPIC)), { preview: false });
      const base = (await epicLine())!.used - 1892;
      setEpicTotal(37000 - base);
      await waitFor(async () => (await epicLine())?.used === 37000, 'EPIC-001 at 37,000 tokens');
      await waitFor(() => alerts.length === 1, 'one alert for crossing 0.75 and 0.9');
      assert.strictEqual(alerts[0].threshold, 0.9, 'the highest threshold crossed');
      assert.match(alerts[0].message, /EPIC-001 Onboarding \(older format\) has used 93% of its token budget \(37,000 of 40,000\)\./);
      await waitFor(() => a.budgets.statusBar.item.backgroundColor?.id === 'statusBarItem.warningBackground', 'the warning colour');

      setEpicTotal(37500 - base);
      await waitFor(async () => (await epicLine())?.used === 37500, 'EPIC-001 at 37,500 tokens');
      assert.strictEqual(alerts.length, 1, 'no new alert without a new threshold');

      setEpicTotal(44000 - base);
      await waitFor(() => alerts.length === 2, 'an alert for going over the budget');
      assert.strictEqual(alerts[1].threshold, 1);
      await waitFor(() => a.budgets.statusBar.item.backgroundColor?.id === 'statusBarItem.errorBackground', 'the error colour');
      const diag = await waitFor(() => vscode.languages.getDiagnostics(vscode.Uri.file(wsFile(EPIC))).find((d) => d.code === 'over-budget'), 'the over-budget diagnostic');
      assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Warning);
      assert.strictEqual(diag.message, 'EPIC-001 and its items used 44,000 tokens, over its budget of 40,000 (110%).');
      const text = fs.readFileSync(wsFile(EPIC), 'utf8');
      assert.strictEqual(diag.range.start.line, text.split('\n').findIndex((l) => l.startsWith('token_budget:')), 'at token_budget');

      setEpicTotal(1892);
      await waitFor(() => !vscode.languages.getDiagnostics(vscode.Uri.file(wsFile(EPIC))).some((d) => d.code === 'over-budget'), 'the diagnostic gone again');
      setEpicTotal(38000 - base);
      await waitFor(() => alerts.length === 3, 'falling back and rising again alerts again');
    } finally {
      sub.dispose();
    }
  });

  it('Log Token Usage writes the use to the file and the rollups follow; bad counts write nothing', async () => {
    const a = await api();
    const rel = 'tasks/tasks/TSK-0002-session-api.md';
    const epic = () => a.budgets.watcher.current.get(wsRoot())!.usage.epics.find((e) => e.epic.id === 'EP-0001')!.usage;
    await a.budgets.watcher.settled();
    const epicBefore = epic().used;
    const total = await vscode.commands.executeCommand(COMMANDS.logTokenUsage, wsFile(rel), { input: 1000, output: 200, cachedInput: 600, agent: 'claude-code', model: 'claude-sonnet-4-5' });
    assert.strictEqual(total, 1550, 'the "350" written by the CLI plus 1,200');
    const text = fs.readFileSync(wsFile(rel), 'utf8');
    assert.match(text, /^actual_tokens: 1550$/m);
    assert.match(text, /^ {4}- at: "\d{4}-\d\d-\d\dT[\d:.]+Z"\n {6}agent: claude-code\n {6}model: claude-sonnet-4-5\n {6}input: 1000\n {6}output: 200\n {6}cached_input: 600$/m);
    await waitFor(async () => (await a.budgets.watcher.settled(), epic().used === epicBefore + 1200), 'EP-0001 to count the logged tokens');
    assert.strictEqual(epic().byModel['claude-sonnet-4-5'], 1200);

    const refused = await vscode.commands.executeCommand(COMMANDS.logTokenUsage, wsFile(rel), { input: 10, output: 1, cachedInput: 50 });
    assert.strictEqual(refused, undefined);
    assert.strictEqual(fs.readFileSync(wsFile(rel), 'utf8'), text);
  });

  it('Import Claude Code Usage brings the sessions that ran in the project into its tasks, once', async () => {
    const a = await api();
    const fixtures = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'claude-code', '-work-demo');
    const logs = fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-claude-'));
    try {
      const project = path.join(logs, wsRoot().replace(/[\\/]/g, '-'));
      fs.mkdirSync(project);
      // The sample sessions as they would be logged in this workspace; one more from elsewhere.
      for (const f of fs.readdirSync(fixtures)) fs.writeFileSync(path.join(project, f), fs.readFileSync(path.join(fixtures, f), 'utf8').replaceAll('"cwd":"/work/demo"', `"cwd":${JSON.stringify(wsRoot())}`));
      fs.writeFileSync(path.join(logs, 'other.jsonl'), fs.readFileSync(path.join(fixtures, '5c2a9e70-branch.jsonl'), 'utf8').replaceAll('msg_', 'elsewhere_msg_'));
      const run = (opts: object) => vscode.commands.executeCommand<ImportResult>(COMMANDS.importClaudeCodeUsage, wsRoot(), { logsDir: logs, confirmed: true, ...opts });

      const first = (await run({ chosen: null }))!;
      assert.deepStrictEqual(first.imported, { 'ISS-0001': 2, 'TSK-0002': 2 });
      assert.strictEqual(first.unattributed, 1);
      const issue = fs.readFileSync(wsFile('tasks/issues/ISS-0001-login-form.md'), 'utf8');
      assert.match(issue, /source_key: msg_01AbCdEf:req_011CAbc/);
      assert.match(issue, /agent: claude-code\n {6}model: claude-sonnet-4-5-20250929/);
      await waitFor(() => itemUsage(a.index.entry(wsFile('tasks/issues/ISS-0001-login-form.md'))!.item!).entries.length === 2, 'the index to read the imported entries');

      const again = (await run({ chosen: 'EP-0002' }))!;
      assert.deepStrictEqual(again.imported, { 'EP-0002': 1 }, 'only the untagged use, to the chosen epic');
      assert.strictEqual(again.skippedBefore, 4);
      await waitFor(() => itemUsage(a.index.entry(wsFile('tasks/epics/EP-0002-reporting.md'))!.item!).entries.length === 1, 'the index to read the epic');
      const third = (await run({ chosen: 'EP-0002' }))!;
      assert.deepStrictEqual(third.imported, {}, 'nothing twice');
    } finally {
      fs.rmSync(logs, { recursive: true, force: true });
    }
  });
});
