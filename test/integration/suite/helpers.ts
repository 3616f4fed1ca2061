/** Shared helpers for integration tests: the extension's API, the fixture workspace, waiting. */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AiTrackdownApi } from '../../../src/host/extension';

export const EXTENSION_ID = 'ai-trackdown.ai-trackdown-vscode';

export async function api(): Promise<AiTrackdownApi> {
  const ext = vscode.extensions.getExtension<AiTrackdownApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  const a = ext.isActive ? ext.exports : await ext.activate();
  await a.ready();
  return a;
}

/** The workspace folder the tests run in (a temp copy of test/fixtures/workspace). */
export function wsRoot(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'no workspace folder open');
  return f.uri.fsPath;
}

export function wsFile(rel: string): string {
  return path.join(wsRoot(), ...rel.split('/'));
}

/** Poll until `probe` returns a truthy value (or throw after `ms`). */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string, ms = 10000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/**
 * VS Code for the web (the code-server harness) saves documents one second after an edit by default:
 * tests that assert on unsaved edits turn that off for their duration (and must put the setting back).
 */
export async function noAutoSave(on: boolean): Promise<void> {
  await vscode.workspace.getConfiguration('files').update('autoSave', on ? 'off' : undefined, vscode.ConfigurationTarget.Global);
}

export interface ShownMessage {
  severity: 'information' | 'warning' | 'error';
  message: string;
  options?: vscode.MessageOptions;
  items: string[];
}

/**
 * Record the notifications and message dialogs the extension shows, instead of showing them, and answer
 * each with `answer`'s item (undefined: dismissed). The extension and these tests are one extension to
 * VS Code, which gives them one `vscode` API object; `restore()` puts the real functions back.
 */
export function interceptMessages(answer: (m: ShownMessage) => string | undefined = () => undefined): { shown: ShownMessage[]; restore(): void } {
  const shown: ShownMessage[] = [];
  const w = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const real = { information: w.showInformationMessage, warning: w.showWarningMessage, error: w.showErrorMessage };
  const fake = (severity: ShownMessage['severity']) =>
    ((message: string, ...rest: unknown[]) => {
      const options = rest[0] !== null && typeof rest[0] === 'object' ? (rest.shift() as vscode.MessageOptions) : undefined;
      const m: ShownMessage = { severity, message, options, items: rest as string[] };
      shown.push(m);
      return Promise.resolve(answer(m));
    }) as typeof vscode.window.showInformationMessage;
  w.showInformationMessage = fake('information');
  w.showWarningMessage = fake('warning');
  w.showErrorMessage = fake('error');
  return {
    shown,
    restore: () => {
      w.showInformationMessage = real.information;
      w.showWarningMessage = real.warning;
      w.showErrorMessage = real.error;
    },
  };
}
