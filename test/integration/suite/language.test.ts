import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { LEGACY_STATUSES, PR_STATUSES, PRIORITIES, STATES, STATUSES, SYNC_STATUSES } from '../../../src/core/model';
import { QuickFixProvider } from '../../../src/host/language/quickFixes';
import { api, noAutoSave, waitFor, wsFile } from './helpers';

const uri = (rel: string) => vscode.Uri.file(wsFile(rel));
const read = (rel: string) => fs.readFileSync(wsFile(rel), 'utf8');

async function open(rel: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(uri(rel));
}

/** The position of the `at`-th character of the first occurrence of `needle` (after `after`, if given). */
function posOf(doc: vscode.TextDocument, needle: string, at = 0, after = ''): vscode.Position {
  const start = doc.getText().indexOf(after);
  const i = doc.getText().indexOf(needle, Math.max(0, start));
  assert.ok(i >= 0 && start >= 0, `${needle} not in ${doc.fileName}`);
  return doc.positionAt(i + at);
}

async function revertAndClose(doc: vscode.TextDocument) {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
}

/** Our diagnostic with `code` over the text `on` (waiting for it to be published for the current text). */
async function diagnostic(doc: vscode.TextDocument, code: string, on: string): Promise<vscode.Diagnostic> {
  return waitFor(
    () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'ai-trackdown' && d.code === code && doc.getText(d.range) === on),
    `a ${code} diagnostic on ${on} in ${doc.fileName}`,
  );
}

async function codeActions(doc: vscode.TextDocument, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', doc.uri, range, kind);
  // Other extensions (markdown) offer their own actions: keep the quick fixes and our fix-all.
  const ours = [vscode.CodeActionKind.QuickFix.value, 'source.fixAll.aiTrackdown'];
  return all.filter((a): a is vscode.CodeAction => 'kind' in a && !!a.kind && ours.includes(a.kind.value));
}

/** Apply one action of a diagnostic, assert the document's new text byte for byte, then put it back. */
async function applyFix(rel: string, code: string, on: string, title: string, expected: (before: string) => string, preferred: boolean) {
  const doc = await open(rel);
  const before = doc.getText();
  const diag = await diagnostic(doc, code, on);
  const actions = await codeActions(doc, diag.range);
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `no action "${title}"; offered: ${actions.map((a) => a.title).join(' | ')}`);
  assert.strictEqual(action.kind?.value, vscode.CodeActionKind.QuickFix.value);
  assert.strictEqual(!!action.isPreferred, preferred, `isPreferred of ${title}`);
  assert.ok(action.edit, 'the action carries its edit');
  assert.ok(await vscode.workspace.applyEdit(action.edit));
  const after = doc.getText();
  assert.strictEqual(after, expected(before));
  assert.strictEqual(read(rel), before, 'the file on disk is untouched until saved');
  await revertAndClose(doc);
  return after;
}

