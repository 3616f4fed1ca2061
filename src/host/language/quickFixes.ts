/** Quick fixes for the problems of a task file, and "fix all" as a source action. */
import * as vscode from 'vscode';
import { fixAll, fixesFor } from '../../core/fixes';
import { Problem } from '../../core/model';
import { parsedDocument } from './parsedDocument';
import { toRange, toWorkspaceEdit } from './positions';
import { TaskWorkspace } from '../workspace';

const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append('aiTrackdown');

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, FIX_ALL];

  constructor(private readonly ws: TaskWorkspace) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const parsed = parsedDocument(this.ws, doc);
    if (!parsed) return [];
    const text = doc.getText();
    const actions: vscode.CodeAction[] = [];
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);
    if (wants(vscode.CodeActionKind.QuickFix)) {
      const { problems } = parsed.result;
      for (const p of problems) {
        const at = toRange(p.range);
        if (!at.intersection(range)) continue;
        for (const fix of fixesFor(text, p, problems)) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = toWorkspaceEdit(doc, fix.edits);
          action.diagnostics = diagnosticsOf(context, p, at);
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

/** The editor's diagnostics that a fix resolves: ours, with the problem's code, at its range. */
function diagnosticsOf(context: vscode.CodeActionContext, p: Problem, at: vscode.Range): vscode.Diagnostic[] {
  return context.diagnostics.filter((d) => d.code === p.code && d.range.isEqual(at));
}
