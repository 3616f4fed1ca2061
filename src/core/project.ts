/** Finding project roots on disk, loading their config, and reading all their task files. */
import * as fsSync from 'fs';
import * as path from 'path';
import { CONFIG_FILE, defaultConfig, FOLDER_TYPES, parseConfig, typeFolder } from './config';
import { IndexEntry, Project, TaskIndex } from './index';
import { MAX_FILE_BYTES } from './parse';
import { readProjectFileSync, readRegularTextSync, realPath } from './fileRule';
import { inside } from './paths';
import { ReadHelper, ReadOutcome, readFilesBatched, startReadHelper, WORKER_MIN_FILES } from './read';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.vscode-test']);

/** Is a folder of this name searched for projects (not node_modules, .git, build output or hidden folders)? */
export function isSearchedFolder(name: string): boolean {
  return !name.startsWith('.') && !SKIP_DIRS.has(name);
}

/**
 * Project roots in a folder: every folder (down to maxDepth) holding .ai-trackdown/config.yaml;
 * or, when there is none, the folder itself if it has a tasks/ folder (older-format projects).
 */
export function discoverRoots(folder: string, maxDepth = 4): string[] {
  const roots = configRootsIn(folder, maxDepth);
  if (roots.length === 0 && isDir(path.join(folder, 'tasks'))) roots.push(folder);
  return roots;
}

/**
 * The folders holding .ai-trackdown/config.yaml in `folder` (itself included) down to maxDepth, sorted.
 * A project's tasks folder holds task files, not projects: it is not searched, so that its type
 * folders (thousands of entries each) are listed once, by the index, not here as well. The walk is
 * synchronous: it makes a few calls a folder, and each turn of a busy event loop (an editor starting)
 * would cost more than the call.
 */
export function configRootsIn(folder: string, maxDepth: number): string[] {
  const roots: string[] = [];
  const walk = (dir: string, depth: number): void => {
    const config = path.join(dir, CONFIG_FILE);
    // Most folders have none: a stat that finds nothing costs less than a read that throws.
    const configText = isFile(config) ? readProjectFileSync(dir, config).text : undefined;
    if (configText !== undefined) roots.push(dir);
    if (depth >= maxDepth) return;
    const tasksDir = configText !== undefined ? parseConfig(configText, path.basename(dir)).config.tasksDir : depth === 0 ? defaultConfig('').tasksDir : undefined;
    let dirents;
    try {
      dirents = fsSync.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of dirents) {
      if (d.isDirectory() && isSearchedFolder(d.name) && d.name !== tasksDir) walk(path.join(dir, d.name), depth + 1);
    }
  };
  walk(folder, 0);
  return roots.sort();
}

export async function loadProject(root: string): Promise<Project> {
  let text: string;
  try {
    text = readRegularTextSync(path.join(root, CONFIG_FILE), { root });
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { root, config: defaultConfig(path.basename(root)), configErrors: missing ? [] : [{ message: `${(e as Error).message} Using the defaults.` }], hasConfig: !missing };
  }
  const { config, errors } = parseConfig(text, path.basename(root));
  return { root, config, configErrors: errors, hasConfig: true };
}

/**
 * The task files of a project, read the way the CLI reads them: each type folder non-recursively,
 * `*.md` only, plus comments under issues/comments/<ISSUE>/. Links that lead outside the root are not followed.
 * Synchronous inside (hundreds of small directory reads through the thread pool cost more than they
 * block): a few milliseconds per thousand files.
 */
export async function listTaskFiles(project: Project): Promise<string[]> {
  return listTaskFilesSync(project);
}