/** The hovers' markdown as it reads (MarkdownString.appendText escapes punctuation and spaces). */
function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n')
    .replace(/\\([\\`*_{}[\]()#+\-.!~|>])/g, '$1')
    .replace(/&nbsp;/g, ' ');
}

async function hoverAt(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
  return hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
}

async function definitionsAt(doc: vscode.TextDocument, pos: vscode.Position): Promise<{ file: string; line: number }[]> {
  const result = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, pos);
  return result
    .map((r) => ('targetUri' in r ? { file: r.targetUri.fsPath, line: r.targetRange.start.line } : { file: r.uri.fsPath, line: r.range.start.line }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

interface Offered {
  label: string;
  detail?: string;
  description?: string;
}

/** Our completion items at a position (labels that are task ids or allowed words), in their sort order. */
async function completionsAt(doc: vscode.TextDocument, pos: vscode.Position): Promise<Offered[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  return list.items
    .filter((c) => c.sortText !== undefined && /^\d{6}$/.test(c.sortText))
    .sort((a, b) => a.sortText!.localeCompare(b.sortText!))
    .map((c) => {
      const label = typeof c.label === 'string' ? { label: c.label } : c.label;
      const o: Offered = { label: label.label };
      if (c.detail) o.detail = c.detail;
      if (label.description) o.description = label.description;
      return o;
    });
}

describe('language features', () => {
  before(async () => {
    await api();
    await noAutoSave(true);
  });
  after(() => noAutoSave(false));
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('quick fixes', () => {
    it('quotes an unquoted @value', async () => {
      await applyFix('tasks/issues/ISS-0002-password-reset.md', 'unquoted-at', '@bob', 'Write "@bob" in quotes', (t) => t.replace('assignee: @bob\n', 'assignee: "@bob"\n'), true);
    });

    it('offers every allowed value for an invalid one, nearest first, and keeps CRLF', async () => {
      const rel = 'tasks/issues/ISS-0003-export-csv.md';
      const doc = await open(rel);
      const diag = await diagnostic(doc, 'invalid-value', 'urgent');
      const titles = (await codeActions(doc, diag.range)).map((a) => [a.title, !!a.isPreferred]);
      assert.deepStrictEqual(titles, [
        ['Change priority to critical', true],
        ['Change priority to high', false],
        ['Change priority to low', false],
        ['Change priority to medium', false],
      ]);
      await applyFix(rel, 'invalid-value', 'urgent', 'Change priority to high', (t) => t.replace('priority: urgent\r\n', 'priority: high\r\n'), false);
    });

    it('removes one leaked key, or all of them', async () => {
      const rel = 'tasks/tasks/TSK-0002-session-api.md';
      const content = 'content: |-\n  # Session API call\n';
      const filePath = 'file_path: /home/alice/demo-project/tasks/tasks/TSK-0002-session-api.md\n';
      await applyFix(rel, 'leaked-key', 'content', 'Remove the leaked key content', (t) => t.replace(content, ''), true);
      await applyFix(rel, 'leaked-key', 'file_path', 'Remove all leaked keys', (t) => t.replace(content + filePath, ''), false);
    });

    it('makes the id match the file name', async () => {
      const after = await applyFix(
        'tasks/tasks/TSK-0009-copied-file.md',
        'id-mismatch',
        'TSK-0001',
        'Change task_id to TSK-0009 (as the file name says)',
        (t) => t.replace('task_id: TSK-0001\n', 'task_id: TSK-0009\n'),
        true,
      );
      assert.ok(after.startsWith('---\ntask_id: TSK-0009\nissue_id: ISS-0001\n'));
    });

    it('writes a number written as text as a number', async () => {
      await applyFix(
        'tasks/tasks/TSK-0002-session-api.md',
        'string-number',
        '"8000"',
        'Write estimated_tokens as the number 8000',
        (t) => t.replace('estimated_tokens: "8000"\n', 'estimated_tokens: 8000\n'),
        true,
      );
    });

    it('attaches each fix to the diagnostic it resolves', async () => {
      const { index } = await api();
      const doc = await open('tasks/tasks/TSK-0002-session-api.md');
      const diag = await diagnostic(doc, 'string-number', '"8000"');
      const provider = new QuickFixProvider({ index } as ConstructorParameters<typeof QuickFixProvider>[0]);
      const context = { diagnostics: vscode.languages.getDiagnostics(doc.uri), only: undefined, triggerKind: vscode.CodeActionTriggerKind.Invoke };
      const actions = provider.provideCodeActions(doc, diag.range, context);
      assert.strictEqual(actions.length, 1);
      assert.deepStrictEqual(actions[0].diagnostics, [diag]);
    });

    it('fixes every obvious problem at once as a source action', async () => {
      const rel = 'tasks/tasks/TSK-0002-session-api.md';
      const doc = await open(rel);
      const before = doc.getText();
      const [action, ...rest] = await codeActions(doc, new vscode.Range(0, 0, 0, 0), vscode.CodeActionKind.SourceFixAll.value);
      assert.strictEqual(rest.length, 0);
      assert.strictEqual(action.kind?.value, 'source.fixAll.aiTrackdown');
      assert.ok(await vscode.workspace.applyEdit(action.edit!));
      assert.strictEqual(
        doc.getText(),
        before
          .replace('estimated_tokens: "8000"\nactual_tokens: "350"\n', 'estimated_tokens: 8000\nactual_tokens: 350\n')
          .replace('content: |-\n  # Session API call\nfile_path: /home/alice/demo-project/tasks/tasks/TSK-0002-session-api.md\n', ''),
      );
      await waitFor(() => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'ai-trackdown'), 'no diagnostics left');
      await revertAndClose(doc);
    });
  });

  describe('completions', () => {
    it('offers the allowed words after enum keys', async () => {
      const issue = await open('tasks/issues/ISS-0001-login-form.md');
      assert.deepStrictEqual(await completionsAt(issue, posOf(issue, 'priority: high', 10)), PRIORITIES.map((label) => ({ label })));
      assert.deepStrictEqual(await completionsAt(issue, posOf(issue, 'status: active', 8)), STATUSES.map((label) => ({ label })));
      assert.deepStrictEqual(await completionsAt(issue, posOf(issue, 'sync_status: local', 13)), SYNC_STATUSES.map((label) => ({ label })));
      const states = await completionsAt(issue, posOf(issue, 'state: ready', 7));
      assert.deepStrictEqual(states[2], { label: 'ready_for_engineering', description: 'Ready for Engineering' });
      assert.deepStrictEqual(states.map((o) => o.label), [...STATES]);
      const pr = await open('tasks/prs/PR-0001-login-form.md');
      assert.deepStrictEqual(await completionsAt(pr, posOf(pr, 'pr_status: review', 11)), PR_STATUSES.map((label) => ({ label })));
      const legacy = await open('tasks/tasks/TASK-001-legacy-welcome-email.md');
      assert.deepStrictEqual(await completionsAt(legacy, posOf(legacy, 'status: todo', 8)), LEGACY_STATUSES.map((label) => ({ label })));
    });

    it('offers the epics of the same project after epic_id, with title and state', async () => {
      const doc = await open('tasks/issues/ISS-0001-login-form.md');
      assert.deepStrictEqual(await completionsAt(doc, posOf(doc, 'epic_id: EP-0001', 9)), [
        { label: 'EP-0001', detail: 'User authentication', description: 'Active' },
        { label: 'EP-0002', detail: 'Reporting dashboard', description: 'Planning' },
        { label: 'EPIC-001', detail: 'Onboarding (older format)', description: 'Active (blocked)' },
      ]);
      const story = await open('services/billing/work/stories/BST-0001-pdf-invoice.md');
      assert.deepStrictEqual(await completionsAt(story, posOf(story, 'epic_id: BEP-0001', 9)), [
        { label: 'BEP-0001', detail: 'Invoices', description: 'Active' },
      ]);
    });

    it('offers issues after issue_id and the older format epic:, and ids inside id lists', async () => {
      const task = await open('tasks/tasks/TSK-0002-session-api.md');
      const issues = await completionsAt(task, posOf(task, 'issue_id: ISS-0001', 10));
      assert.deepStrictEqual(issues.map((o) => o.label), ['ISS-0001', 'ISS-0002', 'ISS-0003', 'ISS-0004']);
      assert.deepStrictEqual(issues[0], { label: 'ISS-0001', detail: 'Login form', description: 'Ready for Engineering' });
      const legacy = await open('tasks/tasks/TASK-001-legacy-welcome-email.md');
      assert.deepStrictEqual((await completionsAt(legacy, posOf(legacy, 'epic: EPIC-001', 6))).map((o) => o.label), ['EP-0001', 'EP-0002', 'EPIC-001']);
      const issue = await open('tasks/issues/ISS-0001-login-form.md');
      // Block list item of related_tasks: the tasks (both files that claim TSK-0001 are listed).
      assert.deepStrictEqual((await completionsAt(issue, posOf(issue, '  - TSK-0002', 6))).map((o) => o.label), ['TASK-001', 'TSK-0001', 'TSK-0001', 'TSK-0002', 'TSK-0003']);
      assert.deepStrictEqual((await completionsAt(issue, posOf(issue, '  - PR-0001', 4))).map((o) => o.label), ['PR-0001']);
      // A flow list being typed: dependencies may name any item but the one being edited.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(issue.uri, posOf(issue, 'blocked_by: []', 13), 'EP');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const deps = await completionsAt(issue, posOf(issue, 'blocked_by: [EP]', 15));
      assert.deepStrictEqual(deps.slice(0, 3).map((o) => o.label), ['EP-0001', 'EP-0002', 'EPIC-001']);
      assert.ok(!deps.some((o) => o.label === 'ISS-0001'));
      assert.ok(deps.some((o) => o.label === 'PR-0001'));
      await revertAndClose(issue);
    });

    it('offers nothing for free keys, lists of labels or in the body', async () => {
      const doc = await open('tasks/issues/ISS-0001-login-form.md');
      assert.deepStrictEqual(await completionsAt(doc, posOf(doc, 'title: Login form', 7)), []);
      assert.deepStrictEqual(await completionsAt(doc, posOf(doc, 'tags: [frontend', 8)), []);
      assert.deepStrictEqual(await completionsAt(doc, posOf(doc, 'See TSK-0001', 4)), []);
    });
  });

  describe('hover and go to definition', () => {
    it('shows title, type, state, assignee, priority, progress and a link for an id in a task file', async () => {
      const pr = await open('tasks/prs/PR-0001-login-form.md');
      const text = await hoverAt(pr, posOf(pr, 'issue_id: ISS-0001', 12));
      assert.ok(text.includes('**ISS-0001**'), text);
      assert.ok(text.includes('Login form'), text);
      assert.ok(text.includes('Issue · Ready for Engineering · priority high · assignee alice · 1/4 children done'), text);
      assert.ok(text.includes(`(${uri('tasks/issues/ISS-0001-login-form.md').toString()})`), text);
      const issue = await open('tasks/issues/ISS-0001-login-form.md');
      const task = await hoverAt(issue, posOf(issue, 'TSK-0002.', 3, '# Login form'));
      assert.ok(task.includes('Task · Active · priority medium · assignee bob'), task);
      assert.ok(!task.includes('children'), task);
      const dup = await hoverAt(issue, posOf(issue, 'TSK-0001 and', 0, '# Login form'));
      assert.ok(dup.includes('Duplicate id: also tasks/tasks/TSK-0009-copied-file.md'), dup);
    });

    it('resolves ids in any markdown document, in other projects when the own one lacks them; unknown ids show nothing', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'Billing: BST-0001, auth: EP-0001, gone: ISS-9999, not an id: XYZ-0001\n' });
      const story = await hoverAt(doc, posOf(doc, 'BST-0001', 2));
      assert.ok(story.includes('**BST-0001**') && story.includes('PDF invoice'), story);
      const epic = await hoverAt(doc, posOf(doc, 'EP-0001', 0));
      assert.ok(epic.includes('Epic · Active · priority high · assignee alice · 1/3 children done'), epic);
      assert.strictEqual(await hoverAt(doc, posOf(doc, 'ISS-9999', 2)), '');
      assert.strictEqual(await hoverAt(doc, posOf(doc, 'XYZ-0001', 2)), '');
      assert.deepStrictEqual(await definitionsAt(doc, posOf(doc, 'BST-0001', 8)), [{ file: wsFile('services/billing/work/stories/BST-0001-pdf-invoice.md'), line: 1 }]);
      assert.deepStrictEqual(await definitionsAt(doc, posOf(doc, 'ISS-9999', 2)), []);
    });

    it('goes to the file of an id, to every file of a duplicate id', async () => {
      const issue = await open('tasks/issues/ISS-0001-login-form.md');
      assert.deepStrictEqual(await definitionsAt(issue, posOf(issue, 'epic_id: EP-0001', 12)), [{ file: wsFile('tasks/epics/EP-0001-user-authentication.md'), line: 1 }]);
      assert.deepStrictEqual(await definitionsAt(issue, posOf(issue, 'TSK-0001 and', 4, '# Login form')), [
        { file: wsFile('tasks/tasks/TSK-0001-form-markup.md'), line: 1 },
        { file: wsFile('tasks/tasks/TSK-0009-copied-file.md'), line: 1 },
      ]);
    });

    it('prefers the project that holds the document', async () => {
      const clash = wsFile('services/billing/work/epics/EP-0001-clash.md');
      const notes = wsFile('services/billing/notes.md');
      fs.writeFileSync(clash, '---\nepic_id: EP-0001\ntitle: Billing clash\n---\n');
      fs.writeFileSync(notes, 'Depends on EP-0001.\n');
      try {
        const { index } = await api();
        await waitFor(() => index.byId(wsFile('services/billing'), 'EP-0001').length === 1, 'the index to see the clashing epic');
        const doc = await vscode.workspace.openTextDocument(notes);
        assert.deepStrictEqual(await definitionsAt(doc, posOf(doc, 'EP-0001', 3)), [{ file: clash, line: 1 }]);
        assert.ok((await hoverAt(doc, posOf(doc, 'EP-0001', 3))).includes('Billing clash'));
        const root = await open('tasks/issues/ISS-0001-login-form.md');
        assert.deepStrictEqual(await definitionsAt(root, posOf(root, 'epic_id: EP-0001', 12)), [{ file: wsFile('tasks/epics/EP-0001-user-authentication.md'), line: 1 }]);
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        fs.rmSync(clash);
        fs.rmSync(notes);
      }
      const { index } = await api();
      await waitFor(() => index.byId(wsFile('services/billing'), 'EP-0001').length === 0, 'the index to drop the clashing epic');
    });
  });
});
