// The board webview in a real headless Chromium (test/webview/webviewPage.mjs serves the very page the
// extension builds, CSP included, and stubs acquireVsCodeApi): what the user sees in the DOM and what
// the board posts to the host, driven with real mouse drags, clicks and keystrokes.
//   node scripts/build.mjs --tests && node test/webview/run-browser.mjs [--outdir=out]
// Each `describe` opens its own page (a fresh Chromium), shared by its tests, which run in order.
// A screenshot (swimlanes by epic) goes to test-results/webview/board.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWebviewPage } from './webviewPage.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUTDIR = process.env.AITD_OUTDIR || 'out';
const SHOTS = path.join(ROOT, 'test-results', 'webview');
/** Wide enough for the seven default columns without horizontal scrolling (a drag whose target needs
 * scrolling never starts in Chromium: Playwright scrolls after the mouse went down). */
const WIDE = { width: 2000, height: 1000 };

// ---- fixture

const ROOT_DIR = '/work/demo';
const PROJECT = { root: ROOT_DIR, name: 'demo' };
const COLUMNS = ['planning', 'active', 'ready_for_engineering', 'ready_for_qa', 'ready_for_deployment', 'done', 'won_t_do'];
const SETTINGS = { columns: COLUMNS, wipLimits: { active: 2, ready_for_qa: 5 } };
const EPICS = [
  { id: 'EP-0001', title: 'Authentication' },
  { id: 'EP-0002', title: 'Billing' },
];
const TYPE_OF = { EP: 'epic', ISS: 'issue', TSK: 'task', PR: 'pr' };
const DIR_OF = { epic: 'epics', issue: 'issues', task: 'tasks', pr: 'prs' };

function card(id, state, extra = {}) {
  const type = extra.type ?? TYPE_OF[id.split('-')[0]] ?? 'issue';
  return {
    file: `${ROOT_DIR}/tasks/${DIR_OF[type]}/${id}.md`,
    id,
    title: `Title of ${id}`,
    type,
    state,
    labels: [],
    menu: `item:${type}:${state}${extra.labels?.length ? ':labelled' : ''}`,
    hash: `h-${id}`,
    ...extra,
  };
}

const FIXTURE = [
  card('EP-0001', 'active', { title: 'Authentication', assignee: '@alice', epicId: 'EP-0001', progress: { done: 1, total: 4 } }),
  card('EP-0002', 'planning', { title: 'Billing', epicId: 'EP-0002' }),
  card('ISS-0001', 'planning', { title: 'Login page', priority: 'high', assignee: 'alice', epicId: 'EP-0001', labels: ['frontend'] }),
  card('ISS-0002', 'active', {
    title: 'Session store',
    priority: 'critical',
    assignee: 'bob',
    epicId: 'EP-0001',
    labels: ['backend'],
    estimatedTokens: 20000,
    actualTokens: 12000,
    progress: { done: 0, total: 2 },
  }),
  card('ISS-0003', 'active', { title: 'Invoice PDF', epicId: 'EP-0002', labels: ['backend', 'pdf'] }),
  card('TSK-0001', 'ready_for_engineering', { title: 'Hash passwords', priority: 'medium', assignee: 'alice', epicId: 'EP-0001', parentId: 'ISS-0002', labels: ['backend', 'security'] }),
  card('TSK-0002', 'ready_for_engineering', { title: 'Rate limit login', assignee: 'bob', epicId: 'EP-0001', parentId: 'ISS-0002', labels: ['security'] }),
  card('TSK-0003', 'ready_for_qa', { title: 'Tax rules', assignee: 'carol', epicId: 'EP-0002', labels: ['backend'] }),
  card('PR-0001', 'ready_for_deployment', { title: 'Add login form', assignee: 'alice', epicId: 'EP-0001', labels: ['frontend'] }),
  card('ISS-0004', 'done', { title: 'Project setup', labels: ['chore'] }),
  card('TSK-0004', 'won_t_do', { title: 'Support IE11', labels: ['frontend'] }),
  card('ISS-0005', 'archived', { title: 'Old prototype', assignee: 'bob' }),
];
const byId = (id, cards = FIXTURE) => cards.find((c) => c.id === id);

// ---- helpers

async function open(opts = {}) {
  const b = await openWebviewPage({ outdir: OUTDIR, viewport: WIDE, ...opts });
  b.dialogs = [];
  b.page.on('dialog', (d) => {
    b.dialogs.push(d.message());
    void d.dismiss().catch(() => {});
  });
  return b;
}

const send = (b, m) => b.deliver(m);

const initMessage = (cards, { settings = SETTINGS, epics = EPICS } = {}) => ({
  type: 'init',
  project: PROJECT,
  projects: [PROJECT],
  cards,
  epics,
  settings,
});
const init = (b, cards = FIXTURE, opts) => send(b, initMessage(cards, opts));
const update = (b, upserts = [], removes = [], epics = EPICS) => send(b, { type: 'update', upserts, removes, epics });

/** Card ids per column (over every lane), in the order shown; empty columns left out. */
const columns = (b) =>
  b.page.evaluate(() => {
    const out = {};
    for (const cell of document.querySelectorAll('.cell')) {
      const ids = [...cell.querySelectorAll('.card')].map((c) => c.dataset.id);
      if (ids.length) (out[cell.dataset.state] ??= []).push(...ids);
    }
    return out;
  });

/** The whole board as shown: lanes (key, head text when shown) and their cells' card ids. */
const snapshot = (b) =>
  b.page.evaluate(() =>
    [...document.querySelectorAll('.lane')].map((lane) => {
      const head = lane.querySelector('.lane-head');
      return {
        lane: lane.dataset.lane,
        head: head.hidden ? null : head.textContent,
        cells: [...lane.querySelectorAll('.cell')].map((c) => [c.dataset.state, [...c.querySelectorAll('.card')].map((k) => k.dataset.id)]),
      };
    }),
  );

const heads = (b) =>
  b.page.evaluate(() =>
    [...document.querySelectorAll('.col-head')].map((h) => ({
      state: h.dataset.state,
      name: h.querySelector('.col-name').textContent,
      count: h.querySelector('.col-count').textContent,
      over: h.classList.contains('over-limit'),
      shown: h.querySelector('.col-shown')?.textContent ?? null,
    })),
  );

const shownIds = async (b) => Object.values(await columns(b)).flat().sort();
const cardLoc = (b, id) => b.page.locator(`.card[data-id="${id}"]`);
const cellOf = (b, id) => cardLoc(b, id).evaluate((n) => n.closest('.cell').dataset.state);
const classesOf = (b, id) => cardLoc(b, id).evaluate((n) => [...n.classList]);
const statusOf = (b) => b.page.locator('.status').evaluate((n) => ({ kind: n.dataset.kind ?? null, text: n.textContent }));
const active = (b) => b.page.evaluate(() => document.activeElement?.dataset?.id ?? document.activeElement?.tagName);
const tabbable = (b) => b.page.evaluate(() => [...document.querySelectorAll('.card[tabindex="0"]')].map((c) => c.dataset.id));
const countsText = (b) => b.page.locator('.counts').textContent();
const posted = (b) => b.posted();
/** Messages posted since `from` (an index into posted()). */
const postedSince = async (b, from) => (await b.posted()).slice(from);
const postedCount = async (b) => (await b.posted()).length;

