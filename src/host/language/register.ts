import * as vscode from 'vscode';
import { TaskWorkspace } from '../workspace';

export function registerLanguageFeatures(_context: vscode.ExtensionContext, _ws: TaskWorkspace): void {}
