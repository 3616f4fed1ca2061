/**
 * How Linear's values read in the local vocabulary and back: workflow states, priorities and the
 * marker that ties an issue to the local item it was created for. Pure functions, no I/O.
 */
import { State, STATES } from '../model';
import { CATEGORY_STATES, Priority, StateCategory, stateCategory } from './provider';

/** A team's workflow state as Linear lists it (`type` is one of LINEAR_STATE_TYPES). */
export interface LinearState {
  id: string;
  name: string;
  type: string;
  position?: number;
}

export const LINEAR_STATE_TYPES = ['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled'] as const;

const TYPE_CATEGORY: Record<string, StateCategory> = {
  triage: 'unstarted',
  backlog: 'unstarted',
  unstarted: 'unstarted',
  started: 'started',
  completed: 'completed',
  canceled: 'canceled',
};

/**
 * The Linear state types a category is written as, in order of preference. Local `planning` is work
 * not yet committed to, which is Linear's Backlog ("not yet planned"); Todo-like `unstarted` states
 * come next, and triage last because it is an inbox, not a decision.
 */
const CATEGORY_TYPES: Record<StateCategory, readonly string[]> = {
  unstarted: ['backlog', 'unstarted', 'triage'],
  started: ['started'],
  completed: ['completed'],
  canceled: ['canceled'],
};

/**
 * Workflow state names that mean a local state, besides its own label: a team with a state of one of
 * these names gets it, and an issue in it reads back as that local state.
 */
const STATE_NAMES: Record<State, readonly string[]> = {
  planning: ['Planning'],
  active: ['Active', 'In Progress'],
  ready_for_engineering: ['Ready for Engineering', 'Ready for Development', 'Ready for Dev'],
  ready_for_qa: ['Ready for QA', 'In Review', 'In QA'],
  ready_for_deployment: ['Ready for Deployment', 'Ready to Deploy'],
  done: ['Done'],
  won_t_do: ["Won't Do", 'Canceled', 'Cancelled'],
  archived: ['Archived'],
};

/** Names compared without case, spaces or punctuation: "Won't do" = "Wont Do" = "won_t_do". */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function namedFor(state: State, name: string): boolean {
  const key = nameKey(name);
  return key === nameKey(state) || STATE_NAMES[state].some((n) => nameKey(n) === key);
}

/** The local category of a Linear state type; an unknown type is read as not started. */
export function categoryOfType(type: string): StateCategory {
  return TYPE_CATEGORY[type] ?? 'unstarted';
}

/** The local state an issue in this workflow state has: its category, refined by the state's name. */
export function localStateOf(remote: { name: string; type: string }): State {
  const category = categoryOfType(remote.type);
  const named = STATES.find((s) => stateCategory(s) === category && namedFor(s, remote.name));
  return named ?? CATEGORY_STATES[category];
}

/**
 * The team's workflow state for a local state: one of the category's types, preferring a state named
 * for the local state (e.g. "In Review" for ready_for_qa), then the preferred type, then Linear's order.
 * Undefined when the team has no state of the category at all.
 */
export function remoteStateFor(local: State, states: readonly LinearState[]): LinearState | undefined {
  const types = CATEGORY_TYPES[stateCategory(local)];
  const candidates = states
    .filter((s) => types.includes(s.type))
    .sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type) || (a.position ?? 0) - (b.position ?? 0));
  return candidates.find((s) => namedFor(local, s.name)) ?? candidates[0];
}

/** Linear priorities: 0 none, 1 urgent, 2 high, 3 medium, 4 low. */
const TO_LINEAR: Record<Priority, number> = { critical: 1, high: 2, medium: 3, low: 4 };

export function priorityToLinear(priority: Priority | undefined): number {
  return priority === undefined ? 0 : TO_LINEAR[priority];
}

export function priorityFromLinear(value: number | null | undefined): Priority | undefined {
  return (Object.keys(TO_LINEAR) as Priority[]).find((p) => TO_LINEAR[p] === value);
}

/**
 * The marker: the description's last line, an inline code span `ai-trackdown:<local id>`. Linear keeps
 * inline code verbatim (no escaping, and an id like TSK-0001 is not turned into an issue link there),
 * and an issue filter on the description finds it at once, without waiting for a search index.
 */
const MARKER_PREFIX = 'ai-trackdown:';
const MARKER_LINE = /(?:^|\n)[ \t]*`ai-trackdown:([^`\s]+)`[ \t]*$/;

/** What a description filter looks for to find the issue made for `localId`. */
export function markerSearchText(localId: string): string {
  return `${MARKER_PREFIX}${localId}`;
}

export function withMarker(body: string, localId: string): string {
  const marker = `\`${markerSearchText(localId)}\``;
  const text = body.trimEnd();
  return text ? `${text}\n\n${marker}` : marker;
}

/** The description without its marker line, and the local id the marker names. */
export function splitMarker(description: string | null | undefined): { body: string; localId?: string } {
  // Line ends as the file holds them (a description sent through the API may carry CRLF).
  const text = (description ?? '').replace(/\r\n/g, '\n').trimEnd();
  const m = MARKER_LINE.exec(text);
  if (!m) return { body: text };
  return { body: text.slice(0, m.index).trimEnd(), localId: m[1] };
}
