/** The sync engine's LocalStore in the editor: open documents are read and edited through VS Code. */
import * as vscode from 'vscode';
import { createFile } from '../../core/atomicWrite';
import { Project } from '../../core/index';
import { readProjectTextIfExists } from '../../core/fileRule';
import { listTaskFiles } from '../../core/project';
import { LocalStore } from '../../core/sync/store';
import { writeText } from '../writer';
import { TaskWorkspace } from '../workspace';

export class EditorStore implements LocalStore {
  constructor(
    private readonly ws: TaskWorkspace,
    private readonly project: Project,
  ) {}

  list(): Promise<string[]> {
    return listTaskFiles(this.project);
  }

  async read(file: string): Promise<string | undefined> {
    // A document with unsaved edits: what the user sees, and what a write must keep. A clean one may lag
    // behind the disk until VS Code reloads it, so the disk has the say then.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    if (doc?.isDirty) return doc.getText();
    return readProjectTextIfExists(this.project.root, file);
  }

  write(file: string, expected: string, text: string): Promise<boolean> {
    return writeText(this.ws, this.project.root, file, expected, text);
  }

  async create(file: string, text: string): Promise<boolean> {
    if (!(await createFile(file, text, { within: this.project.root }))) return false;
    this.ws.noteWritten(file, text);
    return true;
  }
}
