/**
 * Token usage from Claude Code's session logs (~/.claude/projects/<project>/<session>.jsonl): each
 * assistant message carries `message.usage`; the same message is logged once per content block, so
 * records are deduplicated by message id + request id. A record is attributed to a task by an id the
 * user tagged in the session (`#ISS-0001` or `[ISS-0001]` in a prompt), else by an id in the git
 * branch the session ran on, else to a task the caller chose; what fits none stays unattributed.
 */
import type { UsageEntry } from './tokens';

export interface LoggedUsage {
  /** `<message id>:<request id>`: the same use, however often it is logged. */
  key: string;
  sessionId?: string;
  at?: string;
  model?: string;
  cwd?: string;
  gitBranch?: string;
  input: number;
  cachedInput: number;
  output: number;
  /** Ids the user tagged in the session's prompts up to this message. */
  tags: string[];
}

export interface LogProblem {
  line: number;
  message: string;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const TAG = /(?:#|\[)([A-Z][A-Z0-9_]*-\d{3,})\]?/g;

function promptText(message: unknown): string {
  const content = (message as { content?: unknown } | undefined)?.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((c) => (c && typeof c === 'object' && (c as { type?: unknown }).type === 'text' ? String((c as { text?: unknown }).text ?? '') : '')).join('\n');
}

/** The usage records of one session log, in order, each once; lines that are not JSON are reported, not fatal. */
export function readClaudeCodeLog(text: string): { records: LoggedUsage[]; problems: LogProblem[] } {
  const records: LoggedUsage[] = [];
  const problems: LogProblem[] = [];
  const seen = new Set<string>();
  const tags: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let r: Record<string, unknown>;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) continue;
      r = parsed as Record<string, unknown>;
    } catch {
      problems.push({ line: i + 1, message: 'not a JSON record' });
      continue;
    }
    const message = r.message as Record<string, unknown> | undefined;
    if (r.type === 'user' && message) {
      for (const m of promptText(message).matchAll(TAG)) if (!tags.includes(m[1])) tags.push(m[1]);
      continue;
    }
    const usage = message?.usage as Record<string, unknown> | undefined;
    if (r.type !== 'assistant' || !usage || typeof usage !== 'object') continue;
    const id = str(message?.id);
    const key = `${id ?? `line${i + 1}`}:${str(r.requestId) ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cacheRead = num(usage.cache_read_input_tokens);
    const rec: LoggedUsage = {
      key,
      input: num(usage.input_tokens) + num(usage.cache_creation_input_tokens) + cacheRead,
      cachedInput: cacheRead,
      output: num(usage.output_tokens),
      tags: [...tags],
    };
    for (const [k, v] of [['sessionId', r.sessionId], ['at', r.timestamp], ['model', message?.model], ['cwd', r.cwd], ['gitBranch', r.gitBranch]] as const) {
      const s = str(v);
      if (s) rec[k] = s;
    }
    if (rec.input + rec.output > 0) records.push(rec);
  }
  return { records, problems };
}

/** Ids in a branch name such as `task/TSK-0001-login` or `feature/iss-0004` (any case). */
export function idsInBranch(branch: string | undefined): string[] {
  return branch ? [...branch.toUpperCase().matchAll(/\b([A-Z][A-Z0-9_]*-\d{3,})\b/g)].map((m) => m[1]) : [];
}

export interface Attribution {
  /** Usage per item id, as entries ready to log (with the source key so a second import skips them). */
  byId: Map<string, (UsageEntry & { sourceKey: string })[]>;
  unattributed: LoggedUsage[];
}

/**
 * Which item each record belongs to: the last tag of the session that names a known item, else an
 * id of the branch that does, else `chosen`. Records whose key `already` holds are left out.
 */
export function attribute(records: readonly LoggedUsage[], known: (id: string) => boolean, opts: { chosen?: string; already?: ReadonlySet<string> } = {}): Attribution {
  const byId = new Map<string, (UsageEntry & { sourceKey: string })[]>();
  const unattributed: LoggedUsage[] = [];
  for (const r of records) {
    if (opts.already?.has(r.key)) continue;
    const id = [...r.tags].reverse().find(known) ?? idsInBranch(r.gitBranch).find(known) ?? opts.chosen;
    if (!id) {
      unattributed.push(r);
      continue;
    }
    const entry: UsageEntry & { sourceKey: string } = { agent: 'claude-code', input: r.input, output: r.output, cachedInput: r.cachedInput, sourceKey: r.key };
    if (r.at) entry.at = r.at;
    if (r.model) entry.model = r.model;
    let list = byId.get(id);
    if (!list) byId.set(id, (list = []));
    list.push(entry);
  }
  return { byId, unattributed };
}
