/**
 * The kanban board in the webview. Cards come from the host (all at `init`, then only changed ones);
 * filters, swimlanes and the archived switch are applied here with the same layout code the host's
 * tests use, and kept with setState so a reload or a restored panel shows the same board.
 * Every text from a task file goes into the page as a text node or an attribute value, never as markup.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { BoardCard, EpicRef } from '../../src/core/board';
import {
  allowedDropTargets,
  assigneeKey,
  BOARD_TYPES,
  BoardFilter,
  BoardSettings,
  BoardView,
  isBoardFilterActive,
  keyboardTarget,
  layoutBoard,
  NO_ASSIGNEE,
  NO_EPIC,
  planMove,
  shownColumns,
  Swimlane,
} from '../../src/core/boardLayout';
import { State, STATE_LABELS } from '../../src/core/model';
import type { BoardViewState, HostMessage, ProjectRef, WebviewMessage } from '../shared/protocol';
import { cardElement, el } from './card';

interface VsCodeApi {
  postMessage(m: WebviewMessage): void;
  getState(): BoardViewState | undefined;
  setState(s: BoardViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const SEARCH_DELAY_MS = 100;

const api = acquireVsCodeApi();
const post = (m: WebviewMessage) => api.postMessage(m);

// ---- state

let view: BoardViewState = { filter: {}, swimlane: 'none', showArchived: false, ...api.getState() };
let project: ProjectRef | undefined;
let projects: ProjectRef[] = [];
let settings: BoardSettings = { columns: [], wipLimits: {} };
let epics: EpicRef[] = [];
const cards = new Map<string, BoardCard>();
/**
 * Moves sent to the host: the card shows in its new column until the host has answered and sent the
 * card as the file now is (or, when refused or failed, at once back where it was).
 */
const pending = new Map<number, { file: string; from: State; to: State; answered?: boolean }>();
let nextRequest = 1;
/** The card that takes Tab focus (roving tabindex) and keeps it across re-renders. */
let focusFile: string | undefined;
let dragged: BoardCard | undefined;

const saveState = () => api.setState({ ...view, root: project?.root });

/** The card as the board shows it: in the column of a move that is still under way. */
function effective(card: BoardCard): BoardCard {
  let to: State | undefined;
  for (const p of pending.values()) if (p.file === card.file) to = p.to;
  return to ? { ...card, state: to } : card;
}
const isPending = (file: string) => [...pending.values()].some((p) => p.file === file);

// ---- page skeleton

const app = document.getElementById('app')!;
const toolbar = el('div', 'toolbar');
const status = el('div', 'status');
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
const board = el('div', 'board');
board.setAttribute('role', 'application');
board.setAttribute('aria-roledescription', 'kanban board');
const heads = el('div', 'col-heads');
const lanesEl = el('div', 'lanes');
const empty = el('div', 'empty');
board.append(heads, lanesEl);
app.append(toolbar, status, board, empty);

function control<T extends HTMLElement>(tag: string, label: string, attrs: Record<string, string> = {}): T {
  const c = document.createElement(tag) as T;
  c.setAttribute('aria-label', label);
  c.title = label;
  for (const [k, v] of Object.entries(attrs)) c.setAttribute(k, v);
  return c;
}
type ValueElement = HTMLElement & { value: string };
type MultiElement = HTMLElement & { value: string[] };
type CheckElement = HTMLElement & { checked: boolean };

const projectSelect = control<ValueElement>('vscode-single-select', 'Project', { class: 'project' });
const search = control<ValueElement>('vscode-textfield', 'Filter by id or title', { placeholder: 'Filter by id or title', class: 'search' });
const typeSelect = control<MultiElement>('vscode-multi-select', 'Types (none selected: every type)', { class: 'types' });
const labelSelect = control<ValueElement>('vscode-single-select', 'Label', { class: 'label' });
const assigneeSelect = control<ValueElement>('vscode-single-select', 'Assignee', { class: 'assignee' });
const epicSelect = control<ValueElement>('vscode-single-select', 'Epic', { class: 'epic' });
const laneSelect = control<ValueElement>('vscode-single-select', 'Swimlanes', { class: 'lanes-by' });
const archived = control<CheckElement>('vscode-checkbox', 'Show archived', { label: 'Archived', class: 'archived' });
const clear = control<HTMLElement>('vscode-button', 'Clear filters', { secondary: '', class: 'clear' });
clear.textContent = 'Clear';
const counts = el('span', 'counts');
const searchIcon = el('span', 'codicon codicon-search');
searchIcon.setAttribute('slot', 'content-before');
search.append(searchIcon);

