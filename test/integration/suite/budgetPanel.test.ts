import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { reportCsv, reportMarkdown } from '../../../src/core/budgetReport';
import { projectUsage, rolledUsage } from '../../../src/core/tokens';
import { COMMANDS } from '../../../src/host/commandIds';
import type { BudgetPanel } from '../../../src/host/budget/panel';
import type { BudgetHostMessage } from '../../../webview-ui/shared/protocol';
import { api, waitFor, wsFile, wsRoot } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

type Of<T extends BudgetHostMessage['type']> = Extract<BudgetHostMessage, { type: T }>;
const EPIC = 'tasks/epics/EPIC-001-legacy-onboarding.md';
const TASK = 'tasks/tasks/TASK-001-legacy-welcome-email.md';

describe('token budget panel', () => {
  let restore: () => void;
  let panel: BudgetPanel;
  let posted: BudgetHostMessage[];
  let tmp: string;

  const reports = () => posted.filter((m): m is Of<'report'> => m.type === 'report');
  const epicRow = (m: Of<'report'>) => m.report.epics.find((e) => e.id === 'EPIC-001');

  before(async () => {
    restore = snapshot(wsRoot());
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-budget-'));
    // The first report must be of the files as they are, not of an index still taking in an earlier suite's restore.
    await indexMatchesDisk((await api()).index);
    posted = [];
    // The command returns the panel to callers in this extension host.
    panel = (await vscode.commands.executeCommand<BudgetPanel>(COMMANDS.openBudget, wsRoot()))!;
    assert.ok(panel && typeof panel.onDidPost === 'function', 'the command did not return the panel');
    panel.onDidPost((m) => posted.push(m));
    // The real webview loads its script under the page's CSP and says ready.
    await waitFor(() => reports()[0], 'the report after the webview said ready', 30000);
  });

  after(async () => {
    panel?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    restore();
    fs.rmSync(tmp, { recursive: true, force: true });
    await indexMatchesDisk((await api()).index);
  });

  it('opens one panel per project, titled by it, and posts a report whose rows match the index', async () => {
    const a = await api();
    const m = reports()[0];
    assert.strictEqual(panel.panel.title, 'Token Budgets: demo-project');
    assert.strictEqual(panel.panel.viewType, 'aiTrackdown.budget');
    assert.deepStrictEqual(m.project, { root: wsRoot(), name: 'demo-project' });
    const epic = a.index.entry(wsFile(EPIC))!.item!;
    const row = epicRow(m)!;
    assert.ok(row, `EPIC-001 missing from ${m.report.epics.map((e) => e.id)}`);
    assert.strictEqual(row.budget, 40000);
    assert.strictEqual(row.used, rolledUsage(a.index, epic).used);
    assert.strictEqual(row.title, 'Onboarding (older format)');
    assert.strictEqual(row.file, wsFile(EPIC));
    const project = a.index.getProject(wsRoot())!;
    const usage = projectUsage(a.index, wsRoot(), project.config);
    assert.deepStrictEqual(m.report.epics.map((e) => e.id).sort(), usage.epics.map((e) => e.epic.id).sort());
    assert.strictEqual(m.report.total.used, usage.total.used);
    assert.deepStrictEqual(m.report.thresholds, [0.75, 0.9, 1]);
    assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.openBudget, wsRoot()), panel, 'opening again reveals the same panel');
    assert.strictEqual(a.budgets.statusBar.item.command, COMMANDS.openBudget, 'the status bar item opens the panel');
  });

  it('a task file changed on disk (as by the CLI) sends an updated report', async () => {
    const since = posted.length;
    const before = epicRow(reports()[reports().length - 1])!.used;
    const file = wsFile(TASK);
    const text = fs.readFileSync(file, 'utf8');
    const entry = '  entries:\n    - {at: "2026-11-03T10:00:00Z", agent: claude, model: claude-sonnet-4-5, input: 2000, output: 1000}\n';
    fs.writeFileSync(file, text.replace(/^labels: \[email\]$/m, `labels: [email]\ntoken_usage:\n  total: 3000\n${entry}`));
    const update = await waitFor(
      () => posted.slice(since).find((m): m is Of<'report'> => m.type === 'report' && epicRow(m)?.used === before + 3000),
      'a report with the task’s 3,000 tokens in EPIC-001',
    );
    const row = epicRow(update)!;
    assert.strictEqual(row.ratio, (before + 3000) / 40000);
    assert.ok(row.cost !== null && row.cost > 0, 'priced at the shipped claude-sonnet-4-5 price');
    assert.deepStrictEqual(update.report.weeks.find((w) => w.week === '2026-11-02'), { week: '2026-11-02', tokens: 3000 });
    assert.deepStrictEqual(update.report.models.find((mm) => mm.model === 'claude-sonnet-4-5')?.tokens, 3000);
    // One burst of changes, one report (not one per index event).
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(posted.slice(since).filter((m) => m.type === 'report').length <= 2, `${posted.slice(since).length} reports for one change`);
  });

  it('exports markdown to a file the caller names, with the expected tables', async () => {
    const target = vscode.Uri.file(path.join(tmp, 'budgets.md'));
    const done = (await panel.export('markdown', { kind: 'file', uri: target }))!;
    const text = fs.readFileSync(target.fsPath, 'utf8');
    assert.strictEqual(text, done.text);
    assert.strictEqual(text, reportMarkdown(panel.report()!));
    assert.match(text, /^# Token budgets: demo-project\n/);
    assert.match(text, /\n## Epics\n\n\| Epic \| Title \| Used \| Estimated \| Budget \| Used of budget \| Cost \(USD\) \|\n/);
    const used = epicRow(reports()[reports().length - 1])!.used;
    const row = text.split('\n').find((l) => l.startsWith('| EPIC-001 '))!;
    assert.match(row, new RegExp(`^\\| EPIC-001 \\| Onboarding \\(older format\\) \\| ${used.toLocaleString('en')} \\| [\\d,]+ \\| 40,000 \\| \\d+% \\| \\$\\d+\\.\\d\\d \\|$`));
    assert.match(text, /\n## Weeks\n\n\| Week of \| Tokens \|\n\|:--\|--:\|\n(\| [\d-]+ \| [\d,]+ \|\n)*\| 2026-11-02 \| 3,000 \|\n/);
  });

  it('an export asked for by the webview goes to the target set for it (CSV in an untitled document) and says so', async () => {
    panel.exportTarget = { kind: 'untitled' };
    const since = posted.length;
    await panel.receive({ type: 'export', format: 'csv' });
    const result = posted.slice(since).find((m): m is Of<'exportResult'> => m.type === 'exportResult')!;
    assert.deepStrictEqual(result, { type: 'exportResult', format: 'csv', ok: true, message: 'Exported to a new document.' });
    const doc = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.isUntitled && d.getText().startsWith('section,name,title,')), 'the untitled CSV document');
    assert.strictEqual(doc.getText(), reportCsv(panel.report()!));
    const lines = doc.getText().split('\r\n');
    assert.strictEqual(lines[0], 'section,name,title,used,estimated,budget,ratio,cost_usd');
    const used = epicRow(reports()[reports().length - 1])!.used;
    assert.ok(lines.some((l) => new RegExp(`^epic,EPIC-001,Onboarding \\(older format\\),${used},\\d+,40000,[\\d.]+,[\\d.]+$`).test(l)), lines.join('\n'));
    assert.ok(lines.includes('week,2026-11-02,,3000,,,,'));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    // A message that is not one the webview sends is ignored.
    await panel.receive({ type: 'export', format: 'pdf' } as never);
    await panel.receive({ type: 'open', file: '/etc/passwd' });
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === '/etc/passwd'));
  });

  it('is disposed with its panel and opens anew afterwards', async () => {
    panel.dispose();
    const again = (await vscode.commands.executeCommand<BudgetPanel>(COMMANDS.openBudget, wsRoot()))!;
    assert.notStrictEqual(again, panel);
    const got: BudgetHostMessage[] = [];
    again.onDidPost((m) => got.push(m));
    await waitFor(() => got.find((m) => m.type === 'report'), 'a report in the new panel', 30000);
    panel = again;
  });
});
