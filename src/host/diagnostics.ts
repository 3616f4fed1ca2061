import * as vscode from 'vscode';
import { TaskWorkspace } from './workspace';

export function registerDiagnostics(_context: vscode.ExtensionContext, _ws: TaskWorkspace): void {}
