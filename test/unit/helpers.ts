/** Shared by the unit tests: where the corpus is, real temp folders, and parse contexts. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig, FolderType, parseConfig, ProjectConfig, typeFolder } from '../../src/core/config';
import { Project, TaskIndex } from '../../src/core/index';
import { ItemType, Problem } from '../../src/core/model';
import { ParseContext } from '../../src/core/parse';
import { indexProject, loadProject } from '../../src/core/project';

/** A project root that is never on disk: for tests that index texts in memory. */
export const MEMORY_ROOT = path.resolve('/ws');
export const memoryFile = (...parts: string[]): string => path.join(MEMORY_ROOT, 'tasks', ...parts);

/** Register an in-memory project in `index` (a new one unless given) and return the index. */
export function withMemoryProject(index = new TaskIndex(), config: ProjectConfig = defaultConfig('ws'), root = MEMORY_ROOT): TaskIndex {
  index.setProject({ root, config, configErrors: [], hasConfig: true });
  return index;
}

/** The repository root, found from the compiled test file wherever the build put it. */
export const REPO = (() => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'test', 'fixtures'))) return dir;
  }
  throw new Error(`repository root not found above ${__dirname}`);
})();

export const CORPUS = path.join(REPO, 'test', 'fixtures', 'corpus');

export function corpus(...parts: string[]): string {
  return path.join(CORPUS, ...parts);
}

export function readCorpus(...parts: string[]): string {
  return fs.readFileSync(corpus(...parts), 'utf8');
}

export function corpusConfig(project: string): ProjectConfig {
  return parseConfig(readCorpus(project, '.ai-trackdown', 'config.yaml'), project).config;
}

/** Every `.md` file under a folder, recursively, as absolute paths. */
export function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return markdownFiles(p);
    return d.name.endsWith('.md') ? [p] : [];
  });
}

/**
 * Real temp folders for one `describe` block, removed after it. Call inside `describe`.
 */
export function tempFolders(): (name?: string) => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });
  return (name = 'aitd') => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`)));
    made.push(dir);
    return dir;
  };
}

/** Write files (paths relative to root, '/'-separated) and return the root. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

/** A parse context for a file named `name` in the folder of `type` of a project at `root`. */
export function contextFor(name: string, type: ItemType, config: ProjectConfig = defaultConfig('p'), root = '/projects/p'): ParseContext {
  const folder =
    type === 'comment'
      ? path.join(typeFolder(root, config, 'issue'), 'comments', 'ISS-0001')
      : typeFolder(root, config, type as FolderType);
  return { file: path.join(folder, name), root, type, config };
}

/** A problem reduced to what tests compare: code and range as [line, char, line, char]. */
export type Brief = [Problem['code'], number, number, number, number];

export function brief(p: Problem): Brief {
  return [p.code, p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character];
}

/** Problems in a stable order, so expectations do not depend on the order checks run in. */
export function briefs(problems: readonly Problem[]): Brief[] {
  return problems.map(brief).sort((a, b) => a[1] - b[1] || a[2] - b[2] || a[0].localeCompare(b[0]));
}

/** A seeded pseudo-random source (mulberry32), so that randomised tests reproduce from their seed. */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (xs) => xs[int(xs.length)], chance: (p) => next() < p };
}

/** Load and index the project at `root` from disk, as a process outside the editor does. */
export async function indexedProject(root: string): Promise<{ project: Project; index: TaskIndex }> {
  const project = await loadProject(root);
  const index = new TaskIndex();
  index.setProject(project);
  await indexProject(index, project);
  return { project, index };
}
