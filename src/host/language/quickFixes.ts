/**
 * Quick fixes for the problems of a task file, and "fix all" as a source action. Fixes are planned on the
 * document's current text and go with the diagnostics they resolve; none while diagnostics are turned off.
 */
import * as vscode from 'vscode';
import { fixAll, fixesFor } from '../../core/fixes';
import { Problem } from '../../core/model';
import { DIAGNOSTIC_SOURCE, DIAGNOSTICS_SETTING } from '../diagnostics';
import { parsedDocument } from './parsedDocument';
import { toRange, toWorkspaceEdit } from './positions';
import { TaskWorkspace } from '../workspace';

const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append('aiTrackdown');

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, FIX_ALL];

  constructor(private readonly ws: TaskWorkspace) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const parsed = vscode.workspace.getConfiguration().get<boolean>(DIAGNOSTICS_SETTING, true) && parsedDocument(this.ws, doc);
    if (!parsed) return [];
    const text = doc.getText();
    const actions: vscode.CodeAction[] = [];
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);
    if (wants(vscode.CodeActionKind.QuickFix)) {
      const { problems } = parsed.result;
      for (const p of problems) {
        const at = toRange(p.range);
        if (!at.intersection(range)) continue;
        const diagnostics = diagnosticsOf(context, p, at);
        for (const fix of fixesFor(text, p, problems)) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = toWorkspaceEdit(doc, fix.edits);
          action.diagnostics = diagnostics;
          action.isPreferred = fix.preferred;
          actions.push(action);
        }
      }
    }
    if (context.only && wants(FIX_ALL)) {
      const edit = fixAll(text, parsed.ctx);
      if (edit) {
        const action = new vscode.CodeAction('Fix all ai-trackdown problems that have one obvious fix', FIX_ALL);
        action.edit = toWorkspaceEdit(doc, [edit]);
        actions.push(action);
      }
    }
    return actions;
  }
}

/**
 * The editor's diagnostics that a fix resolves: ours, with the problem's code, at its range (or, while the
 * diagnostics still lag behind typing, near it).
 */
function diagnosticsOf(context: vscode.CodeActionContext, p: Problem, at: vscode.Range): vscode.Diagnostic[] {
  const same = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code === p.code);
  const exact = same.filter((d) => d.range.isEqual(at));
  return exact.length ? exact : same.filter((d) => d.range.intersection(at));
}
