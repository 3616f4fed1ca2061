/**
 * The project a command works on: the nearest folder at or above the working folder (or --project)
 * that holds .ai-trackdown/config.yaml, else one that holds a tasks/ folder (the older format), read
 * into an index with the same code the editor runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FILE } from '../core/config';
import { Project, TaskIndex } from '../core/index';
import { indexProject, loadProject } from '../core/project';
import type { GlobalOptions } from './command';
import { CliError, EXIT } from './exitCodes';

export interface Loaded {
  index: TaskIndex;
  project: Project;
}

const isDir = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
const isFile = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isFile() === true;

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

/** Find, load and index the project. */
export async function openProject(opts: GlobalOptions): Promise<Loaded> {
  const start = startFolder(opts);
  const root = findRoot(start);
  if (!root) {
    throw new CliError(`no ai-trackdown project at or above ${start} (no ${CONFIG_FILE} and no tasks/ folder); use --project DIR.`, EXIT.notFound);
  }
  const project = await loadProject(root);
  const index = new TaskIndex();
  index.setProject(project);
  await indexProject(index, project);
  return { index, project };
}
