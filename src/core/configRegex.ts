/**
 * Regular expressions a repository's config.yaml supplies. They run in the editor's process on every
 * new commit message and branch name, and a repository is anyone's to clone: JavaScript's engine
 * backtracks, and `(TSK-\d+|(\w+\s?)+)+#` took minutes on a 23-character message. So they are
 * compiled and run by RE2 (re2js), whose time is linear in the text, and each run is given a budget of
 * text by the pattern's size, as RE2's time is the text's length times the pattern's size.
 */
import type { RE2JS } from 're2js';

/** Texts are read up to this length: a pasted log in a commit message must not stall the window. */
export const MAX_SCAN = 64 * 1024;
/** Steps of a compiled pattern; a real one has tens. */
export const MAX_PROGRAM_SIZE = 1000;
/**
 * Steps times characters one run may take: about 100 ms where RE2 is slowest (some 50 ns a step and
 * character, measured). A pattern of 30 steps reads the whole 64 KiB; one of 1000 the first 2 KiB.
 */
const WORK_PER_RUN = 2 * 1024 * 1024;

export type ConfigRegex = { regex: RE2JS; error?: undefined } | { regex?: undefined; error: string };

/** Syntax RE2 leaves out because it cannot run in linear time, named as a user would look for it. */
const UNSUPPORTED: [RegExp, string][] = [
  [/\(\?<?[=!]/, 'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported'],
  [/\\[1-9]|\\k</, 'backreferences (\\1, \\k<name>) are not supported'],
];

/**
 * Compile a config value as a case-insensitive RE2 pattern. `key` names it in the error, which says why
 * it cannot be used: not a string, not RE2 syntax, too complex, or matching empty text (which would
 * link every commit, or none).
 */
export function compileConfigRegex(source: unknown, key: string): ConfigRegex {
  if (typeof source !== 'string') return { error: `${key} must be a regular expression string` };
  let regex: RE2JS;
  try {
    // Loaded on first use: most projects name no pattern, and most commands never run one.
    const { RE2JS: re2 } = require('re2js') as typeof import('re2js');
    regex = re2.compile(source, re2.CASE_INSENSITIVE);
  } catch (e) {
    const why = UNSUPPORTED.find(([re]) => re.test(source))?.[1] ?? (e as Error).message;
    return { error: `${key} is not a usable regular expression: ${why} (patterns are RE2 syntax, which runs in linear time)` };
  }
  if (regex.programSize() > MAX_PROGRAM_SIZE) {
    return { error: `${key} is too complex: it compiles to ${regex.programSize()} steps, at most ${MAX_PROGRAM_SIZE} are allowed` };
  }
  if (regex.testExact('')) return { error: `${key} "${source}" matches empty text` };
  return { regex };
}

/** The start of `text` a run of `regex` reads: as much of the first 64 KiB as the work budget allows. */
export function scanned(regex: RE2JS, text: string): string {
  const limit = Math.min(MAX_SCAN, Math.floor(WORK_PER_RUN / regex.programSize()));
  return text.length > limit ? text.slice(0, limit) : text;
}
