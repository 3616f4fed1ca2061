import * as vscode from 'vscode';
import { Trees } from '../trees/register';
import { TaskWorkspace } from '../workspace';

export function registerCommands(_context: vscode.ExtensionContext, _ws: TaskWorkspace, _trees: Trees): void {}
