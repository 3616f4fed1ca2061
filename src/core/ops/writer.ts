/**
 * How an operation's plan reaches the disk. Two writers implement ItemWriter: the editor's (open
 * documents through the editor, src/host/writer.ts) and the file system's (fsWriter.ts, for the CLI and
 * agents). Both go through writePlan, so both refuse the same way: every file of an operation is read,
 * checked against the text the plan was made on and edited before any is written; a file changed since
 * is refused (StaleFileError), never overwritten; files are written atomically, and put back when a
 * later file of the same operation fails.
 */
import * as path from 'path';
import { replaceFile, StaleFileError, WriteHooks } from '../atomicWrite';
import { editFrontmatter, TextEdit } from '../edit';
import { readTextFile } from '../fileRule';
import { hashText } from '../text';
import { ItemChanges } from './plan';

/** An optional change of an operation that could not be written, and why. */
export interface Skipped {
  entry: ItemChanges;
  error: Error;
}

export interface ItemWriter {
  /** Write an operation's changes as one; returns the optional entries that were left out. */
  writeItems(plan: readonly ItemChanges[]): Promise<Skipped[]>;
  /** Make a new file inside `root`; false, with nothing written, when its name is taken. */
  createFile(root: string, file: string, text: string): Promise<boolean>;
  /** Replace a file inside `root` that still holds `before` (undefined: make it, if it still does not exist). */
  writeFile(root: string, file: string, before: string | undefined, text: string): Promise<void>;
}

/** Write a plan; an empty plan writes nothing. */
export async function run(writer: ItemWriter, plan: readonly ItemChanges[]): Promise<Skipped[]> {
  return plan.length ? writer.writeItems(plan) : [];
}

/** One file of an operation, read and edited, ready to write. */
export interface Prepared {
  entry: ItemChanges;
  file: string;
  before: string;
  after: string;
  edits: TextEdit[];
}

export const staleError = (file: string): StaleFileError => new StaleFileError(`${path.basename(file)} changed on disk since it was read; nothing was written. Try again.`);

/** Read a file from disk, refuse it unless it still holds the text the plan was made on, and edit it. */
export function prepareFromDisk(entry: ItemChanges): Prepared {
  const file = entry.item.file;
  const before = readTextFile(file, entry.item.root);
  if (hashText(before) !== entry.item.hash) throw staleError(file);
  return { entry, file, before, ...edited(entry, before) };
}

/** A plan entry's edit of `before`. */
export function edited(entry: ItemChanges, before: string): { after: string; edits: TextEdit[] } {
  const { edits, text } = editFrontmatter(before, entry.changes);
  return { after: text, edits };
}

/** How one writer reads and writes the files of a plan; writePlan does the rest. */
export interface PlanSteps<P extends Prepared> {
  prepare(entry: ItemChanges): Promise<P>;
  /** Files written some other way than to disk (open documents); they are written last. */
  elsewhere?: {
    holds(p: P): boolean;
    /** Write them; report each failure through `fail` (which throws unless the entry is optional); returns those written. */
    write(ps: P[], fail: (entry: ItemChanges, error: unknown) => void): Promise<P[]>;
  };
  hooks?: WriteHooks;
}

export interface PlanWritten<P> {
  skipped: Skipped[];
  /** Written to disk. */
  written: P[];
  /** Written elsewhere. */
  other: P[];
}

/**
 * Write a plan's files as one: prepare every file first (a stale one refuses the whole operation before
 * anything is written), then write the disk files atomically, then the others; when anything fails
 * after a disk file was written, that file is put back as it was. An optional entry that cannot be
 * written is left out instead, and returned.
 */
export async function writePlan<P extends Prepared>(plan: readonly ItemChanges[], steps: PlanSteps<P>): Promise<PlanWritten<P>> {
  const skipped: Skipped[] = [];
  const fail = (entry: ItemChanges, error: unknown) => {
    if (!entry.optional) throw error;
    skipped.push({ entry, error: error as Error });
  };
  const prepared = await Promise.allSettled(plan.map((entry) => steps.prepare(entry)));
  const ready: P[] = [];
  prepared.forEach((o, i) => (o.status === 'fulfilled' ? ready.push(o.value) : fail(plan[i], o.reason)));

  const elsewhere = steps.elsewhere;
  const disk = ready.filter((p) => !elsewhere?.holds(p));
  const results = await Promise.allSettled(disk.map((p) => replaceFile(p.file, p.after, { within: p.entry.item.root, expected: p.before, hooks: steps.hooks })));
  const written = disk.filter((_, i) => results[i].status === 'fulfilled');
  let other: P[] = [];
  try {
    results.forEach((r, i) => r.status === 'rejected' && fail(disk[i].entry, r.reason));
    if (elsewhere) other = await elsewhere.write(ready.filter((p) => elsewhere.holds(p)), fail);
  } catch (e) {
    throw await putBack(written, e as Error);
  }
  return { skipped, written, other };
}

/** Put files back as they were after the rest of their operation failed; returns the error to report. */
async function putBack(written: readonly Prepared[], error: Error): Promise<Error> {
  const results = await Promise.allSettled(written.map((p) => replaceFile(p.file, p.before, { within: p.entry.item.root, expected: p.after })));
  const kept = written.filter((_, i) => results[i].status === 'rejected').map((p) => path.basename(p.file));
  if (!kept.length) return error;
  return new StaleFileError(`${error.message} ${kept.join(', ')} changed again meanwhile and could not be put back as it was.`);
}
