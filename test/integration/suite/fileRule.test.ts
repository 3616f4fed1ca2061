import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, waitFor, wsFile } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

const task = (id: string, title: string) => `---\nepic_id: ${id}\ntitle: ${title}\nstatus: planning\n---\n`;

describe('files the watcher reports follow the scan\'s rule', function () {
  this.timeout(60000);

  it('a link out of the project and a FIFO are not read; the files after them are', async () => {
    const { index } = await api();
    const restore = snapshot(wsFile(''));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-outside-'));
    const link = wsFile('tasks/epics/EP-0071-link.md');
    const pipe = wsFile('tasks/epics/EP-0072-pipe.md');
    try {
      fs.writeFileSync(path.join(outside, 'secret.md'), task('EP-0071', 'Outside secret'));
      fs.symlinkSync(path.join(outside, 'secret.md'), link);
      execFileSync('mkfifo', [pipe]);
      // Reported after the two: once it is indexed, the events before it were handled (a read blocked on
      // the FIFO would have stopped the extension host before this one).
      const marker = wsFile('tasks/epics/EP-0073-marker.md');
      fs.writeFileSync(marker, task('EP-0073', 'Marker'));
      await waitFor(() => index.entry(marker)?.item?.title === 'Marker', 'the file written after the link and the FIFO');
      // A change reported for each, too.
      fs.writeFileSync(path.join(outside, 'secret.md'), task('EP-0071', 'Outside secret, changed'));
      fs.utimesSync(link, new Date(), new Date());
      fs.writeFileSync(marker, task('EP-0073', 'Marker again'));
      await waitFor(() => index.entry(marker)?.item?.title === 'Marker again', 'the marker changed');
      assert.strictEqual(index.entry(link), undefined, 'the link out of the project is not indexed');
      assert.strictEqual(index.entry(pipe), undefined, 'the FIFO is not indexed');
      assert.ok(![...index.items()].some((i) => i.title.startsWith('Outside secret')), 'nothing from outside the project is indexed');

      // Opened in an editor, the link gets no diagnostics either, while a task file opened after it does.
      fs.writeFileSync(path.join(outside, 'secret.md'), task('EP-0071', 'Outside secret').replace('planning', 'nonsense'));
      await vscode.window.showTextDocument(vscode.Uri.file(link), { preview: false });
      const bad = wsFile('tasks/epics/EP-0074-bad.md');
      fs.writeFileSync(bad, task('EP-0074', 'Bad state').replace('planning', 'nonsense'));
      await vscode.window.showTextDocument(vscode.Uri.file(bad), { preview: false });
      await waitFor(() => vscode.languages.getDiagnostics(vscode.Uri.file(bad)).length > 0, 'a diagnostic on the file inside the project');
      assert.deepStrictEqual(vscode.languages.getDiagnostics(vscode.Uri.file(link)), []);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // The snapshot restores files and folders only.
      for (const p of [link, pipe]) fs.rmSync(p, { force: true });
      restore();
      fs.rmSync(outside, { recursive: true, force: true });
      await indexMatchesDisk(index);
    }
  });
});
