/** The item an id given on the command line names: as written, else in any case and zero-padding (iss-1 is ISS-0001). */
import type { Item } from '../core/model';
import { CliError, EXIT } from './exitCodes';
import type { Loaded } from './project';
import { terminalText } from './output';

const ID = /^([A-Za-z][A-Za-z0-9_]*)-0*(\d+)$/;

/** Does `id` name the same item as `wanted`, case and zero-padding aside? */
export function sameId(id: string, wanted: string): boolean {
  if (id === wanted) return true;
  const a = ID.exec(id);
  const b = ID.exec(wanted.trim());
  return !!(a && b && a[1].toUpperCase() === b[1].toUpperCase() && a[2] === b[2]);
}

/** The items of the index with this id, by path. */
export function itemsWithId({ index, project }: Loaded, id: string): Item[] {
  const exact = index.byId(project.root, id);
  const hits = exact.length ? exact : [...index.items(project.root)].filter((i) => sameId(i.id, id));
  return hits.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Throws a not-found CliError; warns on stderr when several files share the id (the first by path is used). */
export function findItem(loaded: Loaded, id: string): Item {
  const hits = itemsWithId(loaded, id);
  if (!hits.length) throw new CliError(`no item ${terminalText(id)} in the project at ${loaded.project.root}.`, EXIT.notFound);
  if (hits.length > 1) {
    process.stderr.write(`trackdown: warning: ${terminalText(hits[0].id)} is the id of ${hits.length} files; showing ${hits[0].file} (also ${hits.slice(1).map((h) => h.file).join(', ')}).\n`);
  }
  return hits[0];
}
