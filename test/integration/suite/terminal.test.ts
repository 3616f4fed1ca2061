/** `trackdown` on the integrated terminals' PATH: the folder VS Code prepends holds a launcher that runs the CLI. */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, waitFor } from './helpers';

describe('trackdown in the terminal', () => {
  it("prepends a folder to terminals' PATH whose trackdown runs the CLI that ships with the extension", async () => {
    const { terminal } = await api();
    const change = await waitFor(() => terminal.pathChange(), "the extension's PATH change");
    assert.deepStrictEqual(change, { value: terminal.folder + path.delimiter, type: 'prepend' });

    // As a terminal would run it: by name, found through the PATH the collection makes.
    const PATH = change.value + (process.env.PATH ?? '');
    const win = process.platform === 'win32';
    const r = spawnSync(win ? 'trackdown.cmd' : 'trackdown', ['--version'], { env: { ...process.env, PATH }, encoding: 'utf8', shell: win, timeout: 20000 });
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const { version } = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8'));
    assert.strictEqual(r.status, 0, `trackdown --version failed: ${r.error ?? r.stderr}`);
    assert.strictEqual(r.stdout.trim(), version);
  });
});
