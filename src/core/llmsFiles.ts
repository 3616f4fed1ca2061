/**
 * llms.txt and docs/llms-full.txt on disk: the texts a project's files should hold now, which of them
 * are stale, and writing those (each only when its text changes, through the atomic writer). The
 * editor's *Generate llms.txt*, its regeneration on save, and `trackdown llms` all come here.
 */
import * as fsSync from 'fs';
import * as path from 'path';
import { writeIfUnchanged } from './atomicWrite';
import { readProjectFileSync, readProjectTextIfExists } from './fileRule';
import type { Project, TaskIndex } from './index';
import { bodyOf, llmsPaths, llmsSource } from './llms';
import type { Item } from './model';

/** Bodies read between two yields to the event loop, as the index build does. */
const SLICE = 256;

export interface LlmsResult {
  root: string;
  /** Absolute paths written, and those whose text was already current. */
  written: string[];
  unchanged: string[];
}

interface LlmsFile {
  file: string;
  /** What it should hold. */
  text: string;
  /** What it holds now; undefined when there is no such file. */
  current: string | undefined;
}

/** Both files of a project as they are and as they should be, from the index as it is now. */
export async function llmsFiles(index: TaskIndex, project: Project): Promise<LlmsFile[]> {
  const { root } = project;
  // The items are taken now; the bodies are read after, in slices, without blocking other work.
  const source = llmsSource(index, project);
  const bodies = await readBodies(source.fullItems);
  const exists = (rel: string) => fsSync.existsSync(path.join(root, ...rel.split('/')));
  const paths = llmsPaths(root);
  const texts: [string, string][] = [
    [paths.index, source.txt({ exists })],
    [paths.full, source.full((item) => bodies.get(item.file))],
  ];
  return texts.map(([file, text]) => ({ file, text, current: readProjectTextIfExists(root, file) }));
}

/** The files of a project whose text is not what it should be (missing ones included), as absolute paths. */
export async function staleLlmsFiles(index: TaskIndex, project: Project): Promise<string[]> {
  return (await llmsFiles(index, project)).filter((f) => f.current !== f.text).map((f) => f.file);
}

/** Write each file whose text changed; refused (StaleFileError) when a file changes while this runs. */
export async function writeLlmsFiles(index: TaskIndex, project: Project): Promise<LlmsResult> {
  const result: LlmsResult = { root: project.root, written: [], unchanged: [] };
  for (const { file, text, current } of await llmsFiles(index, project)) {
    if (current === text) {
      result.unchanged.push(file);
      continue;
    }
    await writeIfUnchanged(file, current, text, { within: project.root });
    result.written.push(file);
  }
  return result;
}

/** The bodies of the items, read in slices that let other work run in between. */
async function readBodies(items: Item[]): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  for (let i = 0; i < items.length; i += SLICE) {
    if (i) await new Promise((r) => setImmediate(r));
    for (const item of items.slice(i, i + SLICE)) {
      const { text } = readProjectFileSync(item.root, item.file);
      if (text !== undefined) bodies.set(item.file, bodyOf(text));
    }
  }
  return bodies;
}
