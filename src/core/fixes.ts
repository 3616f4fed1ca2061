/**
 * Quick fixes for the problems of one file, as text edits. Every fix but the quoting of an `@value`
 * goes through edit.ts, so it changes only the keys it must and is verified before it is offered.
 */
import { applyEdits, editFrontmatter, EditError, FrontmatterChange, TextEdit } from './edit';
import { knownStatusWord, legacyStatusForState, Problem, State, statusForState, toState } from './model';
import { findFrontmatter, parseItem, ParseContext } from './parse';
import { frontmatterOverLimit } from './parseLimits';
import { LineMap } from './text';
import { parseYamlDocument } from './yamlDocument';

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one obvious fix for its problem: applied by "fix all" and offered first. */
  preferred: boolean;
}

/** Words people write for a priority, and the priority they mean. */
const PRIORITY_WORDS: Record<string, string> = { urgent: 'critical', blocker: 'critical', highest: 'critical', normal: 'medium', lowest: 'low' };

/** The fixes for one problem; `all` is every problem of the same text (for "remove all leaked keys"). */
export function fixesFor(text: string, problem: Problem, all: readonly Problem[] = [problem]): Fix[] {
  if (problem.code === 'unquoted-at') {
    return quoteEdits(text, [problem]).map((edit) => ({ title: `Write ${edit.newText} in quotes`, edits: [edit], preferred: true }));
  }
  return changeFixes(text, problem, all).flatMap((f) => {
    const edits = tryEdit(text, f.changes);
    return edits ? [{ title: f.title, edits, preferred: f.preferred }] : [];
  });
}

/**
 * Every obvious fix at once, as one replacement of the changed span (or undefined when none applies).
 * The `@value` quotes go first: no other edit can be planned while the YAML is broken.
 */
export function fixAll(text: string, ctx: ParseContext): TextEdit | undefined {
  let now = text;
  const quotes = quoteEdits(now, parseItem(now, ctx).problems);
  if (quotes.length) now = applyEdits(now, quotes);
  const changes = new Map<string, FrontmatterChange>();
  const problems = parseItem(now, ctx).problems;
  for (const p of problems) {
    for (const f of changeFixes(now, p, problems)) {
      if (f.preferred && f.changes.length === 1 && !changes.has(f.changes[0].key)) changes.set(f.changes[0].key, f.changes[0]);
    }
  }
  if (changes.size) {
    try {
      now = editFrontmatter(now, [...changes.values()]).text;
    } catch (e) {
      if (!(e instanceof EditError)) throw e;
    }
  }
  return now === text ? undefined : spanEdit(text, now);
}

interface ChangeFix {
  title: string;
  changes: FrontmatterChange[];
  preferred: boolean;
}

