/**
 * The project a command works on: the nearest folder at or above the working folder (or --project)
 * that holds .ai-trackdown/config.yaml, else one that holds a tasks/ folder (the older format), read
 * into an index with the same code the editor runs.
 */
import * as path from 'path';
import { CONFIG_FILE } from '../core/config';
import { idFromFileName } from '../core/ids';
import { Project, TaskIndex } from '../core/index';
import type { Item } from '../core/model';
import { applyRead, indexProject, isDir, isFile, listTaskFiles, loadProject, readIndexedFile } from '../core/project';
import type { GlobalOptions } from './command';
import { CliError, EXIT } from './exitCodes';
import { findItem, itemsWithId, sameId } from './findItem';

export interface Loaded {
  index: TaskIndex;
  project: Project;
}

function* upFrom(start: string): Generator<string> {
  for (let dir = start; ; dir = path.dirname(dir)) {
    yield dir;
    if (path.dirname(dir) === dir) return;
  }
}

/**
 * The project root for a start folder. A config.yaml anywhere above wins over a nearer tasks/ folder:
 * inside a project, tasks/ itself holds a tasks/ folder (the type folder of tasks), which is no root.
 */
export function findRoot(start: string): string | undefined {
  for (const dir of upFrom(start)) if (isFile(path.join(dir, CONFIG_FILE))) return dir;
  for (const dir of upFrom(start)) {
    if (!isDir(path.join(dir, 'tasks'))) continue;
    const parent = path.dirname(dir);
    if (path.basename(dir) === 'tasks' && parent !== dir && isDir(path.join(parent, 'tasks'))) continue;
    return dir;
  }
  return undefined;
}

/** Where the search starts: --project, else the working folder. */
export function startFolder(opts: GlobalOptions): string {
  const given = opts.project ?? opts.projectDir;
  if (given === undefined) return process.cwd();
  const dir = path.resolve(given);
  if (!isDir(dir)) throw new CliError(`--project ${given}: no such folder.`, EXIT.notFound);
  return dir;
}

/** Find and load the project, with an index that holds no file yet. */
async function emptyProject(opts: GlobalOptions): Promise<Loaded> {
  const start = startFolder(opts);
  const root = findRoot(start);
  if (!root) {
    throw new CliError(`no ai-trackdown project at or above ${start} (no ${CONFIG_FILE} and no tasks/ folder); use --project DIR.`, EXIT.notFound);
  }
  const project = await loadProject(root);
  const index = new TaskIndex();
  index.setProject(project);
  return { index, project };
}

/** Find, load and index the project; `beforeIndex` sees it found, before its files are read. */
export async function openProject(opts: GlobalOptions, beforeIndex?: (loaded: Loaded) => void): Promise<Loaded> {
  const loaded = await emptyProject(opts);
  beforeIndex?.(loaded);
  await indexProject(loaded.index, loaded.project);
  return loaded;
}

/** Parents read for an item's epic: a task's issue and the epic, and one more. */
const PARENT_DEPTH = 3;

/**
 * One item, and the parents its epic comes from, reading only the files named for their ids (as the
 * aitrackdown CLI and the editor name them) rather than the whole project: scripts ask for one field of
 * one item, in projects of thousands. When no file named for the id holds it, the whole project is read
 * after all, so an item in a file of another name is still found.
 */
export async function openItem(opts: GlobalOptions, id: string): Promise<{ loaded: Loaded; item: Item }> {
  const loaded = await emptyProject(opts);
  const { index } = loaded;
  const files = await listTaskFiles(loaded.project);
  const readNamed = (wanted: string) => {
    for (const file of files) {
      const named = idFromFileName(file);
      if (named && sameId(named, wanted) && !index.entry(file)) applyRead(index, file, readIndexedFile(index, file));
    }
  };
  readNamed(id);
  if (!itemsWithId(loaded, id).length) {
    await indexProject(index, loaded.project);
    return { loaded, item: findItem(loaded, id) };
  }
  const item = findItem(loaded, id);
  let at: Item | undefined = item;
  for (let depth = 0; at?.parentId && depth < PARENT_DEPTH; depth++, at = index.parent(at)) {
    if (!index.byId(loaded.project.root, at.parentId).length) readNamed(at.parentId);
  }
  return { loaded, item };
}
