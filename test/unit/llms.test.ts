import * as assert from 'assert/strict';
import * as path from 'path';
import type { Token } from 'marked';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/core/config';
import { Project, TaskIndex } from '../../src/core/index';
import {
  autoGenerate,
  bodyOf,
  checkLlmsFullTxt,
  checkLlmsTxt,
  includeClosed,
  LIMITS,
  llmsFullItems,
  llmsFullTxt,
  llmsPaths,
  llmsSource,
  llmsTxt,
  mdText,
  mdUrl,
  readBodySync,
} from '../../src/core/llms';
import { Item } from '../../src/core/model';
import { indexProject, loadProject } from '../../src/core/project';
import { corpus, REPO } from './helpers';

const ROOT = path.resolve('/ws');
const f = (...parts: string[]) => path.join(ROOT, 'tasks', ...parts);

/** A task file: frontmatter written by the yaml library (so any title survives as data), then a body. */
const fm = (data: Record<string, unknown>, body = '') => `---\n${stringify(data)}---\n${body}`;

const BASE_CONFIG = [
  'name: acme',
  'description: "Storefront for ACME: checkout, search and payments"',
  'sync:',
  '  github: {enabled: true, repo: acme/web, token: ghp_SECRET123}',
  '  jira: {enabled: false, url: "https://acme.atlassian.net", api_token: JIRA_SECRET}',
  'automation:',
  '  budget_alerts: [{threshold: 0.75}, {threshold: 0.9}]',
  'teams:',
  '  web: {token_budget: 50000}',
  '',
].join('\n');

function makeProject(yaml: string, root = ROOT): Project {
  const { config, errors } = parseConfig(yaml, path.basename(root));
  assert.deepEqual(errors, []);
  return { root, config, configErrors: [], hasConfig: true };
}

/** The files of the content tests: four epics (one closed), what moves under them, an orphan. */
function acmeFiles(): Record<string, string> {
  return {
    [f('epics', 'EP-0001-checkout.md')]: fm(
      { epic_id: 'EP-0001', title: 'Checkout', status: 'active', priority: 'high', token_budget: 10000, actual_tokens: 1000, updated_date: '2026-11-02T00:00:00.000Z' },
      '# Checkout\n\nThe new checkout.\n',
    ),
    [f('issues', 'ISS-0001-cart.md')]: fm(
      { issue_id: 'ISS-0001', epic_id: 'EP-0001', title: 'Cart page', status: 'active', state: 'ready_for_qa', priority: 'high', actual_tokens: 4000 },
      '# Cart page\n\nShows the cart.\n',
    ),
    [f('tasks', 'TSK-0001-markup.md')]: fm({ task_id: 'TSK-0001', issue_id: 'ISS-0001', title: 'Cart markup', status: 'active', priority: 'medium', actual_tokens: 3000 }, 'markup body\n'),
    [f('tasks', 'TSK-0002-styles.md')]: fm({ task_id: 'TSK-0002', issue_id: 'ISS-0001', title: 'Cart styles', status: 'completed' }, 'closed task body\n'),
    [f('prs', 'PR-0001-cart.md')]: fm({ pr_id: 'PR-0001', issue_id: 'ISS-0001', title: 'Cart PR', status: 'active', pr_status: 'review', priority: 'low', branch_name: 'feat/cart' }, 'pr body\n'),
    [f('issues', 'comments', 'ISS-0001', 'COMMENT-0001.md')]: fm({ id: 'COMMENT-0001', issueId: 'ISS-0001', author: 'bob', createdAt: '2026-11-03T00:00:00.000Z' }, 'Looks good.\n'),
    [f('issues', 'ISS-0002-wallet.md')]: fm({ issue_id: 'ISS-0002', epic_id: 'EP-0001', title: 'Wallet', status: 'completed' }),
    [f('epics', 'EP-0002-search.md')]: fm({ epic_id: 'EP-0002', title: 'Search', status: 'planning', priority: 'medium' }),
    [f('epics', 'EP-0003-old.md')]: fm({ epic_id: 'EP-0003', title: 'Old payments', status: 'completed' }, 'closed epic body\n'),
    [f('epics', 'EP-0004-payments.md')]: fm({ epic_id: 'EP-0004', title: 'Payments', status: 'active', priority: 'critical', token_budget: 2000 }),
    [f('issues', 'ISS-0003-card.md')]: fm({
      issue_id: 'ISS-0003',
      epic_id: 'EP-0004',
      title: 'Card form',
      status: 'active',
      actual_tokens: 2500,
      token_usage: { total: 2500, by_team: { web: 2500 } },
    }),
    [f('issues', 'ISS-0004-orphan.md')]: fm({ issue_id: 'ISS-0004', epic_id: 'EP-0404', title: 'Orphan', status: 'active' }),
  };
}

function build(files: Record<string, string>, yaml = BASE_CONFIG, order: 'forward' | 'reverse' = 'forward') {
  const index = new TaskIndex();
  const project = makeProject(yaml);
  index.setProject(project);
  const entries = Object.entries(files);
  if (order === 'reverse') entries.reverse();
  for (const [file, text] of entries) assert.ok(index.set(file, text), `${file} is not a task file`);
  const bodies = new Map(entries.map(([file, text]) => [file, bodyOf(text)]));
  const read = (item: Item) => bodies.get(item.file);
  return { index, project, read, full: () => llmsFullTxt(index, project, read), txt: () => llmsTxt(index, project) };
}