function options(select: HTMLElement, opts: [value: string, label: string][], selected: string | string[]) {
  const chosen = new Set([selected].flat());
  const next = opts.map(([value, label]) => {
    const o = document.createElement('vscode-option') as HTMLElement & { value: string; selected: boolean };
    o.setAttribute('value', value);
    o.textContent = label;
    if (chosen.has(value)) o.setAttribute('selected', '');
    return o;
  });
  // Rebuilding the options of an open dropdown would close it: only when the choices changed.
  const key = JSON.stringify(opts) + JSON.stringify([...chosen]);
  if (select.dataset.options === key) return;
  select.dataset.options = key;
  select.replaceChildren(...next);
}

options(typeSelect, BOARD_TYPES.map((t) => [t, t === 'pr' ? 'PRs' : `${t[0].toUpperCase()}${t.slice(1)}s`]), view.filter.types ?? []);
options(laneSelect, [['none', 'No swimlanes'], ['epic', 'Swimlanes by epic'], ['assignee', 'Swimlanes by assignee']], view.swimlane);
search.value = view.filter.text ?? '';
archived.checked = view.showArchived;

const group = (...children: HTMLElement[]) => {
  const g = el('div', 'group');
  g.append(...children);
  return g;
};
toolbar.append(
  group(projectSelect),
  group(search),
  group(typeSelect, labelSelect, assigneeSelect, epicSelect),
  group(laneSelect, archived, clear),
  counts,
);

const setFilter = (patch: Partial<BoardFilter>) => {
  view = { ...view, filter: { ...view.filter, ...patch } };
  for (const k of Object.keys(view.filter) as (keyof BoardFilter)[]) {
    const v = view.filter[k];
    if (v === undefined || v === '' || (Array.isArray(v) && !v.length)) delete view.filter[k];
  }
  saveState();
  render();
};
// On a big board, one render per pause in typing rather than one per key.
let searchTimer: number | undefined;
search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => setFilter({ text: search.value }), SEARCH_DELAY_MS);
});
typeSelect.addEventListener('change', () => setFilter({ types: typeSelect.value as BoardFilter['types'] }));
labelSelect.addEventListener('change', () => setFilter({ label: labelSelect.value || undefined }));
assigneeSelect.addEventListener('change', () => setFilter({ assignee: assigneeSelect.value || undefined }));
epicSelect.addEventListener('change', () => setFilter({ epic: epicSelect.value || undefined }));
laneSelect.addEventListener('change', () => {
  view = { ...view, swimlane: (laneSelect.value as Swimlane) || 'none' };
  saveState();
  render();
});
archived.addEventListener('change', () => {
  view = { ...view, showArchived: archived.checked };
  saveState();
  render();
});
clear.addEventListener('click', () => {
  view = { ...view, filter: {} };
  search.value = '';
  typeSelect.value = [];
  saveState();
  render();
});
projectSelect.addEventListener('change', () => {
  if (projectSelect.value && projectSelect.value !== project?.root) post({ type: 'selectProject', root: projectSelect.value });
});
let scrollTimer: number | undefined;
board.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = window.setTimeout(() => {
    view = { ...view, scrollTop: board.scrollTop, scrollLeft: board.scrollLeft };
    saveState();
  }, 150);
});

// ---- rendering

/** Each card's element and the JSON it was built from, so unchanged cards are reused as they are. */
const cardEls = new Map<string, { json: string; el: HTMLElement }>();
const laneEls = new Map<string, { el: HTMLElement; head: HTMLElement; cells: HTMLElement }>();

function cardEl(card: BoardCard): HTMLElement {
  const shown = effective(card);
  const busy = isPending(card.file);
  const json = JSON.stringify(shown) + (busy ? '*' : '');
  const cached = cardEls.get(card.file);
  if (cached?.json === json) return cached.el;
  const node = cardElement(shown, { pending: busy, epicTitle: epics.find((e) => e.id === shown.epicId)?.title });
  node.tabIndex = card.file === focusFile ? 0 : -1;
  cached?.el.replaceWith(node);
  cardEls.set(card.file, { json, el: node });
  return node;
}

