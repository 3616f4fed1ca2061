/**
 * Which files' cross-file problems (broken links, duplicate ids) can change when one file changes,
 * so that a change re-checks those files and not every file of the workspace.
 */
import { Item } from './model';

const key = (root: string, id: string) => `${root}\0${id}`;

/** The ids whose presence in the index an item's cross-file problems depend on: its own and those it links to. */
function readKeys(item: Item | undefined): string[] {
  if (!item) return [];
  const ids = new Set([item.id, item.epicId, item.issueId]);
  return [...ids].filter((id): id is string => !!id).map((id) => key(item.root, id));
}

export class LinkDependents {
  /** The id each file holds in the index: what other files' links and duplicate checks see. */
  private readonly held = new Map<string, string>();
  private readonly readers = new Map<string, Set<string>>();
  private readonly reads = new Map<string, string[]>();

  /**
   * `file` now holds `item` in the index (undefined: it is gone). Returns the files whose cross-file
   * problems may have changed, `file` itself included: only a file whose id came, went or changed
   * affects others.
   */
  indexChanged(file: string, item: Item | undefined): Set<string> {
    const out = new Set([file]);
    const before = this.held.get(file);
    const now = item && key(item.root, item.id);
    if (before === now) return out;
    if (now) this.held.set(file, now);
    else this.held.delete(file);
    for (const k of [before, now]) for (const f of (k && this.readers.get(k)) || []) out.add(f);
    return out;
  }

  /** Record the item whose problems are shown for `file` (from disk or from unsaved text); undefined forgets it. */
  setShown(file: string, item: Item | undefined): void {
    for (const k of this.reads.get(file) ?? []) {
      const set = this.readers.get(k);
      if (set?.delete(file) && set.size === 0) this.readers.delete(k);
    }
    const keys = readKeys(item);
    if (keys.length) this.reads.set(file, keys);
    else this.reads.delete(file);
    for (const k of keys) {
      let set = this.readers.get(k);
      if (!set) this.readers.set(k, (set = new Set()));
      set.add(file);
    }
  }

  clear(): void {
    this.held.clear();
    this.readers.clear();
    this.reads.clear();
  }
}