/** Drop on the top left of the target (in view even when the column is taller than the window). */
const drag = (b, id, state) =>
  cardLoc(b, id).dragTo(b.page.locator(`.cell[data-state="${state}"]`).first(), { targetPosition: { x: 40, y: 12 } });

/** Picks an option of a vscode-single-select or toggles one of a vscode-multi-select with real clicks. */
async function choose(b, selectClass, optionLabel, { close = false } = {}) {
  const select = b.page.locator(`vscode-single-select.${selectClass}, vscode-multi-select.${selectClass}`);
  await select.click();
  await select.getByRole('option', { name: optionLabel, exact: true }).click();
  if (close) await b.page.keyboard.press('Escape');
}

async function typeSearch(b, text) {
  await b.page.locator('.search input').click();
  await b.page.keyboard.press('ControlOrMeta+a');
  await b.page.keyboard.press('Backspace');
  if (text) await b.page.keyboard.type(text);
  // The board applies the search once typing pauses: wait until it has (it saves the filter then).
  await b.page.waitForFunction((t) => (window.__state?.filter?.text ?? '') === t, text);
}

async function assertClean(b) {
  assert.deepEqual(await b.violations(), [], 'Content-Security-Policy violations');
  assert.deepEqual(b.errors, [], 'page errors');
  assert.deepEqual(b.dialogs, [], 'dialogs (alert/confirm/prompt)');
}

// ---- tests

