/** Language features of task files and of any markdown that mentions task ids. */
import * as vscode from 'vscode';
import { TaskWorkspace } from '../workspace';
import { FrontmatterCompletionProvider } from './completions';
import { TaskDefinitionProvider } from './definition';
import { TaskHoverProvider } from './hover';
import { QuickFixProvider } from './quickFixes';

/** Task files are markdown files on disk; ids are looked up in any markdown, saved or not. */
const TASK_FILES: vscode.DocumentSelector = { language: 'markdown', scheme: 'file' };
const MARKDOWN: vscode.DocumentSelector = { language: 'markdown' };

export function registerLanguageFeatures(context: vscode.ExtensionContext, ws: TaskWorkspace): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(TASK_FILES, new QuickFixProvider(ws), { providedCodeActionKinds: QuickFixProvider.kinds }),
    vscode.languages.registerCompletionItemProvider(TASK_FILES, new FrontmatterCompletionProvider(ws), ...FrontmatterCompletionProvider.triggers),
    vscode.languages.registerHoverProvider(MARKDOWN, new TaskHoverProvider(ws)),
    vscode.languages.registerDefinitionProvider(MARKDOWN, new TaskDefinitionProvider(ws)),
  );
}
