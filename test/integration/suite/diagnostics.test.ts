import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, noAutoSave, waitFor, wsFile, wsRoot } from './helpers';

type Brief = [code: string, line: number, char: number, endLine: number, endChar: number];

/** Exactly what the extension reports for each fixture task file (every file not listed has no diagnostics). */
const EXPECTED: Record<string, Brief[]> = {
  'tasks/epics/EPIC-001-legacy-onboarding.md': [['legacy-format', 1, 0, 1, 2]],
  'tasks/issues/ISS-0002-password-reset.md': [['unquoted-at', 7, 10, 7, 14]],
  'tasks/issues/ISS-0003-export-csv.md': [
    ['broken-link', 2, 9, 2, 16],
    ['invalid-value', 6, 10, 6, 16],
  ],
  'tasks/tasks/TASK-001-legacy-welcome-email.md': [['legacy-format', 1, 0, 1, 2]],
  'tasks/tasks/TSK-0001-form-markup.md': [['duplicate-id', 1, 9, 1, 17]],
  'tasks/tasks/TSK-0002-session-api.md': [
    ['string-number', 11, 18, 11, 24],
    ['string-number', 12, 15, 12, 20],
    ['leaked-key', 18, 0, 18, 7],
    ['leaked-key', 20, 0, 20, 9],
  ],
  'tasks/tasks/TSK-0003-rate-limit.md': [
    ['invalid-value', 6, 10, 6, 16],
    ['invalid-date', 9, 14, 9, 24],
  ],
  'tasks/tasks/TSK-0009-copied-file.md': [
    ['duplicate-id', 1, 9, 1, 17],
    ['id-mismatch', 1, 9, 1, 17],
  ],
};
const CLEAN = [
  'tasks/epics/EP-0001-user-authentication.md',
  'tasks/epics/EP-0002-reporting.md',
  'tasks/issues/ISS-0001-login-form.md',
  'tasks/issues/ISS-0004-session-timeout.md',
  'tasks/issues/comments/ISS-0001/COMMENT-0001.md',
  'tasks/prs/PR-0001-login-form.md',
  'services/billing/work/epics/BEP-0001-invoices.md',
  'services/billing/work/stories/BST-0001-pdf-invoice.md',
];

const uri = (rel: string) => vscode.Uri.file(wsFile(rel));
const ours = (rel: string) => vscode.languages.getDiagnostics(uri(rel)).filter((d) => d.source === 'ai-trackdown');
const brief = (d: vscode.Diagnostic): Brief => [String(d.code), d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];
const briefs = (rel: string) => ours(rel).map(brief).sort((a, b) => a[1] - b[1] || a[2] - b[2] || a[0].localeCompare(b[0]));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Wait until a file's diagnostics are exactly `expected`. */
async function expectBriefs(rel: string, expected: Brief[], what: string) {
  await waitFor(() => same(briefs(rel), expected), `${what}: ${rel} to show ${JSON.stringify(expected)}`);
}

/** Wait until every fixture file shows exactly its expected diagnostics. */
async function expectFixtureState() {
  for (const [rel, expected] of Object.entries(EXPECTED)) await expectBriefs(rel, expected, 'fixture state');
  for (const rel of CLEAN) assert.deepStrictEqual(briefs(rel), [], rel);
}

/**
 * Let earlier tests' work die down: editors closed a moment ago close their documents later, and
 * diagnostics of other owners come and go with them.
 */
async function settle(quietMs = 500, maxMs = 5000) {
  const ours = (d: vscode.TextDocument) => d.uri.scheme === 'file' && !path.relative(wsRoot(), d.uri.fsPath).startsWith('..');
  const end = Date.now() + maxMs;
  let last = Date.now();
  const sub = vscode.languages.onDidChangeDiagnostics(() => (last = Date.now()));
  try {
    while (Date.now() < end && (vscode.workspace.textDocuments.some(ours) || Date.now() - last < quietMs)) await new Promise((r) => setTimeout(r, 50));
  } finally {
    sub.dispose();
  }
}