describe('board webview in Chromium', function () {
  this.timeout(60000);

  describe('first render', () => {
    let b;
    before(async () => {
      b = await open();
    });
    after(() => b?.close());

    it('posts ready at load, and nothing else before the host answers', async () => {
      assert.deepEqual(await posted(b), [{ type: 'ready' }]);
      assert.equal(await b.page.locator('.card').count(), 0);
    });

    it('lays the init cards out in their state columns, most urgent first then by id', async () => {
      await init(b);
      assert.equal(await b.page.evaluate(() => document.body.dataset.ready), 'true');
      assert.equal(await b.page.locator('#app').getAttribute('aria-busy'), null);
      assert.deepEqual(await columns(b), {
        planning: ['ISS-0001', 'EP-0002'],
        active: ['ISS-0002', 'EP-0001', 'ISS-0003'],
        ready_for_engineering: ['TSK-0001', 'TSK-0002'],
        ready_for_qa: ['TSK-0003'],
        ready_for_deployment: ['PR-0001'],
        done: ['ISS-0004'],
        won_t_do: ['TSK-0004'],
      });
      // Without swimlanes: one lane, its head hidden.
      assert.equal(await b.page.locator('.lane').count(), 1);
      assert.equal(await b.page.locator('.lane-head').isHidden(), true);
      assert.equal(await countsText(b), '11 of 12 cards · 1 in hidden columns');
    });

    it('shows counts in the column heads, "n / limit" with a WIP limit, and .over-limit past it', async () => {
      assert.deepEqual(await heads(b), [
        { state: 'planning', name: 'Planning', count: '2', over: false, shown: null },
        { state: 'active', name: 'Active', count: '3 / 2', over: true, shown: null },
        { state: 'ready_for_engineering', name: 'Ready for Engineering', count: '2', over: false, shown: null },
        { state: 'ready_for_qa', name: 'Ready for QA', count: '1 / 5', over: false, shown: null },
        { state: 'ready_for_deployment', name: 'Ready for Deployment', count: '1', over: false, shown: null },
        { state: 'done', name: 'Done', count: '1', over: false, shown: null },
        { state: 'won_t_do', name: "Won't Do", count: '1', over: false, shown: null },
      ]);
      assert.equal(await b.page.locator('.cell.over-limit').count(), 1);
      assert.equal(await b.page.locator('.cell.over-limit').getAttribute('data-state'), 'active');
      assert.match(await b.page.locator('.col-head[data-state=active]').getAttribute('title'), /over its limit of 2/);
    });

    it('shows a card’s id, title, priority, assignee (without @), progress, epic, labels and tokens', async () => {
      const iss2 = await cardLoc(b, 'ISS-0002').evaluate((n) => ({
        id: n.querySelector('.card-id').textContent,
        title: n.querySelector('.card-title').textContent,
        priority: n.querySelector('.priority-text').textContent,
        assignee: n.querySelector('.assignee-name').textContent,
        progress: n.querySelector('.progress-text').textContent,
        epic: n.querySelector('.epic-ref').textContent,
        epicTitle: n.querySelector('.epic-ref').title,
        labels: [...n.querySelectorAll('.label')].map((l) => l.textContent),
        tokens: n.querySelector('.tokens-text').textContent,
        meter: n.querySelector('[role=meter]').getAttribute('aria-valuenow'),
        draggable: n.draggable,
        aria: n.getAttribute('aria-label'),
        context: JSON.parse(n.dataset.vscodeContext),
      }));
      assert.deepEqual(iss2, {
        id: 'ISS-0002',
        title: 'Session store',
        priority: 'critical',
        assignee: 'bob',
        progress: '0/2',
        epic: 'EP-0001',
        epicTitle: 'Epic EP-0001: Authentication',
        labels: ['backend'],
        tokens: '12K / 20K tokens',
        meter: '12000',
        draggable: true,
        aria: 'Issue ISS-0002: Session store, Active',
        context: {
          webviewSection: 'card',
          preventDefaultContextMenuItems: true,
          'aiTrackdown.card': 'item:issue:active:labelled',
          'aiTrackdown.file': byId('ISS-0002').file,
        },
      });
      assert.equal(await cardLoc(b, 'EP-0001').locator('.assignee-name').textContent(), 'alice');
      // An epic does not name itself as its epic.
      assert.equal(await cardLoc(b, 'EP-0001').locator('.epic-ref').count(), 0);
    });

    it('the Label filter select does not take the card labels’ badge style', async () => {
      // The card labels' rule (background: badge, border-radius, padding) once matched the toolbar's
      // <vscode-single-select class="label"> too.
      const style = await b.page.locator('vscode-single-select.label').evaluate((s) => {
        const c = getComputedStyle(s);
        const other = getComputedStyle(document.querySelector('vscode-single-select.assignee'));
        return { radius: c.borderRadius, background: c.backgroundColor, padding: c.paddingLeft, otherBackground: other.backgroundColor, otherPadding: other.paddingLeft };
      });
      assert.equal(style.background, style.otherBackground);
      assert.equal(style.padding, style.otherPadding);
    });

    it('makes exactly one card tabbable (roving tabindex)', async () => {
      assert.deepEqual(await tabbable(b), ['ISS-0001']);
      assert.equal(await b.page.locator('.card[tabindex="-1"]').count(), 10);
    });

    it('has no CSP violation, page error or dialog', () => assertClean(b));
  });

  describe('hostile text from task files', () => {
    const XSS_IMG = '<img src=x onerror="window.__pwned=1;alert(1)">';
    const XSS_SCRIPT = '</script><script>window.__pwned=2;alert(2)</script>';
    const XSS_SVG = `"'><svg onload="window.__pwned=3">`;
    const XSS_TEMPLATE = '{{constructor.constructor("window.__pwned=4;alert(4)")()}}';
    const XSS_LITERAL = '${window.__pwned=5} &lt;b&gt; &amp; \u202e';
    const EVIL_EPIC = 'EP-"><img src=x onerror=alert(6)>';
    const EVIL_EPIC_TITLE = '<iframe src="javascript:alert(7)"></iframe>{{x}}';
    const HOSTILE = [
      card('ISS-0101', 'planning', {
        title: XSS_IMG,
        labels: [XSS_SCRIPT, '<b>bold</b>', '{{x}}'],
        assignee: XSS_SVG,
        priority: '<img src=x onerror=alert(8)>',
        epicId: EVIL_EPIC,
      }),
      card('ISS-0102', 'active', { title: XSS_SCRIPT, assignee: '@<u>eve</u>', labels: ["it's \"quoted\""], epicId: EVIL_EPIC, blocked: true }),
      card('ISS-0103', 'active', { title: XSS_TEMPLATE, unknownState: '<script>alert(9)</script>', labels: [XSS_IMG] }),
      card('ISS-0104', 'done', { title: XSS_LITERAL, assignee: XSS_TEMPLATE }),
      {
        ...card('ISS-<b>105</b>', 'ready_for_qa', { type: 'issue', title: '' }),
        file: `${ROOT_DIR}/tasks/issues/"quote's <img src=x>.md`,
      },
    ];
    const HOSTILE_EPICS = [{ id: EVIL_EPIC, title: EVIL_EPIC_TITLE }];
    let b;
    before(async () => {
      b = await open();
      await init(b, HOSTILE, { epics: HOSTILE_EPICS });
    });
    after(() => b?.close());

    it('renders titles, labels, assignees, priorities, ids and unknown states as literal text', async () => {
      const shown = await b.page.evaluate(() =>
        [...document.querySelectorAll('.card')].map((n) => ({
          file: n.dataset.file,
          id: n.querySelector('.card-id').textContent,
          title: n.querySelector('.card-title').textContent,
          labels: [...n.querySelectorAll('.label')].map((l) => l.textContent),
          assignee: n.querySelector('.assignee-name')?.textContent ?? null,
          priority: n.querySelector('.priority-text')?.textContent ?? null,
          epic: n.querySelector('.epic-ref')?.textContent ?? null,
          epicTip: n.querySelector('.epic-ref')?.title ?? null,
          warning: n.querySelector('.warning')?.textContent ?? null,
          blocked: n.querySelector('.blocked')?.textContent ?? null,
          contextFile: JSON.parse(n.dataset.vscodeContext)['aiTrackdown.file'],
        })),
      );
      const by = Object.fromEntries(shown.map((s) => [s.id, s]));
      assert.deepEqual(Object.keys(by).sort(), HOSTILE.map((c) => c.id).sort());
      assert.deepEqual(by['ISS-0101'], {
        file: HOSTILE[0].file,
        id: 'ISS-0101',
        title: XSS_IMG,
        labels: [XSS_SCRIPT, '<b>bold</b>', '{{x}}'],
        assignee: XSS_SVG,
        priority: '<img src=x onerror=alert(8)>',
        epic: EVIL_EPIC,
        epicTip: `Epic ${EVIL_EPIC}: ${EVIL_EPIC_TITLE}`,
        warning: null,
        blocked: null,
        contextFile: HOSTILE[0].file,
      });
      assert.equal(by['ISS-0102'].title, XSS_SCRIPT);
      assert.equal(by['ISS-0102'].blocked, 'blocked');
      assert.equal(await b.page.locator('.card[data-id="ISS-0102"]').getAttribute('aria-label'), `Issue ISS-0102: ${XSS_SCRIPT}, Active, blocked`);
      assert.equal(by['ISS-0102'].assignee, '<u>eve</u>');
      assert.deepEqual(by['ISS-0102'].labels, ["it's \"quoted\""]);
      assert.equal(by['ISS-0103'].title, XSS_TEMPLATE);
      assert.deepEqual(by['ISS-0103'].labels, [XSS_IMG]);
      assert.equal(by['ISS-0103'].warning, 'unknown state "<script>alert(9)</script>": shown as Active');
      assert.equal(by['ISS-0104'].title, XSS_LITERAL);
      assert.equal(by['ISS-0104'].assignee, XSS_TEMPLATE);
      assert.equal(by['ISS-<b>105</b>'].title, '(no title)');
      assert.equal(by['ISS-<b>105</b>'].file, HOSTILE[4].file);
      assert.equal(by['ISS-<b>105</b>'].contextFile, HOSTILE[4].file);
      assert.equal(await b.page.locator('.card[data-id="ISS-0101"]').getAttribute('aria-label'), `Issue ISS-0101: ${XSS_IMG}, Planning`);
    });

    it('keeps them literal in the filter choices and the swimlane heads', async () => {
      const labels = await b.page.locator('vscode-single-select.label vscode-option').allTextContents();
      assert.deepEqual(labels.slice(1).sort(), ['<b>bold</b>', XSS_IMG, XSS_SCRIPT, "it's \"quoted\"", '{{x}}'].sort());
      const people = await b.page.locator('vscode-single-select.assignee vscode-option').allTextContents();
      assert.deepEqual(people.sort(), ['Anyone', 'Unassigned', XSS_SVG.replace(/^@/, ''), '<u>eve</u>', XSS_TEMPLATE].sort());
      const epics = await b.page.locator('vscode-single-select.epic vscode-option').allTextContents();
      assert.deepEqual(epics, ['Any epic', 'No epic', `${EVIL_EPIC} ${EVIL_EPIC_TITLE}`]);
      // Open the dropdowns: their lists are drawn in the components' shadow roots.
      for (const cls of ['label', 'assignee', 'epic']) {
        await b.page.locator(`vscode-single-select.${cls}`).click();
        await b.page.keyboard.press('Escape');
      }
      await choose(b, 'lanes-by', 'Swimlanes by epic');
      const lanes = await b.page.locator('.lane .lane-name').allTextContents();
      assert.deepEqual(lanes, [`${EVIL_EPIC} ${EVIL_EPIC_TITLE}`, 'No epic']);
      await choose(b, 'lanes-by', 'Swimlanes by assignee');
      const people2 = await b.page.locator('.lane .lane-name').allTextContents();
      assert.equal(people2.at(-1), 'Unassigned');
      assert.deepEqual(people2.slice(0, -1).sort(), [XSS_SVG, '<u>eve</u>', XSS_TEMPLATE].sort());
      await choose(b, 'lanes-by', 'No swimlanes');
    });

    it('finds a hostile title by typing part of it', async () => {
      await typeSearch(b, '</script><script>');
      assert.deepEqual(await shownIds(b), ['ISS-0102']);
      await typeSearch(b, '{{constructor');
      assert.deepEqual(await shownIds(b), ['ISS-0103']);
      await typeSearch(b, '');
      assert.equal(await b.page.locator('.card').count(), HOSTILE.length);
    });

    it('creates no element from them and runs none of them', async () => {
      const found = await b.page.evaluate(() => {
        const allowed = new Set(['DIV', 'SPAN', 'ARTICLE', 'SECTION']);
        const tags = new Set();
        const onAttrs = [];
        const walk = (root) => {
          for (const n of root.querySelectorAll('*')) {
            if (!allowed.has(n.tagName) && !n.tagName.startsWith('VSCODE-')) tags.add(n.tagName);
            // Text may sit in title, aria-label and data-* values; nothing may become a handler or a URL.
            for (const a of n.attributes) if (/^(on|src$|href$|srcdoc$|action$|formaction$)/i.test(a.name)) onAttrs.push(`${n.tagName} ${a.name}`);
            if (n.shadowRoot) for (const bad of n.shadowRoot.querySelectorAll('img, iframe, script, b, u')) tags.add(`shadow ${bad.tagName}`);
          }
        };
        walk(document.getElementById('app'));
        return {
          tags: [...tags],
          onAttrs,
          images: document.images.length,
          scripts: document.scripts.length,
          frames: window.frames.length,
          pwned: window.__pwned ?? null,
          bodyShown: getComputedStyle(document.body).display !== 'none',
        };
      });
      assert.deepEqual(found, { tags: [], onAttrs: [], images: 0, scripts: 1, frames: 0, pwned: null, bodyShown: true });
    });

    it('has no CSP violation, page error or dialog', () => assertClean(b));
  });

  describe('moving cards by drag and drop', () => {
    let b;
    before(async () => {
      b = await open();
      await init(b);
    });
    after(() => b?.close());

    it('marks the allowed and refused drop targets while dragging; dropping back home posts nothing', async () => {
      const n = await postedCount(b);
      const from = await cardLoc(b, 'TSK-0002').boundingBox();
      const over = await b.page.locator('.cell[data-state=ready_for_qa]').boundingBox();
      await b.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await b.page.mouse.down();
      await b.page.mouse.move(over.x + 40, over.y + 12, { steps: 5 });
      await b.page.mouse.move(over.x + 42, over.y + 14); // one more dragover on the target itself
      const during = await b.page.evaluate(() => ({
        dragging: document.querySelector('.board').classList.contains('is-dragging'),
        source: document.querySelector('.card[data-id="TSK-0002"]').classList.contains('dragging'),
        allowed: [...document.querySelectorAll('.cell.drop-allowed')].map((c) => c.dataset.state),
        refused: [...document.querySelectorAll('.cell.drop-refused')].map((c) => c.dataset.state),
        hover: [...document.querySelectorAll('.cell.drop-hover')].map((c) => c.dataset.state),
      }));
      // Back over its own column, then drop there.
      await b.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 + 3, { steps: 5 });
      await b.page.mouse.up();
      assert.deepEqual(during, {
        dragging: true,
        source: true,
        allowed: ['active', 'ready_for_qa', 'won_t_do'],
        refused: ['planning', 'ready_for_deployment', 'done'],
        hover: ['ready_for_qa'],
      });
      assert.equal(await b.page.locator('.drop-allowed, .drop-refused, .drop-hover, .dragging, .is-dragging').count(), 0);
      assert.deepEqual(await postedSince(b, n), []);
      assert.equal(await cellOf(b, 'TSK-0002'), 'ready_for_engineering');
    });

    it('drag onto an allowed column posts move and shows the card there, pending', async () => {
      const n = await postedCount(b);
      await drag(b, 'TSK-0001', 'ready_for_qa');
      const msgs = await postedSince(b, n);
      assert.equal(msgs.length, 1);
      assert.deepEqual(msgs[0], { type: 'move', requestId: msgs[0].requestId, file: byId('TSK-0001').file, from: 'ready_for_engineering', to: 'ready_for_qa' });
      assert.equal(typeof msgs[0].requestId, 'number');
      assert.equal(await cellOf(b, 'TSK-0001'), 'ready_for_qa');
      assert.ok((await classesOf(b, 'TSK-0001')).includes('pending'));
      assert.equal(await cardLoc(b, 'TSK-0001').getAttribute('aria-busy'), 'true');
      assert.deepEqual(await statusOf(b), { kind: 'info', text: 'Moving TSK-0001 to Ready for QA…' });
      const h = Object.fromEntries((await heads(b)).map((x) => [x.state, x.count]));
      assert.equal(h.ready_for_engineering, '1');
      assert.equal(h.ready_for_qa, '2 / 5');
    });

    it('a pending card is not moved again', async () => {
      const n = await postedCount(b);
      await drag(b, 'TSK-0001', 'ready_for_deployment');
      assert.deepEqual(await postedSince(b, n), []);
      assert.equal(await cellOf(b, 'TSK-0001'), 'ready_for_qa');
    });

    it('stays pending after moveResult ok, until an update carries the card in its new state', async () => {
      const move = (await posted(b)).find((m) => m.type === 'move' && m.file === byId('TSK-0001').file);
      await send(b, { type: 'moveResult', requestId: move.requestId, file: move.file, ok: true });
      assert.ok((await classesOf(b, 'TSK-0001')).includes('pending'));
      assert.equal(await cellOf(b, 'TSK-0001'), 'ready_for_qa');
      assert.deepEqual(await statusOf(b), { kind: 'info', text: 'TSK-0001 moved to Ready for QA.' });
      // An update about another card does not settle it.
      await update(b, [{ ...byId('ISS-0004'), title: 'Project setup (done)' }]);
      assert.ok((await classesOf(b, 'TSK-0001')).includes('pending'));
      await update(b, [{ ...byId('TSK-0001'), state: 'ready_for_qa', menu: 'item:task:ready_for_qa:labelled', hash: 'h2' }]);
      assert.ok(!(await classesOf(b, 'TSK-0001')).includes('pending'));
      assert.equal(await cardLoc(b, 'TSK-0001').getAttribute('aria-busy'), null);
      assert.equal(await cellOf(b, 'TSK-0001'), 'ready_for_qa');
      assert.match(await cardLoc(b, 'TSK-0001').getAttribute('aria-label'), /, Ready for QA$/);
    });

    it('drag onto a refused column posts move (for the host to offer force) but leaves the card, with an error', async () => {
      const n = await postedCount(b);
      await drag(b, 'ISS-0003', 'done');
      const msgs = await postedSince(b, n);
      assert.equal(msgs.length, 1);
      assert.deepEqual(msgs[0], { type: 'move', requestId: msgs[0].requestId, file: byId('ISS-0003').file, from: 'active', to: 'done' });
      assert.equal(await cellOf(b, 'ISS-0003'), 'active');
      const classes = await classesOf(b, 'ISS-0003');
      assert.ok(!classes.includes('pending'));
      assert.ok(classes.includes('refused'), 'the refused card flashes');
      const status = await statusOf(b);
      assert.equal(status.kind, 'error');
      assert.equal(status.text, 'ISS-0003: Active → Done is not an allowed transition. From Active an item may go to Ready for Engineering, Won\'t Do.');
      assert.equal(await b.page.locator('.status[data-kind=error]').isVisible(), true);
      // The host's refusal of that request changes nothing more.
      await send(b, { type: 'moveResult', requestId: msgs[0].requestId, file: msgs[0].file, ok: false, message: 'refused' });
      assert.equal(await cellOf(b, 'ISS-0003'), 'active');
    });

    it('moveResult ok:false puts a pending card back where it was, with the host’s message', async () => {
      const n = await postedCount(b);
      await drag(b, 'PR-0001', 'done');
      const [move] = await postedSince(b, n);
      assert.deepEqual(move, { type: 'move', requestId: move.requestId, file: byId('PR-0001').file, from: 'ready_for_deployment', to: 'done' });
      assert.equal(await cellOf(b, 'PR-0001'), 'done');
      assert.ok((await classesOf(b, 'PR-0001')).includes('pending'));
      await send(b, { type: 'moveResult', requestId: move.requestId, file: move.file, ok: false, message: 'EACCES: permission denied' });
      assert.equal(await cellOf(b, 'PR-0001'), 'ready_for_deployment');
      assert.ok(!(await classesOf(b, 'PR-0001')).includes('pending'));
      assert.deepEqual(await statusOf(b), { kind: 'error', text: 'PR-0001: EACCES: permission denied' });
      // Back where it was, it can be moved again.
      const m = await postedCount(b);
      await drag(b, 'PR-0001', 'ready_for_qa');
      assert.equal((await postedSince(b, m))[0]?.to, 'ready_for_qa');
      assert.equal(await cellOf(b, 'PR-0001'), 'ready_for_qa');
    });

    it('has no CSP violation, page error or dialog', () => assertClean(b));
  });

  describe('keyboard', () => {
    let b;
    before(async () => {
      b = await open();
      await init(b);
    });
    after(() => b?.close());

    it('Tab from the toolbar reaches the one tabbable card', async () => {
      await b.page.locator('.lanes-by').focus();
      // Swimlanes select → Archived checkbox → (Clear is disabled) → the board's tabbable card.
      await b.page.keyboard.press('Tab');
      await b.page.keyboard.press('Tab');
      assert.equal(await active(b), 'ISS-0001');
    });

    it('arrow keys, Home and End move focus between cards, and the tabbable card follows', async () => {
      await cardLoc(b, 'ISS-0002').focus();
      const keys = [
        ['ArrowDown', 'EP-0001'],
        ['ArrowDown', 'ISS-0003'],
        ['ArrowDown', 'ISS-0003'],
        ['ArrowUp', 'EP-0001'],
        ['Home', 'ISS-0002'],
        ['End', 'ISS-0003'],
        ['ArrowRight', 'TSK-0002'], // same row or the last one of the next column
        ['ArrowRight', 'TSK-0003'],
        ['ArrowLeft', 'TSK-0001'],
        ['ArrowLeft', 'ISS-0002'],
        ['ArrowLeft', 'ISS-0001'],
        ['ArrowLeft', 'ISS-0001'],
      ];
      for (const [key, want] of keys) {
        await b.page.keyboard.press(key);
        assert.equal(await active(b), want, `after ${key}`);
        assert.deepEqual(await tabbable(b), [want], `tabbable after ${key}`);
      }
      // Moving the focus posts nothing.
      assert.ok((await posted(b)).every((m) => m.type === 'ready'));
    });

    it('Enter and Space post open for the focused card; a click does too', async () => {
      const n = await postedCount(b);
      await cardLoc(b, 'TSK-0001').focus();
      await b.page.keyboard.press('Enter');
      await b.page.keyboard.press('ArrowDown');
      await b.page.keyboard.press(' ');
      await cardLoc(b, 'ISS-0004').click();
      assert.deepEqual(await postedSince(b, n), [
        { type: 'open', file: byId('TSK-0001').file },
        { type: 'open', file: byId('TSK-0002').file },
        { type: 'open', file: byId('ISS-0004').file },
      ]);
      assert.equal(await active(b), 'ISS-0004');
    });

    it('Alt+ArrowRight moves the focused card to the next column and keeps the focus on it', async () => {
      await cardLoc(b, 'TSK-0001').focus();
      const n = await postedCount(b);
      await b.page.keyboard.press('Alt+ArrowRight');
      const msgs = await postedSince(b, n);
      assert.equal(msgs.length, 1);
      assert.deepEqual(msgs[0], { type: 'move', requestId: msgs[0].requestId, file: byId('TSK-0001').file, from: 'ready_for_engineering', to: 'ready_for_qa' });
      assert.equal(await cellOf(b, 'TSK-0001'), 'ready_for_qa');
      assert.ok((await classesOf(b, 'TSK-0001')).includes('pending'));
      assert.equal(await active(b), 'TSK-0001');
      // Pending: pressing again does nothing.
      await b.page.keyboard.press('Alt+ArrowRight');
      assert.equal((await postedSince(b, n)).length, 1);
      await send(b, { type: 'moveResult', requestId: msgs[0].requestId, file: msgs[0].file, ok: true });
      await update(b, [{ ...byId('TSK-0001'), state: 'ready_for_qa' }]);
      assert.ok(!(await classesOf(b, 'TSK-0001')).includes('pending'));
      assert.equal(await active(b), 'TSK-0001');
    });

    it('Ctrl+ArrowLeft moves it back; a failed move returns it and focus stays on it', async () => {
      const n = await postedCount(b);
      await b.page.keyboard.press('Control+ArrowLeft');
      const [m] = await postedSince(b, n);
      assert.deepEqual(m, { type: 'move', requestId: m.requestId, file: byId('TSK-0001').file, from: 'ready_for_qa', to: 'ready_for_engineering' });
      assert.equal(await cellOf(b, 'TSK-0001'), 'ready_for_engineering');
      await send(b, { type: 'moveResult', requestId: m.requestId, file: m.file, ok: false, message: 'changed on disk' });
      assert.equal(await cellOf(b, 'TSK-0001'), 'ready_for_qa');
      assert.equal(await active(b), 'TSK-0001');
    });

    it('Alt+ArrowRight from Planning goes to the nearest column the rules allow (Ready for Engineering, past Active)', async () => {
      await cardLoc(b, 'ISS-0001').focus();
      const n = await postedCount(b);
      await b.page.keyboard.press('Alt+ArrowRight');
      const [m] = await postedSince(b, n);
      assert.deepEqual(m, { type: 'move', requestId: m.requestId, file: byId('ISS-0001').file, from: 'planning', to: 'ready_for_engineering' });
      assert.equal(await cellOf(b, 'ISS-0001'), 'ready_for_engineering');
      assert.ok((await classesOf(b, 'ISS-0001')).includes('pending'));
      await send(b, { type: 'moveResult', requestId: m.requestId, file: m.file, ok: false });
      assert.equal(await cellOf(b, 'ISS-0001'), 'planning');
      assert.equal(await active(b), 'ISS-0001');
      // Alt+ArrowLeft from the first column goes nowhere.
      await b.page.keyboard.press('Alt+ArrowLeft');
      assert.equal((await postedSince(b, n)).length, 1);
      assert.equal(await active(b), 'ISS-0001');
    });

    it('Alt+ArrowRight with no allowed column that way (Done → Won’t Do) is refused: move posted, card stays, error shown', async () => {
      await cardLoc(b, 'ISS-0004').focus();
      const n = await postedCount(b);
      await b.page.keyboard.press('Alt+ArrowRight');
      const msgs = await postedSince(b, n);
      assert.equal(msgs.length, 1);
      assert.deepEqual(msgs[0], { type: 'move', requestId: msgs[0].requestId, file: byId('ISS-0004').file, from: 'done', to: 'won_t_do' });
      assert.equal(await cellOf(b, 'ISS-0004'), 'done');
      assert.ok(!(await classesOf(b, 'ISS-0004')).includes('pending'));
      assert.ok((await classesOf(b, 'ISS-0004')).includes('refused'));
      const status = await statusOf(b);
      assert.equal(status.kind, 'error');
      assert.match(status.text, /^ISS-0004: Done → Won't Do is not an allowed transition/);
      assert.equal(await active(b), 'ISS-0004');
    });

    it('has no CSP violation, page error or dialog', () => assertClean(b));
  });

  describe('filters, swimlanes and saved state', () => {
    let b;
    before(async () => {
      b = await open();
      await init(b);
    });
    after(() => b?.close());

    it('typing into the search filters by id or title, any case, and saves it', async () => {
      await typeSearch(b, 'login');
      assert.deepEqual(await shownIds(b), ['ISS-0001', 'PR-0001', 'TSK-0002']);
      assert.equal(await countsText(b), '3 of 12 cards · 1 in hidden columns');
      const h = Object.fromEntries((await heads(b)).map((x) => [x.state, x]));
      assert.equal(h.planning.shown, '1 shown');
      assert.equal(h.planning.count, '2', 'the head still counts every card of the column');
      assert.equal(h.active.shown, '0 shown');
      assert.equal(h.active.over, true, 'the WIP limit counts filtered-out cards too');
      assert.equal((await b.state()).filter.text, 'login');
      assert.equal(await b.page.locator('.clear').getAttribute('disabled'), null);
      await typeSearch(b, 'tsk-000');
      assert.deepEqual(await shownIds(b), ['TSK-0001', 'TSK-0002', 'TSK-0003', 'TSK-0004']);
      await typeSearch(b, 'no such card');
      assert.deepEqual(await shownIds(b), []);
      assert.equal(await b.page.locator('.lane').count(), 1, 'an empty board keeps its one lane');
      await typeSearch(b, '');
      assert.equal((await shownIds(b)).length, 11);
      assert.equal((await b.state()).filter.text, undefined);
      assert.notEqual(await b.page.locator('.clear').getAttribute('disabled'), null);
    });

    it('the types multi-select keeps only the chosen types', async () => {
      await choose(b, 'types', 'Tasks');
      await b.page.getByRole('option', { name: 'PRs', exact: true }).click();
      await b.page.keyboard.press('Escape');
      assert.deepEqual(await shownIds(b), ['PR-0001', 'TSK-0001', 'TSK-0002', 'TSK-0003', 'TSK-0004']);
      assert.deepEqual((await b.state()).filter.types, ['task', 'pr']);
      await choose(b, 'types', 'Tasks');
      await b.page.getByRole('option', { name: 'PRs', exact: true }).click();
      await b.page.keyboard.press('Escape');
      assert.equal((await shownIds(b)).length, 11);
      assert.equal((await b.state()).filter.types, undefined);
    });

    it('the label select offers every label and keeps the cards that carry it', async () => {
      const offered = await b.page.locator('vscode-single-select.label vscode-option').allTextContents();
      assert.deepEqual(offered, ['Any label', 'backend', 'chore', 'frontend', 'pdf', 'security']);
      await choose(b, 'label', 'backend');
      assert.deepEqual(await shownIds(b), ['ISS-0002', 'ISS-0003', 'TSK-0001', 'TSK-0003']);
      assert.equal((await b.state()).filter.label, 'backend');
      await choose(b, 'label', 'Any label');
      assert.equal((await shownIds(b)).length, 11);
    });

    it('the assignee select: a person (with or without @) or Unassigned', async () => {
      const offered = await b.page.locator('vscode-single-select.assignee vscode-option').allTextContents();
      assert.deepEqual(offered, ['Anyone', 'Unassigned', 'alice', 'bob', 'carol']);
      await choose(b, 'assignee', 'alice');
      assert.deepEqual(await shownIds(b), ['EP-0001', 'ISS-0001', 'PR-0001', 'TSK-0001']);
      await choose(b, 'assignee', 'Unassigned');
      assert.deepEqual(await shownIds(b), ['EP-0002', 'ISS-0003', 'ISS-0004', 'TSK-0004']);
      assert.equal((await b.state()).filter.assignee, ':unassigned');
      await choose(b, 'assignee', 'Anyone');
      assert.equal((await shownIds(b)).length, 11);
    });

    it('the epic select: an epic or No epic', async () => {
      await choose(b, 'epic', 'EP-0002 Billing');
      assert.deepEqual(await shownIds(b), ['EP-0002', 'ISS-0003', 'TSK-0003']);
      await choose(b, 'epic', 'No epic');
      assert.deepEqual(await shownIds(b), ['ISS-0004', 'TSK-0004']);
      await choose(b, 'epic', 'Any epic');
      assert.equal((await shownIds(b)).length, 11);
    });

    it('filters combine, and Clear drops them all', async () => {
      await choose(b, 'label', 'frontend');
      await choose(b, 'assignee', 'alice');
      assert.deepEqual(await shownIds(b), ['ISS-0001', 'PR-0001']);
      await b.page.locator('.clear').click();
      assert.equal((await shownIds(b)).length, 11);
      assert.deepEqual((await b.state()).filter, {});
      assert.equal(await b.page.locator('vscode-single-select.label').evaluate((s) => s.value), '');
      assert.equal(await b.page.locator('vscode-single-select.assignee').evaluate((s) => s.value), '');
    });

    it('swimlanes by epic make one .lane per epic with a head, "No epic" last', async () => {
      await choose(b, 'lanes-by', 'Swimlanes by epic');
      assert.equal((await b.state()).swimlane, 'epic');
      const snap = await snapshot(b);
      assert.deepEqual(
        snap.map((l) => [l.lane, l.head]),
        [
          ['EP-0001', 'EP-0001 Authentication6'],
          ['EP-0002', 'EP-0002 Billing3'],
          [':none', 'No epic2'],
        ],
      );
      assert.deepEqual(Object.fromEntries(snap[1].cells.filter(([, ids]) => ids.length)), {
        planning: ['EP-0002'],
        active: ['ISS-0003'],
        ready_for_qa: ['TSK-0003'],
      });
      assert.equal(await b.page.locator('.lane-head').first().isVisible(), true);
      // Every lane has a cell per column.
      assert.equal(await b.page.locator('.lane .cell').count(), 3 * COLUMNS.length);
      assert.equal(await b.page.locator('.cell[data-state=active]').first().getAttribute('aria-label'), 'Active, EP-0001 Authentication');
      fs.mkdirSync(SHOTS, { recursive: true });
      await b.page.screenshot({ path: path.join(SHOTS, 'board.png') });
    });

    it('swimlanes by assignee, "Unassigned" last; a drag moves a card within its lane', async () => {
      await choose(b, 'lanes-by', 'Swimlanes by assignee');
      assert.deepEqual(
        (await snapshot(b)).map((l) => [l.lane, l.head]),
        [
          ['alice', 'alice4'],
          ['bob', 'bob2'],
          ['carol', 'carol1'],
          [':unassigned', 'Unassigned4'],
        ],
      );
      const n = await postedCount(b);
      await cardLoc(b, 'TSK-0002').dragTo(b.page.locator('.lane[data-lane=bob] .cell[data-state=active]'), { targetPosition: { x: 40, y: 12 } });
      assert.deepEqual((await postedSince(b, n)).map((m) => [m.type, m.to]), [['move', 'active']]);
      assert.equal(await cardLoc(b, 'TSK-0002').evaluate((n) => n.closest('.lane').dataset.lane), 'bob');
      assert.equal(await cellOf(b, 'TSK-0002'), 'active');
      await init(b); // back as it was (init drops pending moves)
      assert.equal(await cellOf(b, 'TSK-0002'), 'ready_for_engineering');
    });

    it('the Archived checkbox adds the archived column', async () => {
      assert.equal(await b.page.locator('.col-head[data-state=archived]').count(), 0);
      await b.page.locator('vscode-checkbox.archived').click();
      assert.equal((await b.state()).showArchived, true);
      assert.equal(await b.page.locator('.col-head').last().getAttribute('data-state'), 'archived');
      assert.equal(await cellOf(b, 'ISS-0005'), 'archived');
      assert.equal(await countsText(b), '12 of 12 cards');
    });

    it('saves the filters with setState, and a page opened with that state shows the same board', async () => {
      await typeSearch(b, 'o');
      await choose(b, 'types', 'Issues');
      await b.page.getByRole('option', { name: 'Tasks', exact: true }).click();
      await b.page.keyboard.press('Escape');
      await choose(b, 'label', 'backend');
      const saved = await b.state();
      assert.deepEqual(saved, {
        filter: { text: 'o', types: ['issue', 'task'], label: 'backend' },
        swimlane: 'assignee',
        showArchived: true,
        root: ROOT_DIR,
        ...(saved.scrollTop === undefined ? {} : { scrollTop: saved.scrollTop, scrollLeft: saved.scrollLeft }),
      });
      const want = await snapshot(b);
      assert.deepEqual(want.flatMap((l) => l.cells.flatMap(([, ids]) => ids)).sort(), ['ISS-0002', 'ISS-0003', 'TSK-0001']);
      const wantHeads = await heads(b);

      const again = await open({ state: saved });
      try {
        await init(again);
        assert.deepEqual(await snapshot(again), want);
        assert.deepEqual(await heads(again), wantHeads);
        const controls = await again.page.evaluate(() => ({
          text: document.querySelector('.search').value,
          types: document.querySelector('.types').value,
          label: document.querySelector('vscode-single-select.label').value,
          assignee: document.querySelector('vscode-single-select.assignee').value,
          lanes: document.querySelector('.lanes-by').value,
          archived: document.querySelector('.archived').checked,
          clearDisabled: document.querySelector('.clear').hasAttribute('disabled'),
        }));
        assert.deepEqual(controls, { text: 'o', types: ['issue', 'task'], label: 'backend', assignee: '', lanes: 'assignee', archived: true, clearDisabled: false });
        assert.equal(await again.page.locator('.search input').inputValue(), 'o');
        await assertClean(again);
      } finally {
        await again.close();
      }
    });

    it('has no CSP violation, page error or dialog', () => assertClean(b));
  });

  describe('live updates', () => {
    const BULK = Array.from({ length: 40 }, (_, i) =>
      card(`TSK-${String(100 + i).padStart(4, '0')}`, i % 2 ? 'active' : 'planning', { title: `Bulk job ${i}`, labels: ['bulk'] }),
    );
    const ALL = [...FIXTURE, ...BULK];
    let b;
    before(async () => {
      b = await open({ viewport: { width: 2000, height: 700 } });
      await init(b, ALL);
    });
    after(() => b?.close());

    const scroll = (b) => b.page.locator('.board').evaluate((n) => ({ top: n.scrollTop, left: n.scrollLeft }));

    it('changes, adds and removes cards without losing the filter, the scroll position or the focus', async () => {
      await typeSearch(b, 'bulk');
      assert.equal((await shownIds(b)).length, 40);
      // Focus a card near the middle, then scroll the board with the mouse wheel.
      await cardLoc(b, 'TSK-0110').focus();
      const box = await b.page.locator('.board').boundingBox();
      await b.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await b.page.mouse.wheel(0, 400);
      await b.page.waitForFunction(() => document.querySelector('.board').scrollTop >= 300);
      await b.page.waitForTimeout(300); // the board saves its scroll position 150 ms after the last scroll
      const before = await scroll(b);
      assert.equal((await b.state()).scrollTop, before.top);

      // TSK-0112 (same cell as the focused card) renamed, TSK-0111 moved to ready_for_engineering,
      // TSK-0120 removed, one matching card and one non-matching card added.
      const renamed = { ...byId('TSK-0112', ALL), title: 'Bulk job 12 (renamed)', hash: 'x1' };
      const moved = { ...byId('TSK-0111', ALL), state: 'ready_for_engineering', hash: 'x2' };
      const added = card('TSK-0200', 'ready_for_qa', { title: 'Bulk job new' });
      const other = card('TSK-0201', 'ready_for_qa', { title: 'Unrelated' });
      await update(b, [renamed, moved, added, other], [byId('TSK-0120', ALL).file]);

      assert.equal(await cardLoc(b, 'TSK-0112').locator('.card-title').textContent(), 'Bulk job 12 (renamed)');
      assert.equal(await cellOf(b, 'TSK-0111'), 'ready_for_engineering');
      assert.equal(await cardLoc(b, 'TSK-0120').count(), 0);
      assert.equal(await cellOf(b, 'TSK-0200'), 'ready_for_qa');
      assert.equal(await cardLoc(b, 'TSK-0201').count(), 0, 'the filter still hides a new card that does not match');
      assert.equal(await countsText(b), `40 of ${ALL.length + 1} cards · 1 in hidden columns`);
      assert.equal(await b.page.locator('.search input').inputValue(), 'bulk');
      assert.equal((await b.state()).filter.text, 'bulk');
      assert.deepEqual(await scroll(b), before);
      assert.equal(await active(b), 'TSK-0110');
      assert.deepEqual(await tabbable(b), ['TSK-0110']);
    });

    it('keeps the same element for a card that did not change', async () => {
      await b.page.evaluate(() => (window.__kept = document.querySelector('.card[data-id="TSK-0104"]')));
      await update(b, [{ ...byId('TSK-0106', ALL), title: 'Bulk job 6 again', hash: 'x3' }]);
      assert.equal(await b.page.evaluate(() => window.__kept === document.querySelector('.card[data-id="TSK-0104"]')), true);
      assert.equal(await active(b), 'TSK-0110');
    });

    it('an update that removes the focused card gives the tab stop to another card', async () => {
      await update(b, [], [byId('TSK-0110', ALL).file]);
      assert.equal(await cardLoc(b, 'TSK-0110').count(), 0);
      assert.equal((await tabbable(b)).length, 1);
    });

    it('a new init (settings changed) keeps the filter and the scroll position', async () => {
      await b.page.locator('.board').evaluate((n) => n.scrollTo(0, 350));
      await b.page.waitForTimeout(300);
      await init(b, ALL, { settings: { columns: COLUMNS, wipLimits: { planning: 3 } } });
      assert.equal((await shownIds(b)).length, 40);
      assert.equal(await b.page.locator('.col-head[data-state=planning]').evaluate((h) => h.classList.contains('over-limit')), true);
      assert.equal(await b.page.locator('.search input').inputValue(), 'bulk');
      // Restored from the saved position; the browser's scroll anchoring may shift it by a few pixels
      // when the heads change height (a WIP badge turns into a counter badge).
      assert.ok(Math.abs((await scroll(b)).top - 350) <= 12, `scrollTop ${(await scroll(b)).top}`);
    });

    it('has no CSP violation, page error or dialog', () => assertClean(b));
  });

  // Where filters, focus, scrolling and refused moves meet.
  describe('edge cases', () => {
    const DATA = [...FIXTURE, ...Array.from({ length: 30 }, (_, i) => card(`TSK-${String(300 + i).padStart(4, '0')}`, 'active', { title: `Bulk ${i}` }))];
    let b;
    before(async () => {
      b = await open({ viewport: { width: 2000, height: 700 } });
    });
    after(() => b?.close());
    // Each starts from a board without filters, scrolled to the top.
    beforeEach(async () => {
      await typeSearch(b, '');
      if ((await b.page.locator('.clear').getAttribute('disabled')) === null) await b.page.locator('.clear').click();
      await init(b, DATA);
      await b.page.locator('.board').evaluate((n) => n.scrollTo(0, 0));
      await b.page.locator('.search input').blur();
    });

    it('Clear also resets the types multi-select', async () => {
      await choose(b, 'types', 'Epics', { close: true });
      assert.deepEqual((await b.state()).filter.types, ['epic']);
      await b.page.locator('.clear').click();
      assert.deepEqual((await b.state()).filter, {});
      // Not only the saved filter: the control too, or its next change would bring the old types back.
      assert.deepEqual(await b.page.locator('.types').evaluate((s) => s.value), []);
    });

    it('a filter that hides the focused card leaves another card tabbable', async () => {
      await cardLoc(b, 'ISS-0001').focus();
      await typeSearch(b, 'TSK');
      // The hidden card's element is cached but off the page: the tab stop moves to a shown card.
      assert.equal((await tabbable(b)).length, 1);
    });

    it('a live update of the focused card does not scroll the board', async () => {
      await cardLoc(b, 'TSK-0300').focus();
      const box = await b.page.locator('.board').boundingBox();
      await b.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await b.page.mouse.wheel(0, 800);
      await b.page.waitForFunction(() => document.querySelector('.board').scrollTop >= 700);
      await b.page.waitForTimeout(200);
      const top = await b.page.locator('.board').evaluate((n) => n.scrollTop);
      await update(b, [{ ...card('TSK-0300', 'active', { title: 'Bulk 0 (edited by an agent)' }) }]);
      assert.equal(await active(b), 'TSK-0300');
      // The re-built card gets the focus back without being scrolled into view.
      assert.equal(await b.page.locator('.board').evaluate((n) => n.scrollTop), top);
    });

    it('a move the host refuses (moveResult ok:false) flashes the card', async () => {
      const n = await postedCount(b);
      await drag(b, 'TSK-0001', 'ready_for_qa');
      const [m] = await postedSince(b, n);
      await send(b, { type: 'moveResult', requestId: m.requestId, file: m.file, ok: false, message: 'no' });
      assert.equal(await cellOf(b, 'TSK-0001'), 'ready_for_engineering');
      // The flash is on the element shown back in the old column, not on the pending one it replaced.
      assert.ok((await classesOf(b, 'TSK-0001')).includes('refused'));
    });

    it('a label filter stays visible in its select when no card carries the label any more', async () => {
      await choose(b, 'label', 'pdf');
      assert.deepEqual(await shownIds(b), ['ISS-0003']);
      await update(b, [{ ...byId('ISS-0003'), labels: ['backend'], hash: 'no-pdf' }]);
      // The board still filters by "pdf" (and shows nothing): the select must show that, so it can be changed.
      assert.equal((await b.state()).filter.label, 'pdf');
      assert.equal(await b.page.locator('vscode-single-select.label').evaluate((s) => s.value), 'pdf');
    });

    it('has no CSP violation, page error or dialog', () => assertClean(b));
  });
});
