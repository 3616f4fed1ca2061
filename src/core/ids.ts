/** Item ids, file names and the CLI's counters.json. */
import * as path from 'path';
import { FolderType } from './config';

/** An id is a prefix and a number: ISS-0001, EPIC-001. */
export const ID_PATTERN = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/;
const ID_AT_START = /^([A-Za-z][A-Za-z0-9_]*-\d+)(?=$|[-_.\s])/;
/** Ids inside free text (markdown, commit messages), given the prefixes a project uses. */
export function idRegExp(prefixes: readonly string[]): RegExp {
  const alt = [...new Set(prefixes)].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  return new RegExp(`\\b(?:${alt})-\\d+\\b`, 'g');
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The id a file name starts with: `ISS-0001-login-form.md` → `ISS-0001`. */
export function idFromFileName(file: string): string | undefined {
  return ID_AT_START.exec(path.basename(file, path.extname(file)))?.[1];
}

export function prefixOf(id: string): string | undefined {
  return ID_PATTERN.exec(id)?.[1];
}

/** prefix + counter, zero-padded to 4 digits (5 and more from 10000 on), as the CLI writes them. */
export function formatId(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(4, '0')}`;
}

/**
 * The slug the CLI's compliance fixer (`aitrackdown index-health --rebuild-index`) gives a title: it
 * renames any file whose name differs, and then loses the file from its index, so files we make are
 * named this way. Only ASCII letters, digits, `_` and `-` are left, so the name can carry no path syntax.
 * The fixer trims after turning whitespace into dashes, which leaves nothing to trim: a title that
 * starts or ends with a space or a dash keeps a dash there, and one with no such characters at all
 * gives an empty slug (`ISS-0001-.md`), both of which the fixer keeps as they are.
 */
export function fixerSlug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-');
}

/**
 * The longest file name we make, in bytes. The fixer has no cap, but file systems refuse names over
 * 255 bytes; a longer slug is cut here (and the fixer would then rename the file, or fail to).
 */
export const MAX_FILE_NAME_BYTES = 200;

/** `<id>-<slug>.md`, the slug as the CLI's fixer would make it. */
export function fileNameFor(id: string, title: string): string {
  const room = Math.max(0, MAX_FILE_NAME_BYTES - Buffer.byteLength(`${id}-.md`));
  // The slug is ASCII, so characters are bytes.
  return `${id}-${fixerSlug(title).slice(0, room)}.md`;
}

export type Counters = Partial<Record<FolderType | 'comment', number>>;
const COUNTER_KEYS: readonly string[] = ['epic', 'issue', 'task', 'pr', 'comment'];

export function parseCounters(text: string | undefined): Counters {
  if (!text) return {};
  try {
    const data = JSON.parse(text) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) return {};
    const out: Counters = {};
    for (const [k, v] of Object.entries(data)) {
      if (COUNTER_KEYS.includes(k) && typeof v === 'number' && Number.isInteger(v) && v > 0) out[k as FolderType] = v;
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * The next id for a type: the counter's NEXT value, moved past every number already taken on disk
 * (files copied in, branches merged, or a counters.json that was reset), so an id is never reused.
 */
export function nextNumber(counter: number | undefined, takenIds: Iterable<string>, prefix: string): number {
  let n = counter && counter > 0 ? counter : 1;
  for (const id of takenIds) {
    const m = ID_PATTERN.exec(id);
    if (m && m[1] === prefix) n = Math.max(n, Number(m[2]) + 1);
  }
  return n;
}
