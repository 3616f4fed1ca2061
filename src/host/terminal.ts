/**
 * `trackdown` in VS Code's integrated terminals: a folder holding a launcher is put first on the PATH
 * of every terminal through the extension's environment variable collection, so that people and the
 * agents working in a terminal run the command line that ships with the extension. The launcher runs
 * dist/cli.js with the Node that runs the extension (process.execPath: in desktop VS Code that is
 * Electron, which ELECTRON_RUN_AS_NODE turns into plain Node), as a terminal may have no `node` at all.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { createFile, replaceFile } from '../core/atomicWrite';
import { TaskWorkspace } from './workspace';

export interface TerminalCli {
  /** The folder holding the launcher. */
  readonly folder: string;
  /** What the extension does to terminals' PATH, as VS Code holds it; undefined until the launcher is written. */
  pathChange(): { value: string; type: 'replace' | 'append' | 'prepend' } | undefined;
}

const TYPES = { [vscode.EnvironmentVariableMutatorType.Replace]: 'replace', [vscode.EnvironmentVariableMutatorType.Append]: 'append', [vscode.EnvironmentVariableMutatorType.Prepend]: 'prepend' } as const;

/** A string in single quotes for sh: nothing in it is expanded. */
const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The launcher's file name and text for this platform. */
export function launcher(node: string, cli: string, platform = process.platform): { name: string; text: string } {
  if (platform === 'win32') {
    return { name: 'trackdown.cmd', text: `@echo off\r\nsetlocal\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${node}" "${cli}" %*\r\n` };
  }
  return {
    name: 'trackdown',
    text: `#!/bin/sh\n# The AI Trackdown extension's command line, run by the Node that runs the extension.\nELECTRON_RUN_AS_NODE=1 exec ${shQuote(node)} ${shQuote(cli)} "$@"\n`,
  };
}

/** Write the launcher when it is missing or names another Node or extension folder (after an update). */
async function writeLauncher(folder: string, name: string, text: string): Promise<void> {
  const file = path.join(folder, name);
  await fs.promises.mkdir(folder, { recursive: true });
  const current = await fs.promises.readFile(file, 'utf8').catch(() => undefined);
  if (current === text) return;
  const options = { within: folder, mode: 0o755 };
  // Another window may write the same launcher at the same moment: either text is right.
  if (current === undefined && (await createFile(file, text, options))) return;
  await replaceFile(file, text, options);
}

export function registerTerminal(context: vscode.ExtensionContext, ws: TaskWorkspace): TerminalCli {
  const folder = path.join(context.globalStorageUri.fsPath, 'bin');
  const collection = context.environmentVariableCollection;
  const { name, text } = launcher(process.execPath, path.join(context.extensionPath, 'dist', 'cli.js'));
  collection.description = 'Puts the `trackdown` command line of AI Trackdown on the PATH.';
  writeLauncher(folder, name, text).then(
    () => collection.prepend('PATH', folder + path.delimiter),
    (e) => ws.log.error(`could not write the trackdown launcher in ${folder}`, e as Error),
  );
  return {
    folder,
    pathChange() {
      const m = collection.get('PATH');
      return m && { value: m.value, type: TYPES[m.type] };
    },
  };
}
