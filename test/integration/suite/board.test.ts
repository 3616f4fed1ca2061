import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { BoardCard } from '../../../src/core/board';
import type { State } from '../../../src/core/model';
import { COMMANDS } from '../../../src/host/commandIds';
import type { BoardPanel } from '../../../src/host/board/panel';
import type { HostMessage } from '../../../webview-ui/shared/protocol';
import { api, noAutoSave, waitFor, wsFile, wsRoot } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

const read = (rel: string) => fs.readFileSync(wsFile(rel), 'utf8');
type Of<T extends HostMessage['type']> = Extract<HostMessage, { type: T }>;

describe('board', () => {
  let restore: () => void;
  let board: BoardPanel;
  let posted: HostMessage[];
  let nextId = 1;

  const last = <T extends HostMessage['type']>(type: T, test: (m: Of<T>) => boolean = () => true) =>
    [...posted].reverse().find((m): m is Of<T> => m.type === type && test(m as Of<T>));
  const cardIn = (m: { upserts?: BoardCard[]; cards?: BoardCard[] }, file: string) => (m.upserts ?? m.cards ?? []).find((c) => c.file === file);

  before(async () => {
    restore = snapshot(wsRoot());
    const a = await api();
    posted = [];
    board = (await a.boards.open(wsRoot()))!;
    assert.ok(board, 'the board did not open');
    board.onDidPost((m) => posted.push(m));
    // The real webview loads its script under the page's CSP and asks for the board.
    await waitFor(() => last('init'), 'the init message after the webview said ready', 30000);
  });

  after(async () => {
    board?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    restore();
    await indexMatchesDisk((await api()).index);
  });

  it('opens one panel per project, titled by the project, and sends every card with the settings', async () => {
    const init = last('init')!;
    assert.strictEqual(board.panel.title, 'Board: demo-project');
    assert.strictEqual(init.project.root, wsRoot());
    const ids = init.cards.map((c) => c.id);
    for (const id of ['EP-0001', 'ISS-0001', 'ISS-0002', 'TSK-0001', 'PR-0001']) assert.ok(ids.includes(id), `${id} missing from ${ids}`);
    assert.ok(!init.cards.some((c) => (c.type as string) === 'comment'), 'comments are not cards');
    assert.deepStrictEqual(init.settings.columns, ['planning', 'active', 'ready_for_engineering', 'ready_for_qa', 'ready_for_deployment', 'done', 'won_t_do']);
    assert.strictEqual((await api()).boards.all().length, 1);
    assert.strictEqual(await (await api()).boards.open(wsRoot()), board, 'opening again reveals the same panel');
  });

  it('an allowed move writes the transition to the file and then sends the card as the file now is', async () => {
    const rel = 'tasks/tasks/TSK-0002-session-api.md';
    const file = wsFile(rel);
    const before = read(rel);
    const requestId = nextId++;
    await board.receive({ type: 'move', requestId, file, from: 'active', to: 'ready_for_engineering' });
    assert.deepStrictEqual(last('moveResult', (m) => m.requestId === requestId), { type: 'moveResult', requestId, file, ok: true, message: undefined });
    const after = read(rel);
    assert.match(after, /^state: ready_for_engineering$/m);
    assert.match(after, /^ {2}previous_state: active$/m);
    assert.ok(after.endsWith(before.slice(before.indexOf('\n---', 3))), 'the body is untouched');
    const update = await waitFor(() => last('update', (m) => !!cardIn(m, file)), 'an update with the moved card');
    assert.strictEqual(cardIn(update, file)!.state, 'ready_for_engineering');
  });

  it('a refused move changes nothing and says why; so does a move from a state the card no longer has', async () => {
    const rel = 'tasks/tasks/TSK-0003-rate-limit.md';
    const file = wsFile(rel);
    const before = read(rel);
    const refused = nextId++;
    await board.receive({ type: 'move', requestId: refused, file, from: 'planning', to: 'done' });
    const r = last('moveResult', (m) => m.requestId === refused)!;
    assert.strictEqual(r.ok, false);
    assert.match(r.message!, /Planning → Done is not an allowed transition/);

    const stale = nextId++;
    await board.receive({ type: 'move', requestId: stale, file, from: 'active', to: 'ready_for_engineering' });
    const s = last('moveResult', (m) => m.requestId === stale)!;
    assert.strictEqual(s.ok, false);
    assert.match(s.message!, /TSK-0003 is Planning now, not Active/);

    // ISS-0002 holds `assignee: @bob`, a YAML error: nothing is written to a file that cannot be read.
    const broken = wsFile('tasks/issues/ISS-0002-password-reset.md');
    const brokenBefore = fs.readFileSync(broken, 'utf8');
    const yamlError = nextId++;
    await board.receive({ type: 'move', requestId: yamlError, file: broken, from: 'planning', to: 'ready_for_engineering' });
    const y = last('moveResult', (m) => m.requestId === yamlError)!;
    assert.strictEqual(y.ok, false);
    assert.match(y.message!, /YAML errors; fix them first/);
    assert.strictEqual(fs.readFileSync(broken, 'utf8'), brokenBefore);

    // A message naming no state of the workflow (the webview's messages are not trusted to be well formed).
    const bogus = nextId++;
    await board.receive({ type: 'move', requestId: bogus, file, from: 'planning', to: 'shipped' as State });
    assert.match(last('moveResult', (m) => m.requestId === bogus)!.message!, /shipped is not a state of the workflow/);

    const gone = nextId++;
    await board.receive({ type: 'move', requestId: gone, file: wsFile('tasks/tasks/TSK-0404-none.md'), from: 'planning', to: 'won_t_do' });
    assert.strictEqual(last('moveResult', (m) => m.requestId === gone)!.ok, false);
    assert.strictEqual(read(rel), before);
  });

  it('a file changed on disk (as by the CLI or git) reaches the board as an update of that card alone', async () => {
    const rel = 'tasks/tasks/TSK-0003-rate-limit.md';
    const file = wsFile(rel);
    const since = posted.length;
    fs.writeFileSync(file, read(rel).replace(/^status: planning$/m, 'status: active'));
    const update = await waitFor(() => posted.slice(since).find((m): m is Of<'update'> => m.type === 'update' && !!cardIn(m, file)), 'an update for TSK-0003');
    assert.strictEqual(cardIn(update, file)!.state, 'active');
    assert.deepStrictEqual(update.removes, []);
    assert.ok(update.upserts.length <= 2, `only the card and perhaps its parent are sent, not ${update.upserts.map((c) => c.id)}`);
  });

  it('a move of a card whose file is open with unsaved changes edits the editor, not the disk, and says so', async () => {
    await noAutoSave(true);
    try {
      const rel = 'tasks/issues/ISS-0003-export-csv.md';
      const file = wsFile(rel);
      const before = read(rel);
      const doc = await vscode.workspace.openTextDocument(file);
      // Beside the board, which stays visible (a hidden webview is unloaded and gets nothing).
      const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
      await editor.edit((e) => e.insert(doc.positionAt(doc.getText().length), '\nA note not saved yet.\n'));
      const requestId = nextId++;
      await board.receive({ type: 'move', requestId, file, from: 'planning', to: 'won_t_do' });
      const r = last('moveResult', (m) => m.requestId === requestId)!;
      assert.strictEqual(r.ok, true);
      assert.match(r.message!, /unsaved changes/);
      assert.match(doc.getText(), /^state: won_t_do$/m);
      assert.ok(doc.getText().includes('A note not saved yet.'), 'the unsaved edit is kept');
      assert.strictEqual(read(rel), before, 'the file on disk is not written behind the editor');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await noAutoSave(false);
    }
  });

  it("a card's context menu runs the tree's commands on the card's file", async () => {
    const rel = 'tasks/issues/ISS-0004-session-timeout.md';
    const context = { webview: 'aiTrackdown.board', webviewSection: 'card', 'aiTrackdown.file': wsFile(rel), 'aiTrackdown.card': 'item:issue:done' };
    await vscode.commands.executeCommand(COMMANDS.assign, context, 'dave');
    assert.match(read(rel), /^assignee: dave$/m);
  });

  it('changed board settings are sent as a new board', async () => {
    const since = posted.length;
    const config = vscode.workspace.getConfiguration('aiTrackdown');
    await config.update('board.wipLimits', { active: 1 }, vscode.ConfigurationTarget.Workspace);
    try {
      const init = await waitFor(() => posted.slice(since).find((m): m is Of<'init'> => m.type === 'init'), 'an init with the new settings');
      assert.deepStrictEqual(init.settings.wipLimits, { active: 1 });
    } finally {
      await config.update('board.wipLimits', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('the Open Board command is contributed and opens the board of the active file’s project', async () => {
    board.dispose();
    await vscode.window.showTextDocument(vscode.Uri.file(wsFile('tasks/issues/ISS-0001-login-form.md')));
    await vscode.commands.executeCommand(COMMANDS.openBoard);
    const boards = (await api()).boards.all();
    assert.strictEqual(boards.length, 1);
    assert.strictEqual(boards[0].root, wsRoot());
    board = boards[0];
  });
});
