/** One card's DOM. Text from task files is only ever set as textContent or as an attribute value. */
import type { BoardCard } from '../../src/core/board';
import { STATE_LABELS, TYPE_CODICONS } from '../../src/core/model';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K];
export function el(tag: string, cls?: string, text?: string): HTMLElement;
export function el(tag: string, cls?: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

const TYPE_NAMES: Record<BoardCard['type'], string> = { epic: 'Epic', issue: 'Issue', task: 'Task', pr: 'PR' };
const PRIORITY_ICONS: Record<string, string> = { critical: 'flame', high: 'arrow-up', medium: 'dash', low: 'arrow-down' };

const fmt = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

function icon(name: string, label?: string): HTMLElement {
  const i = el('span', `codicon codicon-${name}`);
  if (label) {
    i.setAttribute('role', 'img');
    i.setAttribute('aria-label', label);
    i.title = label;
  } else {
    i.setAttribute('aria-hidden', 'true');
  }
  return i;
}

function tokens(card: BoardCard): HTMLElement | undefined {
  if (card.actualTokens === undefined && card.estimatedTokens === undefined) return undefined;
  const used = card.actualTokens ?? 0;
  const est = card.estimatedTokens;
  const box = el('div', 'tokens');
  const text = est ? `${fmt.format(used)} / ${fmt.format(est)} tokens` : `${fmt.format(used)} tokens`;
  box.append(icon('symbol-numeric'), el('span', 'tokens-text', text));
  if (est) {
    const ratio = used / est;
    const bar = el('div', 'meter');
    bar.setAttribute('role', 'meter');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', String(est));
    bar.setAttribute('aria-valuenow', String(used));
    bar.setAttribute('aria-label', 'Tokens used of the estimate');
    const fill = el('div', `meter-fill${ratio > 1 ? ' over' : ratio >= 0.9 ? ' near' : ''}`);
    fill.style.setProperty('width', `${Math.min(100, Math.round(ratio * 100))}%`);
    bar.append(fill);
    box.append(bar);
  }
  box.title = `${used.toLocaleString('en')} tokens used${est ? ` of ${est.toLocaleString('en')} estimated` : ''}`;
  return box;
}

export function cardElement(card: BoardCard, opts: { pending?: boolean; epicTitle?: string } = {}): HTMLElement {
  const node = el('article', `card type-${card.type}${opts.pending ? ' pending' : ''}${card.unknownState ? ' unknown-state' : ''}`);
  node.draggable = true;
  node.dataset.file = card.file;
  node.dataset.id = card.id;
  node.setAttribute('role', 'listitem');
  node.setAttribute('aria-label', `${TYPE_NAMES[card.type]} ${card.id}: ${card.title}, ${STATE_LABELS[card.state]}${card.blocked ? ', blocked' : ''}`);
  if (opts.pending) node.setAttribute('aria-busy', 'true');
  // What the card's context menu items receive, and what their when-clauses test.
  node.dataset.vscodeContext = JSON.stringify({
    webviewSection: 'card',
    preventDefaultContextMenuItems: true,
    'aiTrackdown.card': card.menu,
    'aiTrackdown.file': card.file,
  });

  const top = el('div', 'card-top');
  top.append(icon(TYPE_CODICONS[card.type], TYPE_NAMES[card.type]), el('span', 'card-id', card.id));
  if (card.priority) {
    const p = el('span', `priority priority-${PRIORITY_ICONS[card.priority] ? card.priority : 'other'}`);
    p.append(icon(PRIORITY_ICONS[card.priority] ?? 'circle-small'), el('span', 'priority-text', card.priority));
    p.title = `Priority: ${card.priority}`;
    top.append(p);
  }
  node.append(top, el('div', 'card-title', card.title || '(no title)'));

  const meta = el('div', 'card-meta');
  if (card.blocked) {
    const b = el('span', 'blocked');
    b.append(icon('circle-slash'), el('span', undefined, 'blocked'));
    b.title = 'Blocked: open work that cannot move on yet';
    meta.append(b);
  }
  if (card.assignee) {
    const a = el('span', 'assignee');
    a.append(icon('account'), el('span', 'assignee-name', card.assignee.replace(/^@/, '')));
    a.title = `Assignee: ${card.assignee}`;
    meta.append(a);
  }
  if (card.progress) {
    const p = el('span', 'progress');
    p.append(icon('checklist'), el('span', 'progress-text', `${card.progress.done}/${card.progress.total}`));
    p.title = `${card.progress.done} of ${card.progress.total} children closed`;
    meta.append(p);
  }
  if (card.epicId && card.type !== 'epic') {
    const e = el('span', 'epic-ref', card.epicId);
    e.title = opts.epicTitle ? `Epic ${card.epicId}: ${opts.epicTitle}` : `Epic ${card.epicId}`;
    meta.append(e);
  }
  if (meta.childElementCount) node.append(meta);

  if (card.labels.length) {
    const labels = el('div', 'labels');
    for (const l of card.labels) labels.append(el('span', 'label', l));
    node.append(labels);
  }
  const t = tokens(card);
  if (t) node.append(t);
  if (card.unknownState) {
    const w = el('div', 'warning');
    w.append(icon('warning'), el('span', undefined, `unknown state "${card.unknownState}": shown as ${STATE_LABELS[card.state]}`));
    node.append(w);
  }
  return node;
}
