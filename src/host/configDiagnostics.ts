/**
 * Each project's config.yaml problems as diagnostics on that file: at the value a problem is about when
 * it is known (a pattern RE2 cannot run), else on the first line. They change when a project is
 * (re)loaded, which is when its config changes.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FILE } from '../core/config';
import { configProblems } from '../core/problems';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { toRange } from './language/positions';
import { TaskWorkspace } from './workspace';

export function registerConfigDiagnostics(context: vscode.ExtensionContext, ws: TaskWorkspace): void {
  const collection = vscode.languages.createDiagnosticCollection(`${DIAGNOSTIC_SOURCE}-config`);
  const show = () => {
    collection.clear();
    for (const p of ws.index.getProjects()) {
      const problems = configProblems(p);
      if (!problems.length) continue;
      const diagnostics = problems.map((e) => {
        const d = new vscode.Diagnostic(toRange(e.range), e.message, vscode.DiagnosticSeverity.Warning);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = e.code;
        return d;
      });
      collection.set(vscode.Uri.file(path.join(p.root, CONFIG_FILE)), diagnostics);
    }
  };
  context.subscriptions.push(
    collection,
    ws.index.onDidChange((e) => {
      if (e.all) show();
    }),
  );
  show();
}
