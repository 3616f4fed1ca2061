/**
 * The one rule for reading what a repository brings: a file is read only when it is a regular file
 * (never a FIFO, socket or device, whose open or read can block for ever) and, for a project's files,
 * only when its real path lies inside the project's real root (a committed link to `/etc/passwd` or
 * `~/.ssh` is not a task). Every path that reads (the scan, the file watcher, open documents, sync,
 * llms, AI context, the config) goes through here or through read.ts, which opens files the same way.
 */
import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_FILE_BYTES } from './parse';
import { inside } from './paths';
import { ReadOutcome, readFileBytesSync, readTaskFileSync } from './read';

/** The real path of `p` (links resolved), or undefined when it does not exist. */
export function realPath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Why `file` may not be read as a file of the project at `root`, or undefined when it may: it (or a
 * folder on its way) is a link that leads outside the root. A file that does not exist is no
 * refusal: reading it reports it missing.
 */
export function outsideRefusal(root: string, file: string): string | undefined {
  const real = realPath(file);
  if (real === undefined) return undefined;
  const realRoot = realPath(root) ?? root;
  return inside(realRoot, real) ? undefined : `${path.basename(file)} is a link to a place outside the project; it is not read.`;
}

/** Read a file of the project at `root` under the rule; the outcome says why when it was not read. */
export function readProjectFileSync(root: string, file: string, max = MAX_FILE_BYTES): ReadOutcome {
  const refusal = outsideRefusal(root, file);
  return refusal ? { error: refusal } : readTaskFileSync(file, max);
}

/** An error that says why a file was not read, for callers that throw. */
export class UnreadableFileError extends Error {}

export interface RuleOptions {
  /** The project the file must lie in (links resolved); undefined for a place the user chose, e.g. a log file. */
  root?: string;
  /** Larger files are not read. */
  max?: number;
}

/**
 * The bytes of a file under the rule, or an UnreadableFileError saying why not. A missing file throws
 * an error with code ENOENT, so that callers can tell "not there" from "not readable".
 */
export function readRegularBytesSync(file: string, { root, max = MAX_FILE_BYTES }: RuleOptions = {}): Buffer {
  const refusal = root === undefined ? undefined : outsideRefusal(root, file);
  if (refusal) throw new UnreadableFileError(refusal);
  const outcome = readFileBytesSync(file, max);
  if (outcome.bytes) return outcome.bytes;
  if (outcome.code === 'ENOENT') throw Object.assign(new Error(outcome.error), { code: 'ENOENT' });
  if (outcome.tooLarge !== undefined) throw new UnreadableFileError(`${path.basename(file)} is ${Math.round(outcome.tooLarge / 1024)} KiB, over the ${Math.round(max / 1024)} KiB limit; it was not read.`);
  throw new UnreadableFileError(outcome.error ?? `${path.basename(file)} could not be read.`);
}

/** The text of a file under the rule (bytes that are not UTF-8 read as U+FFFD: for reading, never for an edit). */
export function readRegularTextSync(file: string, options?: RuleOptions): string {
  return readRegularBytesSync(file, options).toString('utf8');
}

export const notUtf8Message = (file: string) =>
  `${path.basename(file)} is not valid UTF-8 text; it was left as it is (editing it would replace the bytes that are not). Convert it to UTF-8 to edit it here.`;

/**
 * A file's text to edit or send, under the rule (inside `root` when given); an UnreadableFileError
 * when its bytes are not UTF-8, since decoding them would change them.
 */
export function readTextFile(file: string, root?: string): string {
  const bytes = readRegularBytesSync(file, { root });
  if (!isUtf8(bytes)) throw new UnreadableFileError(notUtf8Message(file));
  return bytes.toString('utf8');
}

/**
 * The text of a file of the project at `root` under the rule (UTF-8 only: it is read to be edited or
 * sent), or undefined when there is none; a refusal throws.
 */
export function readProjectTextIfExists(root: string, file: string): string | undefined {
  try {
    return readTextFile(file, root);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
