import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../src/host/commandIds';
import { api, EXTENSION_ID, wsFile, wsRoot } from './helpers';

describe('activation', () => {
  it('runs on a temp copy of the fixture workspace, never on the original', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const fixtures = path.join(ext.extensionPath, 'test', 'fixtures');
    const rel = path.relative(fixtures, wsRoot());
    assert.ok(rel.startsWith('..') || path.isAbsolute(rel), `the tests would edit ${wsRoot()} in place: launch them through test/launch/`);
    assert.ok(fs.existsSync(wsFile('tasks/issues/ISS-0001-login-form.md')), 'the workspace is not a copy of test/fixtures/workspace');
  });

  it('indexes both projects of the fixture workspace', async () => {
    const { index } = await api();
    const roots = index.getProjects().map((p) => path.relative(wsRoot(), p.root)).sort();
    assert.deepStrictEqual(roots, ['', path.join('services', 'billing')]);
    assert.strictEqual(index.byId(wsRoot(), 'ISS-0001')[0]?.title, 'Login form');
    assert.strictEqual(index.byId(wsFile('services/billing'), 'BST-0001')[0]?.parentId, 'BEP-0001');
  });

  it('registers every command package.json contributes, and no other', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const pkg = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8'));
    const declared = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepStrictEqual(declared, Object.values(COMMANDS).sort());
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of declared) assert.ok(registered.has(id), `${id} is declared but not registered`);
  });
});
