#!/usr/bin/env node
// Board webview benchmark: the real board page and script in headless Chromium (test/webview/webviewPage.mjs),
// fed generated cards. Prints figures only; nothing here asserts on time.
//   node scripts/build.mjs --tests && node bench/board.mjs [--runs=5] [--sizes=100,1000,5000] [--outdir=out]
//
// Every figure is measured inside the page with performance.now(), so neither Playwright's round trips
// nor Node's work count. Each one is given three ways, in milliseconds from the start of the action:
//   handled    the board's own handler has returned, with the microtasks it queued (the web components'
//              updates): the DOM is built. Nothing is laid out yet unless something forced it (when
//              the options of a vscode-single-select change, its render reads getBoundingClientRect,
//              which lays the whole page out: hence init's "handled" and "laid out" are about equal);
//   laid out   the same, then a forced synchronous layout (reading .board's scrollHeight): the cards
//              have their boxes, i.e. the work the browser must do before it can paint them;
//   painted    the first requestAnimationFrame callback after that runs at the start of the next frame,
//              before its paint; the second one runs at the start of the frame after, once the first
//              has been painted. So "painted" is an upper bound of when the result is on screen, which
//              includes waiting for the frame clock (up to one frame interval, ~16.7 ms at 60 Hz).
// The actions:
//   init       window.postMessage(init) (the way VS Code delivers host messages, so the structured clone
//              of the cards counts) on a freshly loaded page: the first paint of the board.
//   update     an `update` message changing the title of one card that is shown.
//   filter     one real key press (Playwright keyboard) in the search field. The board applies a search
//              once typing pauses (100 ms after the last key); timed is that render, from the filter being
//              saved with setState (just before it) to its end. The field is emptied between runs.
//   drag       a real Playwright mouse drag of a card onto the next allowed column, from the `drop` event
//              (a capture listener on window, which runs before the board's) to the card being in its new
//              cell and the `move` posted (checked in a bubbling listener on window, which runs after).
// Each figure is the median of --runs runs. The JS heap (CDP Runtime.getHeapUsage after a forced garbage
// collection) is reported before and after init.
import os from 'node:os';
import { openWebviewPage } from '../test/webview/webviewPage.mjs';

const args = process.argv.slice(2);
const option = (name, dflt) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const RUNS = Number(option('runs', '5'));
const SIZES = option('sizes', '100,1000,5000').split(',').map(Number);
const OUTDIR = option('outdir', process.env.AITD_OUTDIR || 'out');
/** Wide enough for the seven columns side by side: a drag that needs scrolling never starts. */
const VIEWPORT = { width: 2000, height: 1000 };

// ---- realistic cards

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATES = [
  ['planning', 18],
  ['active', 12],
  ['ready_for_engineering', 12],
  ['ready_for_qa', 9],
  ['ready_for_deployment', 5],
  ['done', 32],
  ['won_t_do', 5],
  ['archived', 7],
];
const TYPES = [
  ['issue', 32],
  ['task', 55],
  ['pr', 13],
];
const PRIORITIES = [
  ['critical', 4],
  ['high', 18],
  ['medium', 45],
  ['low', 20],
  [undefined, 13],
];
const LABELS = ['backend', 'frontend', 'api', 'db', 'security', 'performance', 'docs', 'ci', 'bug', 'refactor', 'ux', 'infra', 'tests', 'agent'];
const PEOPLE = ['alice', '@bob', 'carol', 'dmitri', '@erin', 'farah', 'gus', 'claude-agent'];
const VERBS = ['Add', 'Fix', 'Refactor', 'Document', 'Speed up', 'Remove', 'Migrate', 'Validate', 'Test', 'Cache', 'Split', 'Rename'];
const THINGS = ['login flow', 'invoice export', 'search index', 'token budget', 'webhook retries', 'settings page', 'YAML parser', 'rate limiter', 'audit log', 'PR template', 'board filters', 'session store', 'CLI sync', 'error reporting'];
const QUALIFIERS = ['', '', ' for large projects', ' on Windows', ' behind a flag', ' (follow-up)', ' in the CLI', ' for agents', ' without downtime'];
const EPIC_NAMES = ['Authentication', 'Billing', 'Onboarding', 'Observability', 'Agent workflows', 'Performance', 'Mobile', 'Integrations', 'Security review', 'Docs site'];
const DIRS = { epic: 'epics', issue: 'issues', task: 'tasks', pr: 'prs' };
const PREFIX = { epic: 'EP', issue: 'ISS', task: 'TSK', pr: 'PR' };