function refreshFilterChoices() {
  const labels = new Set<string>();
  const people = new Set<string>();
  let unassigned = false;
  for (const c of cards.values()) {
    for (const l of c.labels) labels.add(l);
    const a = assigneeKey(c);
    if (a === NO_ASSIGNEE) unassigned = true;
    else people.add(a);
  }
  // A value the filter holds stays a choice when no card carries it any more, so it can be seen and changed.
  const { label, assignee, epic } = view.filter;
  if (label && ![...labels].some((l) => l.toLowerCase() === label.toLowerCase())) labels.add(label);
  if (assignee === NO_ASSIGNEE) unassigned = true;
  else if (assignee && ![...people].some((p) => p.toLowerCase() === assignee.replace(/^@/, '').toLowerCase())) people.add(assignee);
  const epicChoices = epics.map((e): [string, string] => [e.id, `${e.id} ${e.title}`]);
  if (epic && epic !== NO_EPIC && !epics.some((e) => e.id === epic)) epicChoices.push([epic, `${epic} (not found)`]);
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  options(labelSelect, [['', 'Any label'], ...sorted(labels).map((l): [string, string] => [l, l])], view.filter.label ?? '');
  options(
    assigneeSelect,
    [['', 'Anyone'], ...(unassigned ? [[NO_ASSIGNEE, 'Unassigned'] as [string, string]] : []), ...sorted(people).map((p): [string, string] => [p, p])],
    view.filter.assignee ?? '',
  );
  options(
    epicSelect,
    [['', 'Any epic'], [NO_EPIC, 'No epic'], ...epicChoices],
    view.filter.epic ?? '',
  );
  options(projectSelect, projects.map((p) => [p.root, p.name]), project?.root ?? '');
  projectSelect.hidden = projects.length < 2;
}

function renderHeads(layout: BoardView) {
  board.style.setProperty('--columns', String(layout.columns.length));
  const next = layout.columns.map((c) => {
    const head = el('div', `col-head state-${c.state}${c.overLimit ? ' over-limit' : ''}`);
    head.dataset.state = c.state;
    const name = el('span', 'col-name', c.label);
    const badge = el('vscode-badge', 'col-count', c.limit === undefined ? String(c.total) : `${c.total} / ${c.limit}`);
    if (c.overLimit) badge.setAttribute('variant', 'counter');
    head.append(name, badge);
    if (c.shown !== c.total) head.append(el('span', 'col-shown', `${c.shown} shown`));
    const wip = c.limit === undefined ? '' : c.overLimit ? `, over its limit of ${c.limit}` : `, limit ${c.limit}`;
    head.title = `${c.label}: ${c.total} card${c.total === 1 ? '' : 's'}${wip}`;
    return head;
  });
  heads.replaceChildren(...next);
}

function laneEl(key: string) {
  let lane = laneEls.get(key);
  if (!lane) {
    const node = el('section', 'lane');
    const head = el('div', 'lane-head');
    const cells = el('div', 'cells');
    node.append(head, cells);
    lane = { el: node, head, cells };
    laneEls.set(key, lane);
  }
  return lane;
}

function renderLanes(layout: BoardView) {
  const wanted: HTMLElement[] = [];
  const keep = new Set<string>();
  for (const lane of layout.lanes) {
    keep.add(lane.key);
    const l = laneEl(lane.key);
    l.el.dataset.lane = lane.key;
    l.head.hidden = view.swimlane === 'none';
    l.head.replaceChildren(el('span', 'lane-name', lane.label), el('vscode-badge', 'lane-count', String(lane.count)));
    const cells = layout.columns.map((col, i) => {
      let cell = l.cells.children[i] as HTMLElement | undefined;
      if (!cell || cell.dataset.state !== col.state) {
        cell = el('div', 'cell');
        cell.dataset.state = col.state;
        cell.setAttribute('role', 'list');
      }
      cell.setAttribute('aria-label', view.swimlane === 'none' ? col.label : `${col.label}, ${lane.label}`);
      cell.classList.toggle('over-limit', col.overLimit);
      const els = lane.cells[i].map(cardEl);
      const same = els.length === cell.children.length && els.every((e, j) => cell!.children[j] === e);
      if (!same) cell.replaceChildren(...els);
      return cell;
    });
    const sameCells = cells.length === l.cells.children.length && cells.every((c, j) => l.cells.children[j] === c);
    if (!sameCells) l.cells.replaceChildren(...cells);
    wanted.push(l.el);
  }
  for (const key of [...laneEls.keys()]) if (!keep.has(key)) laneEls.delete(key);
  const sameLanes = wanted.length === lanesEl.children.length && wanted.every((e, j) => lanesEl.children[j] === e);
  if (!sameLanes) lanesEl.replaceChildren(...wanted);
  for (const file of [...cardEls.keys()]) if (!cards.has(file)) cardEls.delete(file);
}

