/**
 * Where the sync engine reads and writes local files. The engine never touches the disk itself: in
 * the editor the store edits open documents through the editor; elsewhere `FileStore` writes files
 * atomically. Either way a write happens only if the file still holds the text it was planned on.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
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

  async write(file: string, expected: string, text: string): Promise<boolean> {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
    const mode = (await fs.stat(file).catch(() => undefined))?.mode ?? 0o644;
    await fs.writeFile(tmp, text, { encoding: 'utf8', mode, flag: 'wx' });
    try {
      if ((await this.read(file)) !== expected) {
        await fs.rm(tmp, { force: true });
        return false;
      }
      await fs.rename(tmp, file);
      return true;
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }

  async create(file: string, text: string): Promise<boolean> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    try {
      await fs.writeFile(file, text, { encoding: 'utf8', flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }
}
