import * as assert from 'assert';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../src/host/commandIds';
import type { AiContextResult } from '../../../src/host/aiContext';
import { api, noAutoSave, waitFor, wsFile } from './helpers';

const ISSUE = 'tasks/issues/ISS-0001-login-form.md';
const sections = (text: string) => [...text.matchAll(/^## (\S+) · /gm)].map((m) => m[1]);

describe('copy AI context', () => {
  before(async () => {
    await api();
  });
  afterEach(async () => {
    // The untitled documents the command opened, closed without the "save?" dialog closeAllEditors would ask.
    const untitled = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'untitled');
    for (const tab of untitled) {
      await vscode.window.showTextDocument((tab.input as vscode.TabInputText).uri);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("'editor' opens an untitled markdown document with the context of ISS-0001 and its tasks", async () => {
    const result = (await vscode.commands.executeCommand(COMMANDS.copyAiContext, wsFile(ISSUE), 'editor')) as AiContextResult | undefined;
    assert.ok(result, 'the command returns the context');
    const doc = await waitFor(() => vscode.window.activeTextEditor?.document, 'the new editor');
    assert.strictEqual(doc.isUntitled, true);
    assert.strictEqual(doc.languageId, 'markdown');
    assert.strictEqual(doc.getText(), result.text);
    assert.match(result.text, new RegExp(`^# AI context for ISS-0001: Login form \\(${result.tokens.toLocaleString('en-US')} tokens\\)\\n`));
    assert.ok(result.tokens > 0 && result.tokens <= 8000, `${result.tokens} tokens within the default budget`);
    const ids = sections(result.text);
    assert.strictEqual(ids[0], 'ISS-0001');
    // Its parent, its tasks (also the copied file that kept TSK-0001's id), its PR and its comment, then depth 2.
    for (const id of ['EP-0001', 'TSK-0001', 'TSK-0002', 'PR-0001', 'COMMENT-0001']) assert.ok(ids.includes(id), `${id} missing from ${ids}`);
    assert.strictEqual(ids.filter((i) => i === 'TSK-0001').length, 2, 'both files with the id TSK-0001');
    assert.ok(ids.indexOf('TSK-0002') < ids.indexOf('PR-0001'));
    assert.match(result.text, /^- why: child of ISS-0001 · 1 link away$/m);
    assert.ok(result.text.includes('The login form posts to `/api/session`. See TSK-0001 and TSK-0002.'));
  });

  it('the settings decide depth and budget', async () => {
    const config = vscode.workspace.getConfiguration('aiTrackdown.aiContext');
    await config.update('depth', 0, vscode.ConfigurationTarget.Global);
    try {
      const result = (await vscode.commands.executeCommand(COMMANDS.copyAiContext, wsFile(ISSUE), 'editor')) as AiContextResult;
      assert.deepStrictEqual(sections(result.text), ['ISS-0001']);
      await config.update('depth', 2, vscode.ConfigurationTarget.Global);
      await config.update('tokenBudget', 300, vscode.ConfigurationTarget.Global);
      // Below the setting's minimum of 256 it is read as 256; 300 leaves the issue alone, cut to fit.
      const small = (await vscode.commands.executeCommand(COMMANDS.copyAiContext, wsFile(ISSUE), 'editor')) as AiContextResult;
      assert.ok(small.tokens <= 300, `${small.tokens} tokens`);
      assert.match(small.text, /^Token budget 300 · /m);
      assert.match(small.text, /left out to fit: COMMENT-0001, /);
    } finally {
      await config.update('depth', undefined, vscode.ConfigurationTarget.Global);
      await config.update('tokenBudget', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("'clipboard' puts the text on the clipboard", async () => {
    await vscode.env.clipboard.writeText('before');
    const result = (await vscode.commands.executeCommand(COMMANDS.copyAiContext, wsFile(ISSUE), 'clipboard')) as AiContextResult;
    assert.ok(result);
    assert.match(result.text, /^# AI context for ISS-0001: /);
    assert.strictEqual(await vscode.env.clipboard.readText(), result.text);
  });

  it('a file open with unsaved changes contributes its unsaved text', async () => {
    await noAutoSave(true);
    try {
      const doc = await vscode.workspace.openTextDocument(wsFile('tasks/tasks/TSK-0002-session-api.md'));
      const editor = await vscode.window.showTextDocument(doc);
      // Special-token spellings are plain text to the tokenizer, not an error.
      await editor.edit((e) => e.insert(doc.positionAt(doc.getText().length), '\nAn unsaved note: retry once on 503. <|endoftext|>\n'));
      assert.ok(doc.isDirty);
      const result = (await vscode.commands.executeCommand(COMMANDS.copyAiContext, wsFile(ISSUE), 'editor')) as AiContextResult;
      assert.ok(result, 'the command returned the context');
      assert.ok(result.text.includes('An unsaved note: retry once on 503. <|endoftext|>'), 'the unsaved text is in the context');
      const again = (await vscode.commands.executeCommand(COMMANDS.copyAiContext, wsFile(ISSUE), 'editor')) as AiContextResult;
      assert.strictEqual(again.text, result.text, 'the same again while it stays unsaved');
    } finally {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(wsFile('tasks/tasks/TSK-0002-session-api.md')));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await noAutoSave(false);
    }
  });

  it('the active task file is the target when no argument names one', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(wsFile('tasks/tasks/TSK-0001-form-markup.md')));
    const result = (await vscode.commands.executeCommand(COMMANDS.copyAiContext, undefined, 'editor')) as AiContextResult;
    assert.match(result.text, /^# AI context for TSK-0001: Form markup and validation /);
    assert.deepStrictEqual(sections(result.text).slice(0, 3), ['TSK-0001', 'ISS-0001', 'EP-0001']);
  });
});