function render() {
  const hadFocus = board.contains(document.activeElement);
  const layout = layoutBoard([...cards.values()].map(effective), settings, {
    filter: view.filter,
    swimlane: view.swimlane,
    showArchived: view.showArchived,
    epics,
  });
  refreshFilterChoices();
  renderHeads(layout);
  renderLanes(layout);
  const filtered = isBoardFilterActive(view.filter);
  clear.toggleAttribute('disabled', !filtered);
  counts.textContent = `${layout.shown} of ${cards.size} cards${layout.outside ? ` · ${layout.outside} in hidden columns` : ''}`;
  empty.hidden = cards.size > 0;
  empty.textContent = project ? `${project.name} has no epics, issues, tasks or PRs yet.` : 'No ai-trackdown project is open.';
  // The focused card was re-rendered or moved: keep the keyboard where it was.
  // A filtered-out card keeps its cached element, but off the page: the tab stop goes to a shown one.
  if (!focusFile || !cardEls.get(focusFile)?.el.isConnected) focusFile = firstCard()?.dataset.file;
  for (const { el: c } of cardEls.values()) c.tabIndex = c.dataset.file === focusFile ? 0 : -1;
  if (hadFocus && focusFile && !board.contains(document.activeElement)) cardEls.get(focusFile)?.el.focus({ preventScroll: true });
  app.removeAttribute('aria-busy');
}

const firstCard = () => board.querySelector<HTMLElement>('.card');

function say(text: string, kind: 'info' | 'error' = 'info') {
  status.textContent = text;
  status.dataset.kind = kind;
}

// ---- moving cards

function move(file: string, to: State) {
  const card = cards.get(file);
  if (!card) return;
  const from = effective(card).state;
  if (isPending(file)) return;
  const plan = planMove({ state: from }, to);
  if (plan.kind === 'none') return;
  const requestId = nextRequest++;
  post({ type: 'move', requestId, file, from, to });
  if (plan.kind === 'refused') {
    // Not moved at all: the host explains and offers to force it.
    say(`${card.id}: ${plan.message}`, 'error');
    flash(file);
    return;
  }
  pending.set(requestId, { file, from, to });
  say(`Moving ${card.id} to ${STATE_LABELS[to]}…`);
  render();
}

function flash(file: string) {
  const node = cardEls.get(file)?.el;
  if (!node) return;
  node.classList.remove('refused');
  void node.offsetWidth;
  node.classList.add('refused');
}

function onMoveResult(m: Extract<HostMessage, { type: 'moveResult' }>) {
  const p = pending.get(m.requestId);
  const id = cards.get(m.file)?.id ?? '';
  if (m.ok && p) {
    p.answered = true;
    say(m.message ? `${id}: ${m.message}` : `${id} moved to ${STATE_LABELS[p.to]}.`);
  } else if (p) {
    pending.delete(m.requestId);
    if (m.message) say(`${id}: ${m.message}`, 'error');
    // After the render, which rebuilds the card's element back in its old column.
    render();
    flash(m.file);
    return;
  }
  render();
}

function dropTarget(e: DragEvent): HTMLElement | undefined {
  return (e.target as HTMLElement | null)?.closest?.<HTMLElement>('.cell') ?? undefined;
}

board.addEventListener('dragstart', (e) => {
  const node = (e.target as HTMLElement).closest<HTMLElement>('.card');
  const card = node?.dataset.file ? cards.get(node.dataset.file) : undefined;
  if (!card || !e.dataTransfer) return;
  dragged = effective(card);
  e.dataTransfer.effectAllowed = 'move';
  e.dataTransfer.setData('text/plain', card.id);
  node!.classList.add('dragging');
  const allowed = new Set(allowedDropTargets(dragged));
  for (const cell of board.querySelectorAll<HTMLElement>('.cell')) {
    const s = cell.dataset.state as State;
    cell.classList.toggle('drop-allowed', allowed.has(s));
    cell.classList.toggle('drop-refused', s !== dragged.state && !allowed.has(s));
  }
  board.classList.add('is-dragging');
});
board.addEventListener('dragover', (e) => {
  const cell = dropTarget(e);
  if (!dragged || !cell) return;
  e.preventDefault();
  if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
  for (const c of board.querySelectorAll('.drop-hover')) if (c !== cell) c.classList.remove('drop-hover');
  cell.classList.add('drop-hover');
});
board.addEventListener('drop', (e) => {
  const cell = dropTarget(e);
  const card = dragged;
  endDrag();
  if (!card || !cell) return;
  e.preventDefault();
  move(card.file, cell.dataset.state as State);
});
board.addEventListener('dragend', endDrag);

