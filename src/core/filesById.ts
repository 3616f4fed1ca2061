/**
 * Files by project root and id, for the index's lookups (which files hold an id, which name a parent).
 * Most ids belong to one file, kept as the path itself; a set is made only when a second file comes.
 * On a cold index of thousands of files that spares a set and a joined key string for each.
 */
export class FilesById {
  private readonly roots = new Map<string, Map<string, string | Set<string>>>();

  add(root: string, id: string, file: string): void {
    let ids = this.roots.get(root);
    if (!ids) this.roots.set(root, (ids = new Map()));
    const had = ids.get(id);
    if (had === undefined) ids.set(id, file);
    else if (typeof had !== 'string') had.add(file);
    else if (had !== file) ids.set(id, new Set([had, file]));
  }

  remove(root: string, id: string, file: string): void {
    const ids = this.roots.get(root);
    const had = ids?.get(id);
    if (!ids || had === undefined) return;
    if (typeof had === 'string') {
      if (had === file) ids.delete(id);
    } else if (had.delete(file) && had.size === 1) {
      ids.set(id, had.values().next().value as string);
    }
    if (ids.size === 0) this.roots.delete(root);
  }

  /** The files, in the order they came. */
  get(root: string, id: string): string[] {
    const had = this.roots.get(root)?.get(id);
    return had === undefined ? [] : typeof had === 'string' ? [had] : [...had];
  }
}
