/** Task ids in commit messages and branch names, by the project's id prefixes or its configured pattern. */
import type { RE2JS } from 're2js';
import { COMMIT_TASK_REF, LEGACY_PREFIXES, ProjectConfig } from '../config';
import { compileConfigRegex, MAX_SCAN, scanned } from '../configRegex';
import { escapeRegExp, ID_PATTERN } from '../ids';

/**
 * A match (or its first capture group) is an id such as `TSK-0001`. The default is a native regex (ours,
 * and linear); a pattern from config.yaml is run by RE2 (configRegex.ts).
 */
export type RefRegex = RegExp | RE2JS;

export interface RefPattern {
  regex: RefRegex;
  /** Why the configured pattern was not used, when it was not. */
  error?: string;
}

/** The default pattern: any of the project's prefixes (and the legacy ones), a dash and digits, as a whole word. */
export function defaultRefPattern(prefixes: readonly string[]): RegExp {
  const alt = [...new Set(prefixes)].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alt})-\\d+(?![\\p{L}\\p{N}_])`, 'giu');
}

export function projectPrefixes(config: ProjectConfig): string[] {
  return [...Object.values(config.prefixes), ...Object.values(LEGACY_PREFIXES)];
}

/**
 * The pattern of a project: `git.patterns.commit_task_ref` from the older config shape when it is a
 * usable RE2 pattern, else the default. What config.yaml's loading reports about it is said here too,
 * for the commands that use it.
 */
export function refPattern(config: ProjectConfig): RefPattern {
  const fallback = defaultRefPattern(projectPrefixes(config));
  const configured = gitSection(config)?.patterns;
  const source = configured && typeof configured === 'object' ? (configured as Record<string, unknown>).commit_task_ref : undefined;
  if (source === undefined || source === null || source === '') return { regex: fallback };
  const compiled = compileConfigRegex(source, COMMIT_TASK_REF.join('.'));
  return compiled.regex ? { regex: compiled.regex } : { regex: fallback, error: `${compiled.error}; using the default` };
}

export function gitSection(config: ProjectConfig): Record<string, unknown> | undefined {
  const git = (config.raw as Record<string, unknown>).git;
  return git && typeof git === 'object' && !Array.isArray(git) ? (git as Record<string, unknown>) : undefined;
}

/**
 * One spelling per id: `tsk-1`, `TSK-0001` and `TSK-01` name the same task. Undefined for text that is
 * not an id (a custom pattern may match more than ids).
 */
export function refKey(id: string): string | undefined {
  const m = ID_PATTERN.exec(id);
  if (!m) return undefined;
  return `${m[1].toUpperCase()}-${m[2].replace(/^0+(?=\d)/, '')}`;
}

/** The ids a text names, each once, as written (first spelling wins), in order of appearance. */
export function extractTaskRefs(text: string, pattern: RefRegex): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of matchesIn(text, pattern)) {
    if (m[0] === '') continue;
    const id = (m[1] ?? m[0]).trim();
    const key = refKey(id);
    if (key && !seen.has(key)) {
      seen.add(key);
      out.push(id);
    }
  }
  return out;
}

function matchesIn(text: string, pattern: RefRegex): Iterable<RegExpMatchArray> {
  if (pattern instanceof RegExp) {
    const re = pattern.flags.includes('g') ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
    return (text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text).matchAll(re);
  }
  return pattern.matchAll(scanned(pattern, text));
}

/** Does a text name this id (in any spelling)? */
export function namesTask(text: string, id: string, pattern: RefRegex): boolean {
  const key = refKey(id);
  return !!key && extractTaskRefs(text, pattern).some((r) => refKey(r) === key);
}

/**
 * A POSIX extended regex for `git log --grep -E -i` that every message naming the id matches (a superset:
 * the exact check is made on each message afterwards with the project's pattern).
 */
export function grepFor(id: string): string {
  const m = ID_PATTERN.exec(id);
  if (!m) throw new Error(`${id} is not a task id`);
  const digits = m[2].replace(/^0+(?=\d)/, '');
  return `${m[1]}-0*${digits}([^0-9]|$)`;
}
