/** Task ids in free text (any markdown), and which item an id means from where it is written. */
import { LEGACY_PREFIXES } from './config';
import { idRegExp } from './ids';
import { TaskIndex } from './index';
import { Item } from './model';

/** Every id prefix in use: each project's own and the older format's. */
export function knownPrefixes(index: TaskIndex): string[] {
  const out = new Set<string>(Object.values(LEGACY_PREFIXES));
  for (const p of index.getProjects()) for (const prefix of Object.values(p.config.prefixes)) out.add(prefix);
  return [...out];
}

export interface IdHit {
  id: string;
  /** Character offsets of the id in the line. */
  start: number;
  end: number;
}

/** The id that a character of a line falls on (either end included), if any. */
export function idAt(line: string, character: number, prefixes: readonly string[]): IdHit | undefined {
  if (prefixes.length === 0) return undefined;
  for (const m of line.matchAll(idRegExp(prefixes))) {
    const start = m.index;
    const end = start + m[0].length;
    if (character >= start && character <= end) return { id: m[0], start, end };
    if (start > character) break;
  }
  return undefined;
}

/**
 * The items an id names, seen from `file` (undefined for a document that is not on disk): in the project
 * holding the file, else in the first project that has it. More than one item means a duplicate id.
 */
export function resolveId(index: TaskIndex, file: string | undefined, id: string): Item[] {
  const own = file ? index.projectOf(file) : undefined;
  if (own) {
    const hits = index.byId(own.root, id);
    if (hits.length) return hits;
  }
  const roots = index.getProjects().map((p) => p.root).sort();
  for (const root of roots) {
    if (root === own?.root) continue;
    const hits = index.byId(root, id);
    if (hits.length) return hits;
  }
  return [];
}