/** `onFolder(found)`: called after each folder with the number of files found so far. */
function listTaskFilesSync(project: Project, onFolder?: (found: number) => void): string[] {
  const realRoot = realPath(project.root) ?? project.root;
  /** The real path of a folder if it lies inside the root; `known` is the real path of a folder already checked. */
  const checked = (dir: string, known?: string) => {
    const real = known ?? realPath(dir);
    return real && inside(realRoot, real) ? real : undefined;
  };
  const entries = (dir: string) => {
    try {
      return fsSync.readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
  };
  const mdIn = (dir: string, real: string | undefined, out: string[]) => {
    // A folder that is (or lies under) a link out of the root is not read, like a file link out of it.
    if (!real) return;
    // `dir` is normalized and a name holds no separator: joined by hand, the path is path.join's,
    // without normalizing each of thousands of paths.
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const d of entries(dir)) {
      if (!d.name.endsWith('.md')) continue;
      const file = prefix + d.name;
      if (d.isSymbolicLink()) {
        const target = realPath(file);
        if (!target || !inside(realRoot, target) || !isFile(target)) continue;
      } else if (!d.isFile()) continue;
      out.push(file);
    }
  };
  const files: string[] = [];
  for (const type of FOLDER_TYPES) {
    const dir = typeFolder(project.root, project.config, type);
    mdIn(dir, checked(dir), files);
    onFolder?.(files.length);
  }
  const commentsDir = path.join(typeFolder(project.root, project.config, 'issue'), 'comments');
  const realComments = checked(commentsDir);
  if (!realComments) return files;
  for (const d of entries(commentsDir)) {
    const dir = path.join(commentsDir, d.name);
    // A plain folder inside a checked one is inside too (links to folders are not followed here).
    if (d.isDirectory()) mdIn(dir, checked(dir, path.join(realComments, d.name)), files);
  }
  return files;
}

/** The stat of a path; undefined when there is none, without the cost of an error thrown for it. */
function statOf(p: string): fsSync.Stats | undefined {
  try {
    return fsSync.statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

export function isFile(p: string): boolean {
  return !!statOf(p)?.isFile();
}

export function isDir(p: string): boolean {
  return !!statOf(p)?.isDirectory();
}

/**
 * What one file's disk content makes in the index: an entry, or undefined when it is gone
 * (or is not a task file).
 */
export function entryFor(index: TaskIndex, file: string, outcome: ReadOutcome): IndexEntry | undefined {
  if (outcome.text !== undefined) return index.parse(file, outcome.text, outcome.hash);
  if (outcome.tooLarge === undefined) return undefined;
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return index.unreadable(file, {
    code: 'file-too-large',
    severity: 'warning',
    message: `File is ${Math.round(outcome.tooLarge / 1024)} KiB, over the ${MAX_FILE_BYTES / 1024} KiB limit; it was not parsed.`,
    range: top,
  });
}

/** Read a file of one of the index's projects under the file rule (fileRule.ts). */
export function readIndexedFile(index: TaskIndex, file: string): ReadOutcome {
  const project = index.projectOf(file);
  return project ? readProjectFileSync(project.root, file) : { error: `${path.basename(file)} lies in no project; it is not read.` };
}

/** Put one file's current disk content into the index (or its removal, if it is gone). */
export function applyRead(index: TaskIndex, file: string, outcome: ReadOutcome): void {
  const entry = entryFor(index, file, outcome);
  if (entry) index.put(entry);
  else index.remove(file);
}

export interface FileEntry {
  file: string;
  /** Undefined when the file vanished (or could not be read) after it was listed. */
  entry?: IndexEntry;
}

/**
 * Read and parse every task file of a project (see read.ts for how the reading overlaps the
 * parsing); nothing is indexed yet, so the caller decides what to keep. Each text is dropped once parsed.
 */
export async function readProjectEntries(index: TaskIndex, project: Project): Promise<FileEntry[]> {
  // Once the folders listed so far hold enough files, the reading worker starts while the rest is listed.
  let helper: ReadHelper | undefined;
  const files = listTaskFilesSync(project, (found) => {
    if (found >= WORKER_MIN_FILES) helper ??= startReadHelper();
  });
  const out: FileEntry[] = new Array(files.length);
  await readFilesBatched(files, (start, outcomes) => {
    outcomes.forEach((o, k) => (out[start + k] = { file: files[start + k], entry: entryFor(index, files[start + k], o) }));
  }, { helper });
  return out;
}

/** Read and index every task file of a project. */
export async function indexProject(index: TaskIndex, project: Project): Promise<number> {
  const read = await readProjectEntries(index, project);
  index.batch(() => read.forEach((r) => (r.entry ? index.put(r.entry) : index.remove(r.file))));
  return read.length;
}
