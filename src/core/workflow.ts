/** The unified state model's transition rules and the frontmatter a transition writes. */
import { FrontmatterChange } from './edit';
import { Item, legacyStatusForState, State, STATE_LABELS, statusForState } from './model';

const OPEN: readonly State[] = ['planning', 'active', 'ready_for_engineering', 'ready_for_qa', 'ready_for_deployment'];

/** The transitions the aitrackdown CLI accepts; anything else needs "force". */
const TRANSITIONS: Record<State, readonly State[]> = {
  planning: ['ready_for_engineering', 'won_t_do'],
  active: ['ready_for_engineering', 'won_t_do'],
  ready_for_engineering: ['ready_for_qa', 'active', 'won_t_do'],
  ready_for_qa: ['ready_for_deployment', 'active', 'ready_for_engineering', 'won_t_do'],
  ready_for_deployment: ['done', 'ready_for_qa', 'won_t_do'],
  done: ['archived'],
  won_t_do: ['archived'],
  archived: [],
};

/** A file that names no state is treated as planning, as the CLI creates items. */
export function currentState(item: Pick<Item, 'state'>): State {
  return item.state ?? 'planning';
}

export function allowedTargets(from: State): readonly State[] {
  return TRANSITIONS[from];
}

export function isOpen(state: State): boolean {
  return OPEN.includes(state);
}

export function canTransition(from: State, to: State): boolean {
  return TRANSITIONS[from].includes(to);
}

export class TransitionError extends Error {
  /** The states the item may go to from where it is without forcing. */
  readonly allowed: readonly State[];
  constructor(
    message: string,
    readonly from: State,
    readonly to: State,
  ) {
    super(message);
    this.allowed = TRANSITIONS[from];
  }
}

export interface TransitionRequest {
  to: State;
  /** Who makes the change (user name or agent). */
  by: string;
  reason?: string;
  /** Accept a transition the rules refuse; recorded as a manual override. */
  force?: boolean;
  now?: Date;
}

export function describeRefusal(from: State, to: State): string {
  const allowed = TRANSITIONS[from].map((s) => STATE_LABELS[s]);
  return `${STATE_LABELS[from]} → ${STATE_LABELS[to]} is not an allowed transition. From ${STATE_LABELS[from]} an item may go to ${
    allowed.length ? allowed.join(', ') : 'no other state'
  }.`;
}

/** The frontmatter changes for a transition, or a TransitionError when the rules refuse it. */
export function transitionChanges(item: Item, req: TransitionRequest): FrontmatterChange[] {
  const from = currentState(item);
  if (from === req.to) throw new TransitionError(`${item.id} is already ${STATE_LABELS[from]}.`, from, req.to);
  if (!req.force && !canTransition(from, req.to)) throw new TransitionError(describeRefusal(from, req.to), from, req.to);
  const now = (req.now ?? new Date()).toISOString();
  if (item.format === 'legacy') return legacyChanges(item, req.to, now);

  const metadata: Record<string, unknown> = {
    transitioned_at: now,
    transitioned_by: req.by,
    previous_state: from,
    automation_eligible: false,
  };
  if (req.reason) metadata.transition_reason = req.reason;
  if (req.force && !canTransition(from, req.to)) {
    metadata.manual_override = true;
    metadata.automation_source = 'manual';
  }
  const anchor = 'status' in item.data ? 'status' : 'description' in item.data ? 'description' : 'title';
  return [
    { key: 'status', value: statusForState(req.to), after: 'description' in item.data ? 'description' : 'title' },
    { key: 'state', value: req.to, after: anchor },
    { key: 'state_metadata', value: metadata, after: 'state' in item.data ? 'state' : anchor },
    { key: 'updated_date', value: now, after: 'created_date' },
  ];
}

function legacyChanges(item: Item, to: State, now: string): FrontmatterChange[] {
  const legacy = legacyStatusForState(to);
  const changes: FrontmatterChange[] = legacy
    ? [{ key: 'status', value: legacy, after: 'type' }, { key: 'state', remove: true }]
    : [{ key: 'state', value: to, after: 'status' in item.data ? 'status' : 'type' }];
  const updated = item.data.updated;
  const dateOnly = typeof updated === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(updated);
  changes.push({ key: 'updated', value: dateOnly ? now.slice(0, 10) : now, after: 'created' });
  return changes;
}