/** The lines of one `## name` section of llms.txt, blank lines dropped. */
function section(text: string, name: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`## ${name}`);
  if (start === -1) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break;
    if (line.trim()) out.push(line);
  }
  return out;
}

// ---- independent structure checks: by line, and by a real markdown parser

const LINK_LINE = /^- \[(?:[^[\]\\]|\\.)+\]\([^\s()<>]+\)(?:: \S.*)?$/;

/** The llmstxt.org rules, checked line by line without the module's own validator. */
function assertLlmsStructure(text: string) {
  const lines = text.split('\n');
  assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'), 'one final newline');
  const nonBlank = lines.map((l, i) => [l, i] as const).filter(([l]) => l.trim());
  assert.match(nonBlank[0][0], /^# \S/, 'the first line is the H1');
  assert.equal(lines.filter((l) => /^ {0,3}#(\s|$)/.test(l)).length, 1, 'exactly one H1');
  assert.match(nonBlank[1][0], /^> \S/, 'the summary blockquote comes next');
  const firstH2 = lines.findIndex((l) => l.startsWith('## '));
  assert.ok(firstH2 > nonBlank[1][1], 'there are H2 sections after the summary');
  for (const l of lines.slice(nonBlank[1][1] + 1, firstH2)) assert.doesNotMatch(l, /^ {0,3}(#|=+\s*$|-{2,}\s*$)/, `no heading in the free text: ${l}`);
  const names: string[] = [];
  let count = 0;
  for (const l of lines.slice(firstH2)) {
    if (!l.trim()) continue;
    if (l.startsWith('## ')) {
      if (names.length) assert.ok(count > 0, `section ${names[names.length - 1]} has links`);
      names.push(l.slice(3));
      count = 0;
      continue;
    }
    assert.match(l, LINK_LINE, `only link list items in section ${names[names.length - 1]}`);
    count++;
  }
  assert.ok(count > 0, 'the last section has links');
  assert.equal(new Set(names).size, names.length, 'no section twice');
  if (names.includes('Optional')) assert.equal(names[names.length - 1], 'Optional', 'Optional is the last section');
  return names;
}

type Marked = typeof import('marked');
let marked: Marked['marked'] | undefined;
before(async () => {
  // marked comes with @vscode/vsce; without it the parser-based checks are skipped, the others still run.
  try {
    marked = (await import('marked')).marked;
  } catch {
    marked = undefined;
  }
});

/** Plain text of inline tokens, escapes resolved; HTML is kept raw so a test can see it. */
function plain(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((t) => {
      const tt = t as Token & { tokens?: Token[]; text?: string; raw: string };
      if (tt.type === 'html') return tt.raw;
      if (tt.tokens) return plain(tt.tokens);
      return tt.text ?? tt.raw;
    })
    .join('');
}

function walk(tokens: Token[], visit: (t: Token) => void) {
  for (const t of tokens) {
    visit(t);
    const tt = t as Token & { tokens?: Token[]; items?: Token[] };
    if (tt.tokens) walk(tt.tokens, visit);
    if (tt.items) walk(tt.items, visit);
  }
}

interface ParsedLink {
  text: string;
  href: string;
  notes: string;
}

/** llms.txt as a markdown parser reads it: the title, the sections and their links. */
function parseLlms(text: string): { title: string; summary: string; sections: Map<string, ParsedLink[]> } | undefined {
  if (!marked) return undefined;
  const tokens = marked.lexer(text).filter((t) => t.type !== 'space');
  walk(tokens, (t) => assert.notEqual(t.type, 'html', `raw HTML in the output: ${(t as { raw: string }).raw}`));
  const headings = tokens.filter((t) => t.type === 'heading') as (Token & { depth: number })[];
  assert.equal(headings.filter((h) => h.depth === 1).length, 1, 'one H1');
  assert.ok(headings.every((h) => h.depth <= 2), 'no heading below H2');
  assert.equal(tokens[0].type, 'heading');
  assert.equal((tokens[0] as { depth: number }).depth, 1);
  assert.equal(tokens[1].type, 'blockquote');
  const sections = new Map<string, ParsedLink[]>();
  let current: ParsedLink[] | undefined;
  for (const t of tokens.slice(2)) {
    if (t.type === 'heading') {
      sections.set(plain((t as { tokens: Token[] }).tokens), (current = []));
      continue;
    }
    if (!current) {
      assert.ok(['paragraph', 'list'].includes(t.type), `free text is paragraphs and lists, not ${t.type}`);
      continue;
    }
    assert.equal(t.type, 'list', 'a section holds a list');
    for (const item of (t as { items: { tokens: Token[] }[] }).items) {
      const inline = (item.tokens[0] as { tokens: Token[] }).tokens;
      const links: Token[] = [];
      walk(inline, (x) => x.type === 'link' && links.push(x));
      assert.equal(links.length, 1, `one link per entry: ${plain(inline)}`);
      assert.equal(inline[0].type, 'link', 'the entry starts with its link');
      const l = inline[0] as Token & { href: string; tokens: Token[] };
      const notes = plain(inline.slice(1));
      assert.ok(notes === '' || notes.startsWith(': '), `notes follow ": " (${notes})`);
      current.push({ text: plain(l.tokens), href: l.href, notes: notes.slice(2) });
    }
  }
  return { title: plain((tokens[0] as { tokens: Token[] }).tokens), summary: plain((tokens[1] as { tokens: Token[] }).tokens), sections };
}

/** llms-full.txt as a parser reads it: headings (depth, text) and the bodies of the code blocks. */
function parseFull(text: string): { headings: [number, string][]; codes: string[] } | undefined {
  if (!marked) return undefined;
  const tokens = marked.lexer(text);
  walk(tokens, (t) => assert.notEqual(t.type, 'html', `raw HTML outside a body: ${(t as { raw: string }).raw}`));
  const headings = tokens.filter((t) => t.type === 'heading').map((t) => [(t as { depth: number }).depth, plain((t as { tokens: Token[] }).tokens)] as [number, string]);
  const codes = tokens.filter((t) => t.type === 'code').map((t) => (t as { text: string }).text);
  return { headings, codes };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('llms.txt', () => {
  describe('safe markdown pieces', () => {
    it('mdText keeps text on one line and escapes what could open a link, a code span or HTML', () => {
      assert.equal(mdText('a [b] c'), 'a \\[b\\] c');
      assert.equal(mdText('one\ntwo\r\nthree\u2028four\tfive'), 'one two three four five');
      assert.equal(mdText('<script>x</script>'), '\\<script\\>x\\</script\\>');
      assert.equal(mdText('back\\slash `tick`'), 'back\\\\slash \\`tick\\`');
      assert.equal(mdText('# heading'), '\\# heading');
      assert.equal(mdText('- item'), '\\- item');
      assert.equal(mdText('1. item'), '1\\. item');
      assert.equal(mdText('C# and ###'), 'C# and \\###');
      assert.equal(mdText('plain: text (with) parens'), 'plain: text (with) parens');
      assert.equal(mdText('see https://x.example/a or www.x.example, mail bob@x.example'), 'see https:\\/\\/x.example/a or www\\.x.example, mail bob\\@x.example');
      assert.equal(mdText('@alice'), '@alice');
      assert.equal(mdText('x](y)'), 'x\\]\\(y)');
    });

    it('mdUrl percent-encodes each path segment, parentheses too, and keeps the slashes', () => {
      assert.equal(mdUrl('tasks/epics/EP-0001-a b(1)é#?.md'), 'tasks/epics/EP-0001-a%20b%281%29%C3%A9%23%3F.md');
      assert.equal(mdUrl('tasks/epics/'), 'tasks/epics/');
    });

    it('llms.txt goes at the root, llms-full.txt in docs/', () => {
      assert.deepEqual(llmsPaths(ROOT), { index: path.join(ROOT, 'llms.txt'), full: path.join(ROOT, 'docs', 'llms-full.txt') });
    });
  });

  describe('structure', () => {
    it('one H1 first, the summary next, free text without headings, then only link-list sections, Optional last', () => {
      const { txt } = build(acmeFiles());
      const text = txt();
      assert.deepEqual(checkLlmsTxt(text), []);
      const names = assertLlmsStructure(text);
      assert.deepEqual(names, ['Project overview', 'Current focus', 'Key files', 'Token budget', 'Integrations', 'Optional']);
      const parsed = parseLlms(text);
      if (parsed) {
        assert.equal(parsed.title, 'acme');
        assert.equal(parsed.summary, 'Storefront for ACME: checkout, search and payments');
        assert.deepEqual([...parsed.sections.keys()], names);
      }
    });

    it('a project with no items and no config is still well formed', () => {
      const index = new TaskIndex();
      const project: Project = { ...makeProject('name: empty\n'), hasConfig: false };
      index.setProject(project);
      const text = llmsTxt(index, project);
      assert.deepEqual(checkLlmsTxt(text), []);
      assertLlmsStructure(text);
      assert.match(text, /^> An ai-trackdown project with no items yet; 0 open, 0 in progress\.$/m);
      assert.doesNotMatch(text, /config\.yaml\)/, 'no link to a config file that is not there');
      assert.deepEqual(checkLlmsFullTxt(llmsFullTxt(index, project, () => '')), []);
    });

    it('checkLlmsTxt finds each broken rule', () => {
      const good = build(acmeFiles()).txt();
      const broken = (edit: (s: string) => string) => checkLlmsTxt(edit(good));
      const one = (edit: (s: string) => string, pattern: RegExp) => {
        const problems = broken(edit);
        assert.ok(problems.some((p) => pattern.test(p)), `expected ${pattern} in ${JSON.stringify(problems)}`);
      };
      one((s) => s.replace(/^# acme/, 'acme'), /first line must be the H1/);
      one((s) => s.replace(/^> .*\n/m, ''), /"> summary" blockquote must follow/);
      one((s) => s.replace('## Project overview', '# Second\n\n## Project overview'), /second H1/);
      one((s) => s.replace('## Project overview', '### Sub\n\n## Project overview'), /H3 heading before the first H2/);
      one((s) => s.replace('## Key files\n', '## Key files\n\nSome prose.\n'), /section "Key files" the line is not a "- \[name\]\(url\)"/);
      one((s) => s.replace('## Key files\n', '## Key files\n\n### Deeper\n'), /H3 heading inside a section/);
      one((s) => s.replace('- [Project config]', '- [Project [config]'), /unescaped "\[" in its link text/);
      one((s) => s.replace('(.ai-trackdown/config.yaml)', '(.ai-trackdown/my config.yaml)'), /url with a space/);
      one((s) => s.replace('## Optional', '## Optional\n\n- [x](y)\n\n## After'), /"Optional" section must be the last/);
      one((s) => `${s}\n## Empty\n`, /section "Empty" holds no links/);
      one((s) => s.replace('## Key files', '## Current focus'), /appears twice/);
      one((s) => s.replace(/\): Active · high priority/, '): Active [x](http://evil) · high priority'), /unescaped "\[" in its notes/);
      assert.deepEqual(checkLlmsTxt(''), ['the text is empty']);
    });

    it('checkLlmsFullTxt finds a second H1, a heading outside the groups, an item without its file link, an unclosed fence', () => {
      const good = build(acmeFiles()).full();
      assert.deepEqual(checkLlmsFullTxt(good), []);
      assert.ok(checkLlmsFullTxt(good.replace('## EP-0001', '# Again\n\n## EP-0001')).some((p) => /second H1/.test(p)));
      assert.ok(checkLlmsFullTxt(good.replace(/- File: \[tasks\/issues\/ISS-0001/, '- Nope: [tasks/issues/ISS-0001')).some((p) => /does not start with its "- File:" link/.test(p)));
      assert.ok(checkLlmsFullTxt(`${good}\n\`\`\`markdown\nopen\n`).some((p) => /never closed/.test(p)));
      assert.ok(checkLlmsFullTxt(good.replace('## EP-0001', '##### Deep\n\n## EP-0001')).some((p) => /H5 heading outside a body/.test(p)));
    });
  });

  describe('content', () => {
    it('the overview counts items by type and state, linking each type folder', () => {
      const text = build(acmeFiles()).txt();
      assert.deepEqual(section(text, 'Project overview'), [
        '- [Epics](tasks/epics/): 4 · 3 open · Planning 1, Active 2, Done 1',
        '- [Issues](tasks/issues/): 4 · 3 open · Active 2, Ready for QA 1, Done 1',
        '- [Tasks](tasks/tasks/): 2 · 1 open · Active 1, Done 1',
        '- [PRs](tasks/prs/): 1 · 1 open · Active 1',
        '- [Comments](tasks/issues/comments/): 1',
      ]);
      assert.match(text, /^- Items: 11 \(4 epics, 4 issues, 2 tasks and 1 PR\); 8 open, 3 closed, 7 in progress\.$/m);
    });

    it('current focus: open epics, most active first, each with its progress and the items in progress under it', () => {
      const text = build(acmeFiles()).txt();
      assert.deepEqual(section(text, 'Current focus'), [
        '- [EP-0001: Checkout](tasks/epics/EP-0001-checkout.md): Active · high priority · 1/2 done (50%) · 3 in progress',
        '- [ISS-0001: Cart page](tasks/issues/ISS-0001-cart.md): Ready for QA · issue in EP-0001 · high priority',
        '- [TSK-0001: Cart markup](tasks/tasks/TSK-0001-markup.md): Active · task in EP-0001 · medium priority',
        '- [PR-0001: Cart PR](tasks/prs/PR-0001-cart.md): Active · PR in EP-0001 · low priority',
        '- [EP-0004: Payments](tasks/epics/EP-0004-payments.md): Active · critical priority · 0/1 done (0%) · 1 in progress',
        '- [ISS-0003: Card form](tasks/issues/ISS-0003-card.md): Active · issue in EP-0004',
        '- [EP-0002: Search](tasks/epics/EP-0002-search.md): Planning · medium priority · no child items yet',
        '- [ISS-0004: Orphan](tasks/issues/ISS-0004-orphan.md): Active · issue outside any epic',
      ]);
      assert.deepEqual(section(text, 'Optional'), ['- [EP-0003: Old payments](tasks/epics/EP-0003-old.md): Done · no child items yet']);
    });

    it('token budget: the project and each open epic, used against budget with the alert reached, and team budgets', () => {
      const text = build(acmeFiles()).txt();
      assert.deepEqual(section(text, 'Token budget'), [
        '- [Project acme](.ai-trackdown/config.yaml): 10,500 tokens used in all · 2 of 4 epics have a budget: 10,500 of 12,000 tokens (88%) · past the 75% alert',
        '- [EP-0004: Payments](tasks/epics/EP-0004-payments.md): 2,500 of 2,000 tokens (125%) · over budget',
        '- [EP-0001: Checkout](tasks/epics/EP-0001-checkout.md): 8,000 of 10,000 tokens (80%) · past the 75% alert',
        '- [Team web](.ai-trackdown/config.yaml): 2,500 of 50,000 tokens (5%)',
      ]);
    });

    it('the project budget is set against all the tokens when every epic has one (project.default_epic_budget)', () => {
      const files = acmeFiles();
      delete files[f('issues', 'ISS-0004-orphan.md')];
      const text = build(files, `${BASE_CONFIG}project: {default_epic_budget: 5000}\n`).txt();
      assert.equal(
        section(text, 'Token budget')[0],
        '- [Project acme](.ai-trackdown/config.yaml): 10,500 of 22,000 tokens (48%) · the sum of the epic budgets',
      );
      assert.ok(section(text, 'Token budget').includes('- [EP-0002: Search](tasks/epics/EP-0002-search.md): 0 of 5,000 tokens (0%)'));
    });

    it('integrations: which of GitHub, Jira and Linear the config sets up, never a secret', () => {
      const text = build(acmeFiles()).txt();
      assert.deepEqual(section(text, 'Integrations'), [
        '- [GitHub](.ai-trackdown/config.yaml): enabled · repo acme/web',
        '- [Jira](.ai-trackdown/config.yaml): configured, disabled · url https:\\/\\/acme.atlassian.net',
        '- [Linear](.ai-trackdown/config.yaml): not configured',
      ]);
      assert.match(text, /^- Integrations: GitHub \(enabled\) and Jira \(disabled\)\.$/m);
      assert.doesNotMatch(text + build(acmeFiles()).full(), /SECRET/);
    });

    it('no integration configured: the free text says so', () => {
      const text = build(acmeFiles(), 'name: acme\n').txt();
      assert.match(text, /^- Integrations: none configured \(no GitHub, Jira or Linear sync in the project config\)\.$/m);
      assert.deepEqual(section(text, 'Integrations').map((l) => l.replace(/\].*: /, '] ')), ['- [GitHub] not configured', '- [Jira] not configured', '- [Linear] not configured']);
    });

    it('the summary is the config description, else one made from the counts', () => {
      assert.match(build(acmeFiles()).txt(), /^> Storefront for ACME: checkout, search and payments$/m);
      assert.match(build(acmeFiles(), 'name: acme\n').txt(), /^> An ai-trackdown project with 4 epics, 4 issues, 2 tasks and 1 PR; 8 open, 7 in progress\.$/m);
    });

    it('key files: config, counters, templates and llms-full.txt, each with a note; missing ones are left out', () => {
      const { index, project } = build(acmeFiles());
      assert.deepEqual(section(llmsTxt(index, project), 'Key files').map((l) => l.replace(/\): .*/, ')')), [
        '- [Project config](.ai-trackdown/config.yaml)',
        '- [Id counters](.ai-trackdown/counters.json)',
        '- [Templates](tasks/templates/)',
        '- [Full content](docs/llms-full.txt)',
      ]);
      const only = llmsTxt(index, project, { exists: (rel) => rel === '.ai-trackdown/config.yaml' });
      assert.deepEqual(section(only, 'Key files').map((l) => l.replace(/\): .*/, ')')), ['- [Project config](.ai-trackdown/config.yaml)', '- [Full content](docs/llms-full.txt)']);
      assert.ok(section(only, 'Key files').every((l) => /\): \S/.test(l)), 'every key file has a note');
    });

    it('urls follow the project folders and are percent-encoded', () => {
      const index = new TaskIndex();
      const project = makeProject('name: billing\ntasks_directory: work\nstructure: {issues_dir: stories}\nnaming_conventions: {epic_prefix: BEP, issue_prefix: BST}\n');
      index.setProject(project);
      index.set(path.join(ROOT, 'work', 'epics', 'BEP-0001-naïve (draft) #1.md'), fm({ epic_id: 'BEP-0001', title: 'Invoices', status: 'active' }));
      index.set(path.join(ROOT, 'work', 'stories', 'BST-0001-pdf.md'), fm({ issue_id: 'BST-0001', epic_id: 'BEP-0001', title: 'PDF', status: 'active' }));
      const text = llmsTxt(index, project);
      assert.deepEqual(checkLlmsTxt(text), []);
      assert.ok(text.includes('- [BEP-0001: Invoices](work/epics/BEP-0001-na%C3%AFve%20%28draft%29%20%231.md): Active'));
      assert.ok(text.includes('- [BST-0001: PDF](work/stories/BST-0001-pdf.md): Active · issue in BEP-0001'));
      assert.ok(text.includes('- [Issues](work/stories/): 1'));
      const full = llmsFullTxt(index, project, () => '');
      assert.ok(full.includes('- File: [work/epics/BEP-0001-naïve (draft) #1.md](../work/epics/BEP-0001-na%C3%AFve%20%28draft%29%20%231.md)'));
    });

    it('long lists stop at the limits and point at the folder for the rest', () => {
      const files: Record<string, string> = {};
      const n = LIMITS.focusEpics + LIMITS.optionalEpics + 3;
      for (let i = 1; i <= n; i++) {
        const id = `EP-${String(i).padStart(4, '0')}`;
        files[f('epics', `${id}-e.md`)] = fm({ epic_id: id, title: `Epic ${i}`, status: 'active' });
      }
      for (let i = 1; i <= LIMITS.itemsPerEpic + 2; i++) {
        const id = `ISS-${String(i).padStart(4, '0')}`;
        files[f('issues', `${id}-i.md`)] = fm({ issue_id: id, epic_id: 'EP-0007', title: `Issue ${i}`, status: 'active' });
      }
      const text = build(files, 'name: big\n').txt();
      assert.deepEqual(checkLlmsTxt(text), []);
      const focus = section(text, 'Current focus');
      assert.equal(focus.filter((l) => l.startsWith('- [EP-')).length, LIMITS.focusEpics);
      assert.equal(focus.filter((l) => l.startsWith('- [ISS-')).length, LIMITS.itemsPerEpic);
      assert.match(focus[0], /^- \[EP-0007: Epic 7\].*· 7 in progress \(5 listed\)$/);
      const optional = section(text, 'Optional');
      assert.equal(optional.length, LIMITS.optionalEpics + 1);
      assert.equal(optional[optional.length - 1], '- [More open epics](tasks/epics/): 3 more open epics are not listed here');
    });
  });

  describe('hostile text', () => {
    const HOSTILE = [
      'Evil](http://evil.example/) [click',
      'a [b] c',
      'close ) paren (open',
      'line one\nline two',
      'first\n# Injected heading',
      '# heading title',
      '<script>alert(1)</script>',
      'back\\slash \\] and \\[',
      '`code span` and ``` fence',
      '- [fake](http://evil.example/)',
      '> quote\n\n## Fake section\n- [x](http://evil.example/)',
      '1. ordered',
      'trailing hashes ###',
      '![img](http://evil.example/x.png)',
      '<http://evil.example/>',
      'tab\there\u2028separator',
    ];
    const HOSTILE_BODIES = [
      '# Body heading\n\n```\nunclosed fence\n',
      '<script>\nalert(1)\n',
      '<!-- unclosed comment\n',
      '````\n~~~\n`````` six\n',
      'Setext heading\n===\n',
      '\r\nCRLF body\r\n# heading\r\n',
    ];

    function hostile() {
      const files: Record<string, string> = {};
      HOSTILE.forEach((title, i) => {
        const id = `EP-${String(i + 1).padStart(4, '0')}`;
        files[f('epics', `${id}-x.md`)] = fm(
          { epic_id: id, title, status: 'active', priority: i % 2 ? 'high' : '<b>urgent</b>', assignee: '[mallory](http://evil.example/)', token_budget: 1000, actual_tokens: i * 100, description: title },
          HOSTILE_BODIES[i % HOSTILE_BODIES.length],
        );
        const iss = `ISS-${String(i + 1).padStart(4, '0')}`;
        files[f('issues', `${iss}-x.md`)] = fm(
          { issue_id: iss, epic_id: id, title, status: i % 3 ? 'active' : 'not-a-state](http://evil.example/)', tags: ['ok', title], milestone: title },
          HOSTILE_BODIES[(i + 1) % HOSTILE_BODIES.length],
        );
      });
      const config = [
        `name: ${JSON.stringify('Evil]\n# name')}`,
        `description: ${JSON.stringify('summary\n## Injected\n- [x](http://evil.example/)')}`,
        'sync:',
        `  github: {enabled: true, repo: ${JSON.stringify('a](http://evil.example/) <b>')}}`,
        '',
      ].join('\n');
      return build(files, config);
    }

    it('titles, names and notes cannot break llms.txt: still valid, one link per entry, only our urls, no HTML', () => {
      const { txt, index } = hostile();
      const text = txt();
      assert.deepEqual(checkLlmsTxt(text), []);
      assertLlmsStructure(text);
      assert.doesNotMatch(text, /(?<!\\)\]\(http:\/\/evil/, 'no link to the hostile url');
      const parsed = parseLlms(text);
      if (!parsed) return;
      assert.equal(parsed.title, 'Evil] # name');
      assert.equal(parsed.summary, 'summary ## Injected - [x](http://evil.example/)');
      const titles = new Map([...index.items()].map((i) => [`${i.id}: ${oneLine(i.title)}`, i]));
      for (const [name, links] of parsed.sections) {
        for (const l of links) {
          assert.doesNotMatch(l.href, /evil|^[a-z]+:/i, `${name}: only relative urls of the project (${l.href})`);
          const item = titles.get(l.text);
          if (/^(EP|ISS)-/.test(l.text)) {
            assert.ok(item, `${name}: link text reads back as "id: title" (${l.text})`);
            assert.equal(decodeURI(l.href), path.relative(ROOT, item.file).split(path.sep).join('/'));
          }
        }
      }
      const focus = parsed.sections.get('Current focus')!;
      assert.equal(focus.filter((l) => l.text.startsWith('EP-')).length, LIMITS.focusEpics);
    });

    it('bodies and titles cannot break llms-full.txt: one H1, every item its heading, every body whole in its block', () => {
      const { full, index, read, project } = hostile();
      const text = full();
      assert.deepEqual(checkLlmsFullTxt(text), []);
      assert.doesNotMatch(text, /\r/);
      const parsed = parseFull(text);
      if (!parsed) return;
      assert.equal(parsed.headings.filter(([d]) => d === 1).length, 1);
      assert.deepEqual(parsed.headings[0], [1, 'Evil] # name']);
      const items = [...index.items()].filter((i) => i.type !== 'comment');
      const h3 = parsed.headings.filter(([d]) => d === 3).map(([, t]) => t);
      assert.deepEqual(new Set(h3), new Set(items.map((i) => `${i.id}: ${oneLine(i.title)}`)));
      assert.ok(parsed.headings.every(([d]) => d <= 3), 'no heading from a body escapes its block');
      const expected = llmsFullItems(index, project)
        .map((i) => read(i)!.replace(/\r\n?/g, '\n').replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, ''))
        .filter(Boolean);
      assert.deepEqual(parsed.codes, expected, 'each body reads back exactly');
    });
  });

  describe('llms-full.txt', () => {
    it('holds the open items grouped by epic in tree order, with the frontmatter in brief and the body', () => {
      const { full } = build(acmeFiles());
      const text = full();
      assert.deepEqual(checkLlmsFullTxt(text), []);
      const headings = text.replace(/^```markdown\n[\s\S]*?^```$/gm, '').split('\n').filter((l) => /^#{1,4} /.test(l));
      assert.deepEqual(headings, [
        '# acme',
        '## EP-0001: Checkout',
        '### EP-0001: Checkout',
        '### ISS-0001: Cart page',
        '### TSK-0001: Cart markup',
        '### PR-0001: Cart PR',
        '#### Comment COMMENT-0001',
        '## EP-0002: Search',
        '### EP-0002: Search',
        '## EP-0004: Payments',
        '### EP-0004: Payments',
        '### ISS-0003: Card form',
        '## Outside any epic',
        '### ISS-0004: Orphan',
      ]);
      const epic = text.slice(text.indexOf('### EP-0001: Checkout'), text.indexOf('### ISS-0001'));
      assert.equal(
        epic,
        [
          '### EP-0001: Checkout',
          '',
          '- File: [tasks/epics/EP-0001-checkout.md](../tasks/epics/EP-0001-checkout.md)',
          '- Epic · Active · high priority · unassigned',
          '- Progress: 1/2 done (50%)',
          '- Tokens: 8,000 of 10,000 tokens (80%) · past the 75% alert (with its items)',
          '- Dates: updated 2026-11-02T00:00:00.000Z',
          '',
          '```markdown',
          '# Checkout',
          '',
          'The new checkout.',
          '```',
          '',
          '',
        ].join('\n'),
      );
      assert.ok(text.includes('- PR: status review · branch feat/cart\n'));
      assert.ok(text.includes('- Comment by bob on 2026-11-03T00:00:00.000Z\n\n```markdown\nLooks good.\n```\n'));
      assert.doesNotMatch(text, /closed task body|closed epic body|Cart styles|Wallet/, 'closed items are left out');
      assert.match(text, /^> The full text of the open epics, issues, tasks and PRs of acme, grouped by epic/m);
    });

    it('include_closed puts closed items in too; auto_generate reads the same config block', () => {
      const yaml = `${BASE_CONFIG}ai:\n  llms_txt:\n    auto_generate: false\n    include_closed: true\n`;
      const { full, txt, project } = build(acmeFiles(), yaml);
      assert.equal(includeClosed(project.config), true);
      assert.equal(autoGenerate(project.config), false);
      assert.equal(autoGenerate(makeProject(BASE_CONFIG).config), true);
      assert.equal(includeClosed(makeProject(BASE_CONFIG).config), false);
      const text = full();
      assert.deepEqual(checkLlmsFullTxt(text), []);
      for (const h of ['### TSK-0002: Cart styles', '### ISS-0002: Wallet', '## EP-0003: Old payments', '### EP-0003: Old payments']) assert.ok(text.includes(`${h}\n`), h);
      assert.ok(text.includes('closed task body') && text.includes('closed epic body'));
      assert.match(txt(), /\[Full content\]\(docs\/llms-full\.txt\): the frontmatter and body of every epic/);
    });

    it('an open item of a closed epic is still grouped under it, the epic named with its state', () => {
      const files = acmeFiles();
      files[f('issues', 'ISS-0009-late.md')] = fm({ issue_id: 'ISS-0009', epic_id: 'EP-0003', title: 'Late fix', status: 'active' });
      const text = build(files).full();
      assert.ok(text.includes('## EP-0003: Old payments (Done)\n\n### ISS-0009: Late fix\n'));
      assert.doesNotMatch(text, /### EP-0003/);
    });

    it('reads the bodies of exactly the items it shows, and says so when one cannot be read', () => {
      const { index, project } = build(acmeFiles());
      const asked: string[] = [];
      const text = llmsFullTxt(index, project, (item) => {
        asked.push(item.id);
        return item.id === 'ISS-0001' ? undefined : '';
      });
      assert.deepEqual(asked, llmsFullItems(index, project).map((i) => i.id));
      assert.deepEqual(asked, ['EP-0001', 'ISS-0001', 'TSK-0001', 'PR-0001', 'COMMENT-0001', 'EP-0002', 'EP-0004', 'ISS-0003', 'ISS-0004']);
      assert.ok(text.includes('### ISS-0001: Cart page\n\n- File: [tasks/issues/ISS-0001-cart.md](../tasks/issues/ISS-0001-cart.md)'));
      assert.match(text, /The file could not be read\./);
    });

    it('a body is fenced with more backticks than it holds', () => {
      const files = acmeFiles();
      files[f('tasks', 'TSK-0001-markup.md')] = fm({ task_id: 'TSK-0001', issue_id: 'ISS-0001', title: 'Cart markup', status: 'active' }, 'a ````` run\n```\nopen');
      const text = build(files).full();
      assert.ok(text.includes('``````markdown\na ````` run\n```\nopen\n``````\n'));
      assert.deepEqual(checkLlmsFullTxt(text), []);
    });
  });

  describe('determinism', () => {
    it('the same files give the same text, whatever order they were indexed in', () => {
      const a = build(acmeFiles());
      const b = build(acmeFiles(), BASE_CONFIG, 'reverse');
      assert.equal(a.txt(), a.txt());
      assert.equal(a.txt(), b.txt());
      assert.equal(a.full(), b.full());
      assert.doesNotMatch(a.txt() + a.full(), new RegExp(String(new Date().getUTCFullYear() + 1)), 'no clock in the output');
    });

    it('a change to one item changes the output; a change the files do not show leaves it as it was', () => {
      const { index, txt, full } = build(acmeFiles());
      const [t0, f0] = [txt(), full()];
      const file = f('tasks', 'TSK-0001-markup.md');
      const fields = { task_id: 'TSK-0001', issue_id: 'ISS-0001', title: 'Cart markup', status: 'active', priority: 'medium', actual_tokens: 3000 };
      index.set(file, fm({ ...fields, title: 'Cart markup, renamed' }, 'markup body\n'));
      assert.notEqual(txt(), t0);
      assert.ok(txt().includes('[TSK-0001: Cart markup, renamed]'));
      assert.notEqual(full(), f0);
      // Back as it was: the same text again.
      index.set(file, fm(fields, 'markup body\n'));
      assert.equal(txt(), t0);
      assert.equal(full(), f0);
      // A closed item changing state still shows, in the counts of the overview.
      index.set(f('tasks', 'TSK-0002-styles.md'), fm({ task_id: 'TSK-0002', issue_id: 'ISS-0001', title: 'Cart styles', status: 'archived' }));
      assert.notEqual(txt(), t0, 'a closed item changing state shows in the counts');
    });

    it('only the bodies change llms-full.txt, never llms.txt', () => {
      const files = acmeFiles();
      const a = build(files);
      files[f('tasks', 'TSK-0001-markup.md')] = files[f('tasks', 'TSK-0001-markup.md')].replace('markup body', 'markup body, longer');
      const b = build(files);
      assert.equal(a.txt(), b.txt());
      assert.notEqual(a.full(), b.full());
      files[f('tasks', 'TSK-0001-markup.md')] = files[f('tasks', 'TSK-0001-markup.md')] + '\n\n\n';
      assert.equal(build(files).full(), b.full(), 'trailing blank lines do not count');
    });
  });

  describe('llmsSource', () => {
    it('gives the same texts and items as the one-shot functions, computed once', () => {
      const { index, project, read } = build(acmeFiles());
      const source = llmsSource(index, project);
      assert.equal(source.txt(), llmsTxt(index, project));
      assert.equal(source.full(read), llmsFullTxt(index, project, read));
      assert.deepEqual(source.fullItems, llmsFullItems(index, project));
      const exists = (rel: string) => !rel.includes('counters');
      assert.equal(source.txt({ exists }), llmsTxt(index, project, { exists }));
    });

    it('keeps the items it was made from, so both files agree when the index changes while bodies are read', () => {
      const { index, project, read } = build(acmeFiles());
      const source = llmsSource(index, project);
      const [txt, full] = [llmsTxt(index, project), llmsFullTxt(index, project, read)];
      index.set(f('epics', 'EP-0002-search.md'), fm({ epic_id: 'EP-0002', title: 'Search, renamed', status: 'planning', priority: 'medium' }));
      index.set(f('issues', 'ISS-0002-wallet.md'), fm({ issue_id: 'ISS-0002', epic_id: 'EP-0001', title: 'Wallet', status: 'active' }));
      assert.ok(llmsTxt(index, project).includes('EP-0001-checkout.md): Active · high priority · 0/2 done (0%)'), 'the live index has moved on');
      assert.equal(source.full(read), full);
      assert.equal(source.txt(), txt);
      assert.ok(llmsTxt(index, project).includes('EP-0002: Search, renamed'));
    });
  });

  describe('real projects', () => {
    async function load(root: string) {
      const index = new TaskIndex();
      const project = await loadProject(root);
      index.setProject(project);
      await indexProject(index, project);
      return { index, project, txt: llmsTxt(index, project), full: llmsFullTxt(index, project, readBodySync) };
    }
    const roots = {
      cli: corpus('cli'),
      legacy: corpus('legacy'),
      problems: corpus('problems'),
      workspace: path.join(REPO, 'test', 'fixtures', 'workspace'),
      billing: path.join(REPO, 'test', 'fixtures', 'workspace', 'services', 'billing'),
    };

    for (const [name, root] of Object.entries(roots)) {
      it(`${name}: both files are well formed`, async () => {
        const { txt, full } = await load(root);
        assert.deepEqual(checkLlmsTxt(txt), []);
        assertLlmsStructure(txt);
        parseLlms(txt);
        assert.deepEqual(checkLlmsFullTxt(full), []);
        parseFull(full);
        assert.doesNotMatch(full, /\r|\ufeff/, 'line ends are \\n and no BOM is carried over');
      });
    }

    it('cli: the epic that moves, what moves in it, and bodies of files with a BOM, CRLF and no newline after ---', async () => {
      const { txt, full } = await load(roots.cli);
      const focus = section(txt, 'Current focus');
      assert.match(focus[0], /^- \[EP-0001: Checkout redesign\]\(tasks\/epics\/EP-0001-checkout-redesign\.md\): Active · high priority · owner alice · 0\/2 done \(0%\) · 5 in progress$/);
      assert.match(focus[1], /^- \[ISS-0001: Cart page\]\(tasks\/issues\/ISS-0001-cart-page\.md\): Ready for QA · issue in EP-0001/);
      for (const id of ['TSK-0003', 'TSK-0004', 'TSK-0005']) assert.match(full, new RegExp(`^### ${id}: `, 'm'));
      assert.doesNotMatch(full, /TSK-0099/, 'files the CLI does not read are not in it');
    });

    it('legacy: budgets from the older config, team budgets, GitHub enabled with its repo', async () => {
      const { txt } = await load(roots.legacy);
      assert.match(txt, /^# ShopFlow Platform$/m);
      assert.ok(section(txt, 'Integrations')[0].startsWith('- [GitHub](.ai-trackdown/config.yaml): enabled · repo shopflow/platform'));
      assert.ok(section(txt, 'Integrations')[1].startsWith('- [Jira](.ai-trackdown/config.yaml): configured, disabled'));
      const budget = section(txt, 'Token budget');
      assert.ok(budget.some((l) => l.startsWith('- [EPIC-001: Modern Authentication System](tasks/epics/EPIC-001-modern-authentication.md): ') && / of 40,000 tokens/.test(l)));
      assert.ok(budget.includes('- [Team platform](.ai-trackdown/config.yaml): 3,892 of 200,000 tokens (2%)'));
    });

    it('the fixture workspace: the billing project links its own folders', async () => {
      const { txt } = await load(roots.billing);
      assert.ok(txt.includes('- [Issues](work/stories/): 1 · 1 open · Planning 1\n'));
      assert.ok(txt.includes('- [BEP-0001: Invoices](work/epics/BEP-0001-invoices.md): Active'));
    });
  });
});