function changeFixes(text: string, problem: Problem, all: readonly Problem[]): ChangeFix[] {
  const key = problem.data?.key;
  if (!key || key.includes('.')) return [];
  switch (problem.code) {
    case 'invalid-value': {
      const allowed = problem.data?.allowed ?? [];
      const ranked = rankValues(key, problem.data?.value ?? '', allowed);
      return ranked.map((v, i) => ({ title: `Change ${key} to ${v.value}`, changes: [{ key, value: v.value }], preferred: i === 0 && v.obvious }));
    }
    case 'leaked-key': {
      const leaked = all.filter((p) => p.code === 'leaked-key' && p.data?.key).map((p) => p.data!.key!);
      const fixes: ChangeFix[] = [{ title: `Remove the leaked key ${key}`, changes: [{ key, remove: true }], preferred: true }];
      if (leaked.length > 1) {
        fixes.push({ title: 'Remove all leaked keys', changes: [...new Set(leaked)].map((k) => ({ key: k, remove: true as const })), preferred: false });
      }
      return fixes;
    }
    case 'id-mismatch': {
      const id = problem.data?.expectedId;
      return id ? [{ title: `Change ${key} to ${id} (as the file name says)`, changes: [{ key, value: id }], preferred: true }] : [];
    }
    case 'string-number': {
      const lines = new LineMap(text);
      const written = text.slice(lines.offsetAt(problem.range.start), lines.offsetAt(problem.range.end));
      const n = Number(/^(["']?)(\d+)\1$/.exec(written)?.[2] ?? NaN);
      return Number.isSafeInteger(n) ? [{ title: `Write ${key} as the number ${n}`, changes: [{ key, value: n }], preferred: true }] : [];
    }
    default:
      return [];
  }
}

function tryEdit(text: string, changes: readonly FrontmatterChange[]): TextEdit[] | undefined {
  try {
    return editFrontmatter(text, changes).edits;
  } catch (e) {
    if (e instanceof EditError) return undefined;
    throw e;
  }
}

/**
 * The allowed values, nearest to what was written first. A value is the obvious fix when the written
 * word means it (a state or status of the other vocabulary, a common priority word) or is a near typo.
 */
export function rankValues(key: string, written: string, allowed: readonly string[]): { value: string; obvious: boolean }[] {
  const w = written.trim().toLowerCase();
  const meant = meanings(key, w).find((m) => allowed.includes(m));
  const scored = allowed.map((value, i) => ({ value, i, d: value === meant ? -1 : distance(w, value.toLowerCase()) }));
  scored.sort((a, b) => a.d - b.d || a.i - b.i);
  return scored.map((s, i) => ({
    value: s.value,
    obvious: i === 0 && (s.d === -1 || (s.d <= Math.max(1, Math.floor(w.length / 3)) && (scored[1]?.d ?? Infinity) > s.d)),
  }));
}

/** The values a written word stands for, in either format's vocabulary. */
function meanings(key: string, w: string): string[] {
  if (key === 'priority') return PRIORITY_WORDS[w] ? [PRIORITY_WORDS[w]] : [];
  const known = knownStatusWord(w);
  const state: State | undefined = toState(known);
  if (!state) return [];
  if (key === 'state') return [state];
  // The word itself first: `Blocked` is blocked in the older format, where in-progress would lose the block.
  if (key === 'status') return [known!, statusForState(state), legacyStatusForState(state) ?? ''];
  return [];
}

/** Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Quote the unquoted `@value`s among `problems`. The YAML cannot be parsed here, so each is a plain edit
 * of the exact range, made only where the text there is the value and quoting leaves no YAML error at
 * that place. One parse checks them all: a fix-all of a hundred must not parse the frontmatter a hundred times.
 */
function quoteEdits(text: string, problems: readonly Problem[]): TextEdit[] {
  const lines = new LineMap(text);
  const edits: TextEdit[] = [];
  for (const problem of problems) {
    if (problem.code !== 'unquoted-at') continue;
    const offset = lines.offsetAt(problem.range.start);
    let raw = text.slice(offset, lines.offsetAt(problem.range.end));
    if (!raw.startsWith('@') || raw !== problem.data?.value) continue;
    // In a flow list or mapping the value ends at the next separator, not at the end of the line.
    const lineHead = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
    if (/[[{]/.test(lineHead)) raw = raw.replace(/[,\]}].*$/, '').trimEnd();
    edits.push({ offset, length: raw.length, newText: JSON.stringify(raw) });
  }
  if (!edits.length) return [];
  const after = applyEdits(text, edits);
  const block = findFrontmatter(after);
  if (typeof block === 'string') return [];
  const yamlText = after.slice(block.start, block.end);
  // A frontmatter too large to be read is not parsed here either.
  if (frontmatterOverLimit(yamlText)) return [];
  const errorsAt = parseYamlDocument(yamlText).errors.map((e) => block.start + e.pos[0]);
  // Each quoted value's place in `after`: shifted by the quotes added before it.
  let shift = 0;
  return edits
    .sort((a, b) => a.offset - b.offset)
    .filter((e) => {
      const start = e.offset + shift;
      shift += e.newText.length - e.length;
      return !errorsAt.some((at) => at >= start && at < start + e.newText.length);
    });
}

/** One edit replacing only the span where two texts differ. */
function spanEdit(before: string, after: string): TextEdit {
  let head = 0;
  const max = Math.min(before.length, after.length);
  while (head < max && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < max - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { offset: head, length: before.length - head - tail, newText: after.slice(head, after.length - tail) };
}