/** Every file of the workspace whose diagnostics change while `fn` runs (and for `afterMs` after). */
async function changedUris(fn: () => Promise<void>, afterMs = 600): Promise<string[]> {
  const seen = new Set<string>();
  const sub = vscode.languages.onDidChangeDiagnostics((e) => {
    for (const u of e.uris) {
      const rel = path.relative(wsRoot(), u.fsPath);
      if (u.scheme === 'file' && !rel.startsWith('..')) seen.add(rel.split(path.sep).join('/'));
    }
  });
  try {
    await fn();
    await new Promise((r) => setTimeout(r, afterMs));
  } finally {
    sub.dispose();
  }
  return [...seen].sort();
}

async function revertAndClose(doc: vscode.TextDocument) {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
}

async function replaceIn(doc: vscode.TextDocument, from: string, to: string) {
  const at = doc.getText().indexOf(from);
  assert.ok(at >= 0, `${from} not in ${doc.fileName}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

describe('diagnostics', () => {
  before(async () => {
    await api();
    await noAutoSave(true);
  });
  after(() => noAutoSave(false));
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await expectFixtureState();
  });

  it('reports exactly the problems of each fixture file with code, range, severity and source; none for clean files', async () => {
    await expectFixtureState();
    const get = (rel: string, code: string) => ours(rel).find((d) => d.code === code)!;
    assert.strictEqual(get('tasks/issues/ISS-0002-password-reset.md', 'unquoted-at').severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(get('tasks/issues/ISS-0003-export-csv.md', 'broken-link').severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(get('tasks/issues/ISS-0003-export-csv.md', 'broken-link').message, 'epic_id: no item EP-0009 exists in this project.');
    assert.strictEqual(get('tasks/tasks/TSK-0002-session-api.md', 'string-number').severity, vscode.DiagnosticSeverity.Hint);
    const leaked = get('tasks/tasks/TSK-0002-session-api.md', 'leaked-key');
    assert.strictEqual(leaked.severity, vscode.DiagnosticSeverity.Hint);
    assert.deepStrictEqual(leaked.tags, [vscode.DiagnosticTag.Unnecessary]);
    assert.strictEqual(get('tasks/tasks/TSK-0009-copied-file.md', 'id-mismatch').severity, vscode.DiagnosticSeverity.Warning);
  });

  it('reports a duplicate id on both files, each pointing at the other', async () => {
    await expectFixtureState();
    const pairs: [string, string][] = [
      ['tasks/tasks/TSK-0001-form-markup.md', 'tasks/tasks/TSK-0009-copied-file.md'],
      ['tasks/tasks/TSK-0009-copied-file.md', 'tasks/tasks/TSK-0001-form-markup.md'],
    ];
    for (const [rel, other] of pairs) {
      const d = ours(rel).find((x) => x.code === 'duplicate-id')!;
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
      assert.strictEqual(d.relatedInformation?.length, 1);
      const loc = d.relatedInformation![0].location;
      assert.strictEqual(loc.uri.fsPath, wsFile(other));
      assert.deepStrictEqual([loc.range.start.line, loc.range.start.character, loc.range.end.line, loc.range.end.character], [1, 9, 1, 17]);
    }
  });

  it('checks an open document as it is typed, before it is saved, and sends only that file', async () => {
    const rel = 'tasks/issues/ISS-0003-export-csv.md';
    await settle();
    const doc = await vscode.workspace.openTextDocument(uri(rel));
    await vscode.window.showTextDocument(doc);
    try {
      const changed = await changedUris(async () => {
        await replaceIn(doc, 'priority: urgent', 'priority: high');
        await expectBriefs(rel, [['broken-link', 2, 9, 2, 16]], 'after fixing the priority');
        await replaceIn(doc, 'epic_id: EP-0009', 'epic_id: EP-0001');
        await expectBriefs(rel, [], 'after fixing the link');
        // Broken YAML: the precise error replaces the schema checks.
        await replaceIn(doc, 'assignee: bob', 'assignee: @bob');
        await expectBriefs(rel, [['unquoted-at', 7, 10, 7, 14]], 'after typing an unquoted @value');
      });
      assert.ok(doc.isDirty, 'the document was never saved');
      assert.deepStrictEqual(changed, [rel]);
    } finally {
      await revertAndClose(doc);
    }
    await expectBriefs(rel, EXPECTED[rel], 'after reverting');
  });

  it('finds a duplicate id typed into an open document against the files on disk', async () => {
    const rel = 'tasks/tasks/TSK-0003-rate-limit.md';
    const doc = await vscode.workspace.openTextDocument(uri(rel));
    try {
      await replaceIn(doc, 'task_id: TSK-0003', 'task_id: TSK-0002');
      const expected: Brief[] = [
        ['duplicate-id', 1, 9, 1, 17],
        ['id-mismatch', 1, 9, 1, 17],
        ['invalid-value', 6, 10, 6, 16],
        ['invalid-date', 9, 14, 9, 24],
      ];
      await expectBriefs(rel, expected, 'after typing an id another file has');
      const dup = ours(rel).find((d) => d.code === 'duplicate-id')!;
      assert.strictEqual(dup.relatedInformation?.[0].location.uri.fsPath, wsFile('tasks/tasks/TSK-0002-session-api.md'));
    } finally {
      await revertAndClose(doc);
    }
  });

  it('clears a broken link when the missing item is created on disk, and brings it back when it is deleted', async () => {
    const rel = 'tasks/issues/ISS-0003-export-csv.md';
    const epic = wsFile('tasks/epics/EP-0009-exports.md');
    const text = ['---', 'epic_id: EP-0009', 'title: Exports', 'status: planning', '---', ''].join('\n');
    await settle();
    try {
      const created = await changedUris(async () => {
        fs.writeFileSync(epic, text);
        await expectBriefs(rel, [['invalid-value', 6, 10, 6, 16]], 'after creating EP-0009');
      });
      // Only the file whose diagnostics changed was sent: not the new clean file, not the rest of the workspace.
      assert.deepStrictEqual(created, [rel]);
    } finally {
      fs.rmSync(epic);
    }
    await expectBriefs(rel, EXPECTED[rel], 'after deleting EP-0009');
  });

  it('clears the other file of a duplicate when one is deleted, and restores it when the file comes back', async () => {
    const copy = wsFile('tasks/tasks/TSK-0009-copied-file.md');
    const bytes = fs.readFileSync(copy);
    fs.rmSync(copy);
    try {
      await expectBriefs('tasks/tasks/TSK-0001-form-markup.md', [], 'after deleting the copy');
      assert.deepStrictEqual(ours('tasks/tasks/TSK-0009-copied-file.md'), []);
    } finally {
      fs.writeFileSync(copy, bytes);
    }
    await expectFixtureState();
  });

  it('a commit_task_ref pattern RE2 cannot run shows on config.yaml at its value, moves with it and goes when fixed', async () => {
    const file = wsFile('.ai-trackdown/config.yaml');
    const original = fs.readFileSync(file, 'utf8');
    const onConfig = () => vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => d.source === 'ai-trackdown');
    const value = "'(TSK-\\d+)(?=\\s)'";
    const withPattern = (head: string) => `${head}${original.replace(/\n?$/, '\n')}git:\n  patterns:\n    commit_task_ref: ${value}\n`;
    const valueAt = (text: string): Brief => {
      const line = text.split('\n').findIndex((l) => l.includes(value));
      return ['config', line, 21, line, 21 + value.length];
    };
    try {
      for (const text of [withPattern(''), withPattern('# a line above moves it\n')]) {
        fs.writeFileSync(file, text);
        await waitFor(() => same(onConfig().map(brief), [valueAt(text)]), `the pattern's diagnostic at ${JSON.stringify(valueAt(text))} (got ${JSON.stringify(onConfig().map(brief))})`);
      }
      const [d] = onConfig();
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(d.message, /^git\.patterns\.commit_task_ref is not a usable regular expression: lookahead and lookbehind .* are not supported .*; using the default$/);
    } finally {
      fs.writeFileSync(file, original);
    }
    await waitFor(() => onConfig().length === 0, 'the diagnostic to go with the pattern');
  });

  it('a project of 1,200 files that appears shows the problem of every one, and they go with it', async function () {
    this.timeout(180000);
    // More files than one chunk of checks: the diagnostics come a chunk a turn, and all of them must come.
    const dir = wsFile('bulk');
    const ids = Array.from({ length: 1200 }, (_, i) => `ISS-${String(i + 1).padStart(4, '0')}`);
    const files = ids.map((id) => path.join(dir, 'tasks', 'issues', `${id}-bulk.md`));
    const problemsOf = (f: string) => vscode.languages.getDiagnostics(vscode.Uri.file(f)).filter((d) => d.source === 'ai-trackdown').map((d) => String(d.code));
    await settle();
    try {
      fs.mkdirSync(path.join(dir, 'tasks', 'issues'), { recursive: true });
      files.forEach((f, i) => fs.writeFileSync(f, `---\nissue_id: ${ids[i]}\ntitle: Bulk ${i}\nstatus: planning\npriority: urgent\n---\n`));
      // The config last: the project appears at once, with all its files.
      fs.mkdirSync(path.join(dir, '.ai-trackdown'));
      fs.writeFileSync(path.join(dir, '.ai-trackdown', 'config.yaml'), 'name: bulk\n');
      await waitFor(() => files.every((f) => same(problemsOf(f), ['invalid-value'])), 'the invalid priority reported on all 1,200 files', 120000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await waitFor(() => files.every((f) => problemsOf(f).length === 0), 'the diagnostics of the 1,200 files to go', 120000);
    await expectFixtureState();
  });

  it('turns off and on with aiTrackdown.diagnostics.enabled', async () => {
    const config = vscode.workspace.getConfiguration('aiTrackdown');
    const all = [...Object.keys(EXPECTED), ...CLEAN];
    try {
      await config.update('diagnostics.enabled', false, vscode.ConfigurationTarget.Global);
      await waitFor(() => all.every((rel) => ours(rel).length === 0), 'all diagnostics to be cleared');
      // Nothing comes back while it is off, not even from typing.
      const doc = await vscode.workspace.openTextDocument(uri('tasks/issues/ISS-0001-login-form.md'));
      await replaceIn(doc, 'priority: high', 'priority: nope');
      await new Promise((r) => setTimeout(r, 400));
      assert.deepStrictEqual(ours('tasks/issues/ISS-0001-login-form.md'), []);
      await revertAndClose(doc);
      // No diagnostics, no quick fixes or fix-all for them.
      await vscode.workspace.openTextDocument(uri('tasks/issues/ISS-0003-export-csv.md'));
      await vscode.workspace.openTextDocument(uri('tasks/tasks/TSK-0002-session-api.md'));
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri('tasks/issues/ISS-0003-export-csv.md'), new vscode.Range(6, 10, 6, 16));
      assert.deepStrictEqual(actions.map((a) => a.title).filter((t) => t.startsWith('Change priority')), []);
      const fixAll = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri('tasks/tasks/TSK-0002-session-api.md'), new vscode.Range(0, 0, 0, 0), 'source.fixAll');
      assert.deepStrictEqual(fixAll.filter((a) => a.kind?.value === 'source.fixAll.aiTrackdown'), []);
    } finally {
      await config.update('diagnostics.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    await expectFixtureState();
  });
});
