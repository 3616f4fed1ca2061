/** Task files for the sync engine tests: a corpus project copied to a temp folder, read and edited on disk. */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { editFrontmatter } from '../../../src/core/edit';
import { CORPUS, markdownFiles } from '../helpers';

/** Copy a corpus project into a fresh folder. */
export function copyProject(dest: string, name = 'cli'): string {
  fs.cpSync(path.join(CORPUS, name), dest, { recursive: true });
  return dest;
}

export function frontmatter(file: string): Record<string, unknown> {
  const text = fs.readFileSync(file, 'utf8');
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  return parseYaml(m![1]) as Record<string, unknown>;
}

export function issueFile(root: string, id: string): string {
  const dir = path.join(root, 'tasks', 'issues');
  const name = fs.readdirSync(dir).find((f) => f.startsWith(`${id}-`));
  assert.ok(name, `no file for ${id}`);
  return path.join(dir, name);
}

export function editFile(file: string, changes: Parameters<typeof editFrontmatter>[1], body?: (b: string) => string): void {
  let text = fs.readFileSync(file, 'utf8');
  if (changes.length) text = editFrontmatter(text, changes).text;
  if (body) {
    const end = text.indexOf('\n---', 3) + 4;
    text = text.slice(0, end) + body(text.slice(end));
  }
  fs.writeFileSync(file, text);
}

/** Every task file under the project's tasks folder with its text, to compare byte for byte. */
export function snapshotTasks(root: string): [string, string][] {
  return markdownFiles(path.join(root, 'tasks')).map((f) => [f, fs.readFileSync(f, 'utf8')]);
}

/**
 * One more run that must be quiet: nothing written to the service (`remote.writes()` after
 * `remote.clear()`) and no byte of the tasks folder changed. Returns the run's summary for more checks.
 */
export async function quietRun<T>(root: string, run: () => Promise<T>, remote: { clear(): void; writes(): unknown[] }): Promise<T> {
  const before = snapshotTasks(root);
  remote.clear();
  const summary = await run();
  assert.deepEqual(remote.writes(), [], 'nothing written to the service');
  assert.deepEqual(snapshotTasks(root), before, 'no task file changed');
  return summary;
}

/** The issue files in the project's issues folder. */
export function issueFiles(root: string): string[] {
  return fs.readdirSync(path.join(root, 'tasks', 'issues')).filter((f) => f.endsWith('.md'));
}
