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
