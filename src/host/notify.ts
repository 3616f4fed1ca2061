/**
 * Every notification and message dialog the extension shows goes through here, so that no text of
 * the repository's can become a link in it (see plainText.ts). Our own messages hold no links.
 */
import * as vscode from 'vscode';
import { plain } from './plainText';

type Rest = [vscode.MessageOptions, ...string[]] | string[];
type Show = (...a: unknown[]) => Thenable<string | undefined>;

function show(fn: Show, message: string, rest: Rest): Thenable<string | undefined> {
  const [first, ...items] = rest;
  if (typeof first !== 'object') return fn(plain(message), ...rest);
  return fn(plain(message), { ...first, detail: first.detail === undefined ? undefined : plain(first.detail) }, ...items);
}

export function showInfo(message: string, ...items: string[]): Thenable<string | undefined>;
export function showInfo(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
export function showInfo(message: string, ...rest: Rest): Thenable<string | undefined> {
  return show(vscode.window.showInformationMessage as Show, message, rest);
}

export function showWarning(message: string, ...items: string[]): Thenable<string | undefined>;
export function showWarning(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
export function showWarning(message: string, ...rest: Rest): Thenable<string | undefined> {
  return show(vscode.window.showWarningMessage as Show, message, rest);
}

export function showError(message: string, ...items: string[]): Thenable<string | undefined>;
export function showError(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
export function showError(message: string, ...rest: Rest): Thenable<string | undefined> {
  return show(vscode.window.showErrorMessage as Show, message, rest);
}
