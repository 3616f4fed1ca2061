/**
 * Where the sync engine reads and writes local files. The engine never touches the disk itself: in
 * the editor the store edits open documents through the editor; elsewhere `FileStore` writes files
 * atomically. Either way a write happens only if the file still holds the text it was planned on.
 */
import { createFile, replaceIfUnchanged } from '../atomicWrite';
import { readProjectTextIfExists } from '../fileRule';
import { Project } from '../index';
import { listTaskFiles } from '../project';

export interface LocalStore {
  /** The project's task files. */
  list(): Promise<string[]>;
  /** The current text (an open editor's, unsaved edits included), or undefined when there is no file. */
  read(file: string): Promise<string | undefined>;
  /** Replace the text if it is still `expected`; false (nothing written) when it changed meanwhile. */
  write(file: string, expected: string, text: string): Promise<boolean>;
  /** Make a new file; false when one is already there. */
  create(file: string, text: string): Promise<boolean>;
}

/** The store over the plain file system. */
export class FileStore implements LocalStore {
  constructor(private readonly project: Project) {}

  list(): Promise<string[]> {
    return listTaskFiles(this.project);
  }

  async read(file: string): Promise<string | undefined> {
    return readProjectTextIfExists(this.project.root, file);
  }

  write(file: string, expected: string, text: string): Promise<boolean> {
    return replaceIfUnchanged(file, expected, text, { within: this.project.root });
  }

  create(file: string, text: string): Promise<boolean> {
    return createFile(file, text, { within: this.project.root });
  }
}
