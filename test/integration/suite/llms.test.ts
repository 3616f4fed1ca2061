import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { checkLlmsFullTxt, checkLlmsTxt, llmsPaths } from '../../../src/core/llms';
import { COMMANDS } from '../../../src/host/commandIds';
import { LLMS_DEBOUNCE_MS, LlmsResult } from '../../../src/host/llms';
import { api, noAutoSave, waitFor, wsFile, wsRoot } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
/** Inode and mtime: an atomic write (temp file + rename) changes both. */
const stamp = (file: string) => {
  const s = fs.statSync(file);
  return `${s.ino}:${s.mtimeMs}`;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Long enough for a debounced regeneration to have run and written, had it anything to write. */
const SETTLE_MS = LLMS_DEBOUNCE_MS + 1500;

/** Edit a task file through the editor (a WorkspaceEdit) and save it, as a user would. */
async function editAndSave(rel: string, from: string, to: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(wsFile(rel));
  const at = doc.getText().indexOf(from);
  assert.ok(at >= 0, `${from} not in ${rel}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
  assert.ok(doc.isDirty, 'the edit changed the document');
  assert.ok(await doc.save(), `${rel} saved`);
}

describe('llms.txt', () => {
  let restore: () => void;
  let main: { index: string; full: string };
  let billing: { index: string; full: string };

  before(async () => {
    await api();
    await noAutoSave(true);
    main = llmsPaths(wsRoot());
    billing = llmsPaths(wsFile('services/billing'));
    // Saves in earlier suites regenerate these files too: let the last one finish, then start without them.
    await sleep(SETTLE_MS);
    for (const p of [main, billing]) for (const f of [p.index, p.full]) fs.rmSync(f, { force: true });
    for (const dir of [path.dirname(main.full), path.dirname(billing.full)]) if (fs.existsSync(dir) && !fs.readdirSync(dir).length) fs.rmdirSync(dir);
    restore = snapshot(wsRoot());
  });

  after(async () => {
    await vscode.workspace.getConfiguration('aiTrackdown').update('llmsTxt.autoGenerate', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await noAutoSave(false);
    // A regeneration still pending from the last save must not write after the restore.
    await sleep(SETTLE_MS);
    restore();
    await indexMatchesDisk((await api()).index);
  });

  it('saving a task file writes llms.txt and docs/llms-full.txt at its project root, with the new title in both', async () => {
    assert.ok(!fs.existsSync(main.index) && !fs.existsSync(main.full), 'no files before the first save');
    await editAndSave('tasks/epics/EP-0001-user-authentication.md', 'title: User authentication', 'title: User authentication and SSO');
    await waitFor(
      () => read(main.index)?.includes('- [EP-0001: User authentication and SSO](tasks/epics/EP-0001-user-authentication.md): Active') && read(main.full)?.includes('\n### EP-0001: User authentication and SSO\n'),
      'llms.txt and docs/llms-full.txt with the new title',
      15000,
    );
    const txt = read(main.index)!;
    const full = read(main.full)!;
    assert.deepStrictEqual(checkLlmsTxt(txt), []);
    assert.deepStrictEqual(checkLlmsFullTxt(full), []);
    assert.ok(txt.startsWith('# demo-project\n\n> AI-Trackdown software project: demo-project\n'));
    assert.ok(full.includes('- File: [tasks/epics/EP-0001-user-authentication.md](../tasks/epics/EP-0001-user-authentication.md)'));
    assert.ok(full.includes('Everything a user needs to get into the app'), 'the body is in llms-full.txt');
    assert.ok(!fs.existsSync(billing.index), 'the other project is left alone');
    // A regeneration still under way (after a save of an earlier suite) holds its temp file for a moment; a leaked one stays.
    await waitFor(() => !fs.readdirSync(wsRoot()).some((n) => n.endsWith('.tmp')), 'no temp file left behind', 10000);
  });

  it('a save that changes nothing the files show does not rewrite them; the next one that does, does', async () => {
    const before = [stamp(main.index), stamp(main.full)];
    const texts = [read(main.index), read(main.full)];
    // Blank lines at the end of a body are not part of llms-full.txt.
    await editAndSave('tasks/epics/EP-0001-user-authentication.md', 'forget their password.\n', 'forget their password.\n\n\n');
    await indexMatchesDisk((await api()).index);
    await sleep(SETTLE_MS);
    assert.deepStrictEqual([stamp(main.index), stamp(main.full)], before, 'neither file was written again');
    assert.deepStrictEqual([read(main.index), read(main.full)], texts);

    await editAndSave('tasks/issues/ISS-0001-login-form.md', 'title: Login form', 'title: Login form with passkeys');
    await waitFor(() => read(main.index)?.includes('[ISS-0001: Login form with passkeys]'), 'llms.txt with the new issue title', 15000);
    assert.notStrictEqual(stamp(main.index), before[0]);
  });

  it('saving config.yaml alone regenerates them with the new project name', async () => {
    await editAndSave('.ai-trackdown/config.yaml', 'name: demo-project\n', 'name: demo-project-renamed\n');
    await waitFor(() => read(main.index)?.startsWith('# demo-project-renamed\n'), 'llms.txt under the new name', 15000);
    assert.deepStrictEqual(checkLlmsTxt(read(main.index)!), []);
    assert.ok(read(main.index)!.includes('[ISS-0001: Login form with passkeys]'), 'every item is still there: the files were read again before generating');
    await editAndSave('.ai-trackdown/config.yaml', 'name: demo-project-renamed\n', 'name: demo-project\n');
    await waitFor(() => read(main.index)?.startsWith('# demo-project\n'), 'llms.txt under the old name again', 15000);
  });

  it('nothing is written on save when the setting is off', async () => {
    await vscode.workspace.getConfiguration('aiTrackdown').update('llmsTxt.autoGenerate', false, vscode.ConfigurationTarget.Global);
    try {
      const before = [stamp(main.index), stamp(main.full)];
      await editAndSave('tasks/tasks/TSK-0003-rate-limit.md', 'title: Rate-limit reset requests', 'title: Rate-limit reset requests per user');
      await sleep(SETTLE_MS);
      assert.deepStrictEqual([stamp(main.index), stamp(main.full)], before);
      assert.ok(!read(main.full)!.includes('per user'));
    } finally {
      await vscode.workspace.getConfiguration('aiTrackdown').update('llmsTxt.autoGenerate', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("nothing is written on save in a project whose config says ai.llms_txt.auto_generate: false", async () => {
    const a = await api();
    const root = wsFile('services/billing');
    const config = path.join(root, '.ai-trackdown', 'config.yaml');
    fs.writeFileSync(config, `${fs.readFileSync(config, 'utf8')}ai:\n  llms_txt:\n    auto_generate: false\n`);
    await waitFor(() => (a.index.getProject(root)?.config.raw.ai as { llms_txt?: { auto_generate?: boolean } } | undefined)?.llms_txt?.auto_generate === false, 'the new config in the index');
    await a.ready();
    await editAndSave('services/billing/work/stories/BST-0001-pdf-invoice.md', 'title: PDF invoice', 'title: PDF invoice, signed');
    await sleep(SETTLE_MS);
    assert.ok(!fs.existsSync(billing.index) && !fs.existsSync(billing.full), 'no llms.txt for the billing project');
  });

  it('the command writes both files of the chosen project, and only what changed when run again', async () => {
    const run = (arg: string) => vscode.commands.executeCommand<LlmsResult | undefined>(COMMANDS.generateLlmsTxt, arg);
    // The billing project turned automatic generation off; the command still writes when asked.
    const first = await run(wsFile('services/billing'));
    assert.ok(first, 'the command returned its result');
    assert.strictEqual(first.root, wsFile('services/billing'));
    assert.deepStrictEqual(first.written, [billing.index, billing.full]);
    const txt = read(billing.index)!;
    assert.deepStrictEqual(checkLlmsTxt(txt), []);
    assert.ok(txt.startsWith('# billing\n'));
    assert.ok(txt.includes('- [BEP-0001: Invoices](work/epics/BEP-0001-invoices.md): Active'));
    assert.ok(read(billing.full)!.includes('\n### BST-0001: PDF invoice, signed\n'), 'the saved title is in llms-full.txt');
    assert.deepStrictEqual(checkLlmsFullTxt(read(billing.full)!), []);

    const stamps = [stamp(billing.index), stamp(billing.full)];
    const again = await run(wsFile('services/billing'));
    assert.deepStrictEqual(again, { root: wsFile('services/billing'), written: [], unchanged: [billing.index, billing.full] });
    assert.deepStrictEqual([stamp(billing.index), stamp(billing.full)], stamps, 'files already current are not touched');

    // In the root project, only the file that is missing is written.
    fs.rmSync(main.full);
    const root = await run(wsRoot());
    assert.deepStrictEqual(root, { root: wsRoot(), written: [main.full], unchanged: [main.index] });
    assert.deepStrictEqual(checkLlmsFullTxt(read(main.full)!), []);
  });
});
