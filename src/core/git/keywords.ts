/** Status keywords in commit messages ("fixes TSK-0001") and the state each one asks for. */
import { ProjectConfig } from '../config';
import { State, toState } from '../model';
import { extractTaskRefs, gitSection, RefRegex } from './refs';

/** Used when the config names no keywords: the words GitHub and GitLab close issues with. */
export const DEFAULT_STATUS_KEYWORDS: Readonly<Record<string, State>> = {
  fix: 'done',
  fixes: 'done',
  fixed: 'done',
  close: 'done',
  closes: 'done',
  closed: 'done',
  resolve: 'done',
  resolves: 'done',
  resolved: 'done',
};

export interface StatusKeywords {
  /** Lowercase keyword → target state. */
  keywords: ReadonlyMap<string, State>;
  errors: string[];
}

/**
 * `git.patterns.status_keywords` in either shape: keyword → state (`{fixes: done, wip: in-progress}`)
 * or state → keywords (`{done: [fixes, closes]}`). States may be any word of either format
 * (`in-progress`, `completed`, `done`, …). An empty map turns keyword transitions off.
 */
export function statusKeywords(config: ProjectConfig): StatusKeywords {
  const patterns = gitSection(config)?.patterns;
  const raw = patterns && typeof patterns === 'object' ? (patterns as Record<string, unknown>).status_keywords : undefined;
  if (raw === undefined || raw === null) return { keywords: new Map(Object.entries(DEFAULT_STATUS_KEYWORDS)), errors: [] };
  const errors: string[] = [];
  const keywords = new Map<string, State>();
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { keywords: new Map(Object.entries(DEFAULT_STATUS_KEYWORDS)), errors: ['git.patterns.status_keywords must be a map of keyword to state; using the defaults'] };
  }
  const add = (word: unknown, stateWord: unknown) => {
    const state = toState(stateWord);
    if (typeof word !== 'string' || !/^[\p{L}\p{N}_-]+$/u.test(word)) errors.push(`git.patterns.status_keywords: "${String(word)}" is not a single word; ignored`);
    else if (!state) errors.push(`git.patterns.status_keywords: "${String(stateWord)}" (for "${word}") is not a state; ignored`);
    else keywords.set(word.toLowerCase(), state);
  };
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(v)) for (const word of v) add(word, k);
    else add(k, v);
  }
  return { keywords, errors };
}

export interface KeywordTransition {
  /** The id as the message writes it. */
  id: string;
  to: State;
  keyword: string;
}

/**
 * Transitions a message asks for: a keyword, an optional colon, then one or more ids separated by
 * commas, "and" or spaces (`Fixes TSK-1, TSK-2 and #TSK-3`). An id named twice takes its last keyword.
 */
export function keywordTransitions(message: string, keywords: ReadonlyMap<string, State>, pattern: RefRegex): KeywordTransition[] {
  if (!keywords.size) return [];
  const words = [...keywords.keys()].sort((a, b) => b.length - a.length).join('|');
  // The list after a keyword, up to a semicolon or the line end, read ahead without consuming it: the
  // next keyword may stand inside it ("fixes TSK-1, closes TSK-2").
  const clause = new RegExp(`(?<![\\p{L}\\p{N}_])(${words})(?![\\p{L}\\p{N}_])(?=[ \\t]*:?[ \\t]*([^\\n;]*))`, 'giu');
  const byKey = new Map<string, KeywordTransition>();
  const text = message.length > 64 * 1024 ? message.slice(0, 64 * 1024) : message;
  for (const m of text.matchAll(clause)) {
    const keyword = m[1].toLowerCase();
    const to = keywords.get(keyword)!;
    for (const id of idsAtStart(m[2], pattern)) byKey.set(id.toUpperCase(), { id, to, keyword });
  }
  return [...byKey.values()];
}

/** The ids that open a clause, stopping at the first word that is neither an id nor a separator. */
function idsAtStart(rest: string, pattern: RefRegex): string[] {
  const ids: string[] = [];
  for (const token of rest.split(/(?:\s*,\s*|\s+and\s+|\s+&\s+|\s+)/i)) {
    if (!token) continue;
    const bare = token.replace(/^[#(]+|[).!?]+$/g, '');
    const found = extractTaskRefs(bare, pattern);
    if (found.length !== 1 || found[0].length !== bare.length) break;
    ids.push(found[0]);
  }
  return ids;
}
