/**
 * The writer for processes outside the editor (the CLI, an MCP server, scripts): every file straight
 * to disk through the atomic writer, under the same checks as the editor's writer (writer.ts).
 */
import { createFile, WriteHooks, writeIfUnchanged } from '../atomicWrite';
import { TaskIndex } from '../index';
import { ItemChanges } from './plan';
import { ItemWriter, prepareFromDisk, Skipped, writePlan } from './writer';

export interface FsWriterOptions {
  /** Given, the index learns each text written, so that the next operation plans on it. */
  index?: TaskIndex;
  /** Test seams of the atomic writer. */
  hooks?: WriteHooks;
}

export class FsWriter implements ItemWriter {
  constructor(private readonly o: FsWriterOptions = {}) {}

  async writeItems(plan: readonly ItemChanges[]): Promise<Skipped[]> {
    const { skipped, written } = await writePlan(plan, { prepare: async (entry) => prepareFromDisk(entry), hooks: this.o.hooks });
    this.o.index?.batch(() => written.forEach((p) => this.o.index!.set(p.file, p.after)));
    return skipped;
  }

  async createFile(root: string, file: string, text: string): Promise<boolean> {
    const made = await createFile(file, text, { within: root });
    if (made) this.o.index?.set(file, text);
    return made;
  }

  writeFile(root: string, file: string, before: string | undefined, text: string): Promise<void> {
    return writeIfUnchanged(file, before, text, { within: root });
  }
}