function weighted(r, pairs) {
  const total = pairs.reduce((a, [, w]) => a + w, 0);
  let x = r() * total;
  for (const [v, w] of pairs) if ((x -= w) < 0) return v;
  return pairs.at(-1)[0];
}

function makeBoard(n, seed = 42) {
  const r = mulberry32(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const root = '/work/big-project';
  const counters = { epic: 0, issue: 0, task: 0, pr: 0 };
  const nEpics = Math.max(2, Math.round(n / 40));
  const cards = [];
  const epics = [];
  const make = (type, title) => {
    const num = String(++counters[type]).padStart(4, '0');
    const id = `${PREFIX[type]}-${num}`;
    const state = weighted(r, STATES);
    const labels = [...new Set(Array.from({ length: weighted(r, [[0, 25], [1, 40], [2, 25], [3, 10]]) }, () => pick(LABELS)))];
    const card = {
      file: `${root}/tasks/${DIRS[type]}/${id}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40)}.md`,
      id,
      title,
      type,
      state,
      labels,
      menu: `item:${type}:${state}${labels.length ? ':labelled' : ''}`,
      hash: Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0'),
    };
    const priority = weighted(r, PRIORITIES);
    if (priority) card.priority = priority;
    if (r() < 0.78) card.assignee = pick(PEOPLE);
    if (r() < 0.7) {
      card.estimatedTokens = Math.round(2 + r() * 78) * 1000;
      if (r() < 0.65) card.actualTokens = Math.round(card.estimatedTokens * (0.15 + r() * 1.2));
    } else if (r() < 0.2) card.actualTokens = Math.round(r() * 30000);
    return card;
  };
  for (let i = 0; i < nEpics && cards.length < n; i++) {
    const c = make('epic', `${EPIC_NAMES[i % EPIC_NAMES.length]}${i >= EPIC_NAMES.length ? ` ${Math.floor(i / EPIC_NAMES.length) + 1}` : ''}`);
    c.epicId = c.id;
    const total = 3 + Math.floor(r() * 30);
    c.progress = { done: Math.floor(r() * (total + 1)), total };
    cards.push(c);
    epics.push({ id: c.id, title: c.title });
  }
  while (cards.length < n) {
    const type = weighted(r, TYPES);
    const c = make(type, `${pick(VERBS)} ${pick(THINGS)}${pick(QUALIFIERS)}`);
    if (r() < 0.85) c.epicId = pick(epics).id;
    if (type === 'issue' && r() < 0.5) {
      const total = 1 + Math.floor(r() * 8);
      c.progress = { done: Math.floor(r() * (total + 1)), total };
    }
    cards.push(c);
  }
  const project = { root, name: 'big-project' };
  return {
    type: 'init',
    project,
    projects: [project],
    cards,
    epics,
    settings: {
      columns: ['planning', 'active', 'ready_for_engineering', 'ready_for_qa', 'ready_for_deployment', 'done', 'won_t_do'],
      wipLimits: { active: Math.ceil(n / 20), ready_for_qa: Math.ceil(n / 25) },
    },
  };
}

// ---- in-page measuring

/** Installed in the page after each load: helpers that time one action each (see the header). */
function installProbes() {
  const board = () => document.querySelector('.board');
  const layout = () => board().scrollHeight;
  const twoFrames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  async function finish(t0, tHandled) {
    layout();
    const tLaid = performance.now();
    await twoFrames();
    return { handled: tHandled - t0, laidOut: tLaid - t0, painted: performance.now() - t0 };
  }
  window.__probe = {
    /** Posts window.__msg (set beforehand, so that Playwright's transfer is not timed). */
    deliver() {
      return new Promise((resolve) => {
        let t0;
        window.addEventListener('message', function after() {
          window.removeEventListener('message', after);
          resolve(finish(t0, performance.now()));
        });
        t0 = performance.now();
        window.postMessage(window.__msg, '*');
      });
    },
    /** Arms the timing of the render that applies the next search (the board saves its state right before it). */
    armFilter() {
      window.__result = new Promise((resolve) => {
        let value = window.__state;
        Object.defineProperty(window, '__state', {
          configurable: true,
          get: () => value,
          set: (s) => {
            const t0 = performance.now();
            delete window.__state;
            window.__state = s;
            // The render runs in the same task, right after: a microtask runs once it has returned.
            queueMicrotask(() => resolve(finish(t0, performance.now())));
          },
        });
      });
    },
    /** Arms the timing of the next drop of `file` onto a cell of `to`. */
    armDrop(file, to) {
      let t0;
      const posted = window.__posted.length;
      window.addEventListener('drop', () => (t0 = performance.now()), { capture: true, once: true });
      window.__result = new Promise((resolve, reject) => {
        window.addEventListener(
          'drop',
          () => {
            const tHandled = performance.now();
            const cardEl = [...document.querySelectorAll('.card')].find((c) => c.dataset.file === file);
            const move = window.__posted.slice(posted).find((m) => m.type === 'move' && m.file === file);
            if (cardEl?.closest('.cell')?.dataset.state !== to || move?.to !== to) reject(new Error(`drop of ${file} on ${to} not applied`));
            else resolve(finish(t0, tHandled));
          },
          { once: true },
        );
      });
    },
    result: () => window.__result,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const medians = (runs) => ({ handled: median(runs.map((r) => r.handled)), laidOut: median(runs.map((r) => r.laidOut)), painted: median(runs.map((r) => r.painted)) });

async function load(b) {
  await b.page.reload();
  await b.page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
  await b.page.evaluate(installProbes);
}

async function heap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

async function deliver(b, msg) {
  // As JSON text: Playwright's own serialisation of a large object argument takes seconds.
  await b.page.evaluate((json) => (window.__msg = JSON.parse(json)), JSON.stringify(msg));
  return b.page.evaluate(() => window.__probe.deliver());
}

async function benchSize(b, cdp, n) {
  const msg = makeBoard(n);
  const out = { n };

  // First paint: a fresh page per run.
  const inits = [];
  for (let i = 0; i < RUNS; i++) {
    await load(b);
    if (i === RUNS - 1) out.heapBefore = await heap(cdp);
    inits.push(await deliver(b, msg));
  }
  out.init = medians(inits);
  out.heapAfter = await heap(cdp);
  Object.assign(
    out,
    await b.page.evaluate(() => ({
      shown: document.querySelectorAll('.card').length,
      nodes: document.getElementsByTagName('*').length,
      counts: document.querySelector('.counts').textContent,
    })),
  );

  // One card changes: a shown one (not archived), a different one and a different title each run.
  const shownCards = msg.cards.filter((c) => c.state === 'active');
  const updates = [];
  for (let i = 0; i < RUNS; i++) {
    const c = shownCards[(i * 7) % shownCards.length];
    updates.push(await deliver(b, { type: 'update', upserts: [{ ...c, title: `${c.title} (edit ${i})`, hash: `edit${i}` }], removes: [], epics: msg.epics }));
  }
  out.update = medians(updates);

  // One key press in the search field ("7": keeps the cards whose id holds a 7, about a third of them).
  const search = b.page.locator('.search input');
  await search.click();
  const filters = [];
  for (let i = 0; i < RUNS; i++) {
    await b.page.evaluate(() => window.__probe.armFilter());
    await b.page.keyboard.press('7');
    filters.push(await b.page.evaluate(() => window.__probe.result()));
    await b.page.keyboard.press('Backspace');
    // Every card back and painted before the next run.
    await b.page.waitForFunction(() => document.querySelector('.search').value === '' && !window.__state?.filter?.text);
    await b.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  out.filter = medians(filters);
  await search.blur();

  // Drag the top card of Ready for Engineering onto Ready for QA (allowed); after each run the host
  // "fails" the move (moveResult ok:false), which puts the card back (not timed).
  const drags = [];
  await b.page.locator('.board').evaluate((el) => el.scrollTo(0, 0));
  for (let i = 0; i < RUNS; i++) {
    const source = b.page.locator('.cell[data-state=ready_for_engineering] .card').first();
    const file = await source.getAttribute('data-file');
    await b.page.evaluate(([f, to]) => window.__probe.armDrop(f, to), [file, 'ready_for_qa']);
    await source.dragTo(b.page.locator('.cell[data-state=ready_for_qa]').first(), { targetPosition: { x: 40, y: 12 }, force: true });
    drags.push(await b.page.evaluate(() => window.__probe.result()));
    const move = (await b.posted()).findLast((m) => m.type === 'move');
    await deliver(b, { type: 'moveResult', requestId: move.requestId, file: move.file, ok: false });
  }
  out.drag = medians(drags);
  return out;
}

// ---- main

const started = Date.now();
const b = await openWebviewPage({ outdir: OUTDIR, viewport: VIEWPORT });
const results = [];
const version = `Chromium ${b.page.context().browser().version()}`;
try {
  const cdp = await b.page.context().newCDPSession(b.page);
  await load(b);
  await deliver(b, makeBoard(50, 7)); // warm-up: JIT, fonts, custom elements
  for (const n of SIZES) {
    results.push(await benchSize(b, cdp, n));
    process.stderr.write(`[bench] ${n} cards done (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  const violations = await b.violations();
  if (violations.length || b.errors.length) console.log(`WARNING: CSP violations ${JSON.stringify(violations)}, page errors ${JSON.stringify(b.errors)}`);
} finally {
  await b.close();
}

const ms = (x) => x.toFixed(1).padStart(8);
const mb = (x) => `${(x / 1048576).toFixed(1)} MB`;
console.log(`\nBoard webview benchmark — ${version}, headless, ${VIEWPORT.width}x${VIEWPORT.height}; ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`);
console.log(`median of ${RUNS} runs, milliseconds from the start of each action (see the header of bench/board.mjs)\n`);
const rows = [['action', 'cards', 'handled', 'laid out', 'painted']];
const NAMES = { init: 'first paint (init)', update: 'update of 1 card', filter: 'filter: type 1 char', drag: 'drag: drop → moved' };
for (const key of Object.keys(NAMES)) {
  for (const r of results) rows.push([NAMES[key], String(r.n), ms(r[key].handled), ms(r[key].laidOut), ms(r[key].painted)]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].trim().length)));
const line = (row) => row.map((c, i) => (i < 2 ? c.trim().padEnd(widths[i]) : c.trim().padStart(widths[i]))).join('  ');
console.log(line(rows[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
let last;
for (const row of rows.slice(1)) {
  if (last && last !== row[0]) console.log('');
  console.log(line(row));
  last = row[0];
}
console.log('\ncards  shown  DOM elements  JS heap before init  after init  (after a forced GC)');
for (const r of results) {
  console.log(`${String(r.n).padEnd(5)}  ${String(r.shown).padStart(5)}  ${String(r.nodes).padStart(12)}  ${mb(r.heapBefore).padStart(19)}  ${mb(r.heapAfter).padStart(10)}`);
}
const k = results.find((r) => r.n === 1000);
if (k) console.log(`\nJS heap used after init with 1,000 cards: ${mb(k.heapAfter)} (${mb(k.heapAfter - k.heapBefore)} more than the empty board)`);
console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