function endDrag() {
  dragged = undefined;
  board.classList.remove('is-dragging');
  for (const c of board.querySelectorAll('.drop-allowed, .drop-refused, .drop-hover, .dragging')) {
    c.classList.remove('drop-allowed', 'drop-refused', 'drop-hover', 'dragging');
  }
}

// ---- mouse and keyboard on cards

function cardOf(e: Event): BoardCard | undefined {
  const file = (e.target as HTMLElement).closest?.<HTMLElement>('.card')?.dataset.file;
  return file ? cards.get(file) : undefined;
}

board.addEventListener('click', (e) => {
  const card = cardOf(e);
  if (!card) return;
  focusFile = card.file;
  post({ type: 'open', file: card.file });
});
board.addEventListener('focusin', (e) => {
  const card = cardOf(e);
  if (!card || card.file === focusFile) return;
  const old = focusFile && cardEls.get(focusFile)?.el;
  if (old) old.tabIndex = -1;
  focusFile = card.file;
  (e.target as HTMLElement).tabIndex = 0;
});

/** The card element `dx` columns and `dy` rows away from `from`, within its lane. */
function neighbour(from: HTMLElement, dx: number, dy: number): HTMLElement | undefined {
  const cell = from.parentElement!;
  const row = [...cell.children].indexOf(from);
  if (dy) return cell.children[row + dy] as HTMLElement | undefined;
  const cells = [...cell.parentElement!.children] as HTMLElement[];
  for (let i = cells.indexOf(cell) + dx; i >= 0 && i < cells.length; i += dx) {
    const list = cells[i].children;
    if (list.length) return list[Math.min(row, list.length - 1)] as HTMLElement;
  }
  return undefined;
}

board.addEventListener('keydown', (e) => {
  const node = (e.target as HTMLElement).closest?.<HTMLElement>('.card');
  const card = node?.dataset.file ? cards.get(node.dataset.file) : undefined;
  if (!node || !card) return;
  const step = e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowRight' ? 1 : 0;
  if ((e.altKey || e.ctrlKey || e.metaKey) && step) {
    e.preventDefault();
    const to = keyboardTarget(shownColumns(settings, view.showArchived), effective(card), step);
    if (to) move(card.file, to);
    return;
  }
  let target: HTMLElement | undefined;
  switch (e.key) {
    case 'Enter':
    case ' ':
      e.preventDefault();
      post({ type: 'open', file: card.file });
      return;
    case 'ArrowUp':
      target = neighbour(node, 0, -1);
      break;
    case 'ArrowDown':
      target = neighbour(node, 0, 1);
      break;
    case 'ArrowLeft':
    case 'ArrowRight':
      target = neighbour(node, step, 0);
      break;
    case 'Home':
      target = node.parentElement!.firstElementChild as HTMLElement;
      break;
    case 'End':
      target = node.parentElement!.lastElementChild as HTMLElement;
      break;
    default:
      return;
  }
  e.preventDefault();
  target?.focus();
});

// ---- messages from the host

window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  const m = e.data;
  switch (m.type) {
    case 'init': {
      const switched = (project?.root ?? view.root ?? m.project.root) !== m.project.root;
      project = m.project;
      projects = m.projects;
      settings = m.settings;
      epics = m.epics;
      cards.clear();
      for (const c of m.cards) cards.set(c.file, c);
      pending.clear();
      saveState();
      render();
      if (switched) board.scrollTo(0, 0);
      else if (view.scrollTop !== undefined) {
        // After the heads' badges have sized themselves, or the restored position is a few pixels off.
        const { scrollTop, scrollLeft = 0 } = view;
        requestAnimationFrame(() => board.scrollTo(scrollLeft, scrollTop));
      }
      document.body.dataset.ready = 'true';
      break;
    }
    case 'update':
      epics = m.epics;
      for (const f of m.removes) cards.delete(f);
      for (const c of m.upserts) cards.set(c.file, c);
      // The file as it now is replaces what an answered move showed.
      for (const [k, p] of pending) if (p.answered && (m.upserts.some((c) => c.file === p.file) || m.removes.includes(p.file))) pending.delete(k);
      render();
      break;
    case 'moveResult':
      onMoveResult(m);
      break;
  }
});

post({ type: 'ready' });
