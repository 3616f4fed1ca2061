/** The item an id given on the command line names: as written, else in any case and zero-padding (iss-1 is ISS-0001). */
import type { Item } from '../core/model';
import { CliError, EXIT } from './exitCodes';
import type { Loaded } from './project';
import { terminalText } from './output';

const ID = /^([A-Za-z][A-Za-z0-9_]*)-0*(\d+)$/;

/** Throws a not-found CliError; warns on stderr when several files share the id (the first by path is used). */
export function findItem({ index, project }: Loaded, id: string): Item {
  let hits = index.byId(project.root, id);
  if (!hits.length) {
    const want = ID.exec(id.trim());
    const same = (other: string) => {
      const m = ID.exec(other);
      return !!(m && want && m[1].toUpperCase() === want[1].toUpperCase() && m[2] === want[2]);
    };
    hits = want ? [...index.items(project.root)].filter((i) => same(i.id)) : [];
  }
  if (!hits.length) throw new CliError(`no item ${terminalText(id)} in the project at ${project.root}.`, EXIT.notFound);
  hits = [...hits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (hits.length > 1) {
    process.stderr.write(`trackdown: warning: ${terminalText(hits[0].id)} is the id of ${hits.length} files; showing ${hits[0].file} (also ${hits.slice(1).map((h) => h.file).join(', ')}).\n`);
  }
  return hits[0];
}
