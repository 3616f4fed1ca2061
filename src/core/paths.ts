/** Paths inside a project, as text: no file system calls, so that anything may import this cheaply. */
import * as path from 'path';

/** Is `target` inside `root` (or `root` itself)? Both are taken as they are: pass real paths to compare real places. */
export function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A file's path relative to a root, with `/` on every platform (as files, links and reports write it). */
export function relativePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
