/**
 * Several operations on the same items as one: each is planned on the result of those before it (two
 * labels added in one call both land), and their changes are merged per file, so that the writer
 * checks every file against the text first read and writes all of them or none.
 */
import { FrontmatterChange } from '../edit';
import { readTextFile } from '../fileRule';
import { TaskIndex } from '../index';
import { hashText } from '../text';
import { ItemChanges } from './plan';
import { edited, staleError } from './writer';

/** A step plans on the index as the steps before it left it. */
export type PlanStep = () => ItemChanges[];

/**
 * Plan the steps in order and merge their changes per file (a key set twice keeps the last value). The
 * index learns each step's result in memory only (nothing is written): an index planned on is spent
 * for any other use. Throws the first step's error, when one refuses.
 */
export function planTogether(index: TaskIndex, steps: readonly PlanStep[]): ItemChanges[] {
  const merged = new Map<string, { first: ItemChanges; text: string; changes: Map<string, FrontmatterChange>; reads: Set<string>; optional: boolean }>();
  for (const step of steps) {
    for (const entry of step()) {
      const file = entry.item.file;
      let m = merged.get(file);
      if (!m) {
        const text = readTextFile(file, entry.item.root);
        if (hashText(text) !== entry.item.hash) throw staleError(file);
        m = { first: entry, text, changes: new Map(), reads: new Set(), optional: true };
        merged.set(file, m);
      }
      for (const c of entry.changes) m.changes.set(c.key, c);
      entry.reads?.forEach((k) => m.reads.add(k));
      m.optional &&= !!entry.optional;
      m.text = edited(entry, m.text).after;
      index.set(file, m.text);
    }
  }
  return [...merged.values()].map((m) => ({
    item: m.first.item,
    changes: [...m.changes.values()],
    ...(m.reads.size ? { reads: [...m.reads] } : {}),
    ...(m.optional ? { optional: true } : {}),
  }));
}
