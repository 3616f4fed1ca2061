import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../src/host/commandIds';
import { api, EXTENSION_ID, wsFile, wsRoot } from './helpers';

describe('activation', () => {
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
