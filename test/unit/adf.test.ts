/**
 * Markdown ↔ Atlassian Document Format: the round trip is a fixed point on real task bodies and on
 * generated ones, unknown ADF comes out as readable text, and hostile input never throws.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { AdfNode, adfToMarkdown, markdownToAdf } from '../../src/core/sync/adf';
import { findFrontmatter } from '../../src/core/parse';
import { markdownFiles, REPO, seededRandom } from './helpers';

const roundTrip = (md: string) => adfToMarkdown(markdownToAdf(md));
const doc = (...content: AdfNode[]) => ({ version: 1, type: 'doc', content });
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const t = (text: string, ...marks: string[]): AdfNode => (marks.length ? { type: 'text', text, marks: marks.map((type) => ({ type })) } : { type: 'text', text });

/** The body of a task file: what follows its frontmatter. */
function body(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  const block = findFrontmatter(text);
  return typeof block === 'object' ? text.slice(block.bodyOffset) : text;
}

const lines = (md: string) =>
  md
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim());

describe('adf', () => {
  describe('markdown → ADF', () => {
    it('builds the nodes a task body holds', () => {
      const md = [
        '# Task: Cart',
        '## Steps',
        'Read **bold**, *em*, ~~gone~~, `code` and [docs](https://x.test/d "Docs").',
        'Second line',
        '',
        '- one',
        '  - nested',
        '3. three',
        '',
        '```ts',
        'const a = 1;',
        '```',
        '> quoted',
        '',
        '---',
        '| a | b |',
        '| --- | --- |',
        '| 1 | 2 |',
      ].join('\n');
      const cell = (type: string, text: string) => ({ type, attrs: {}, content: [p(t(text))] });
      assert.deepEqual(markdownToAdf(md), {
        version: 1,
        type: 'doc',
        content: [
          { type: 'heading', attrs: { level: 1 }, content: [t('Task: Cart')] },
          { type: 'heading', attrs: { level: 2 }, content: [t('Steps')] },
          p(
            t('Read '),
            t('bold', 'strong'),
            t(', '),
            t('em', 'em'),
            t(', '),
            t('gone', 'strike'),
            t(', '),
            t('code', 'code'),
            t(' and '),
            { type: 'text', text: 'docs', marks: [{ type: 'link', attrs: { href: 'https://x.test/d', title: 'Docs' } }] },
            t('.'),
            { type: 'hardBreak' },
            t('Second line'),
          ),
          { type: 'bulletList', content: [{ type: 'listItem', content: [p(t('one')), { type: 'bulletList', content: [{ type: 'listItem', content: [p(t('nested'))] }] }] }] },
          { type: 'orderedList', attrs: { order: 3 }, content: [{ type: 'listItem', content: [p(t('three'))] }] },
          { type: 'codeBlock', attrs: { language: 'ts' }, content: [t('const a = 1;')] },
          { type: 'blockquote', content: [p(t('quoted'))] },
          { type: 'rule' },
          {
            type: 'table',
            attrs: { isNumberColumnEnabled: false, layout: 'default' },
            content: [
              { type: 'tableRow', content: [cell('tableHeader', 'a'), cell('tableHeader', 'b')] },
              { type: 'tableRow', content: [cell('tableCell', '1'), cell('tableCell', '2')] },
            ],
          },
        ],
      });
    });

    it('makes checkbox lists task lists', () => {
      assert.deepEqual(markdownToAdf('- [x] done\n- [ ] open').content, [
        {
          type: 'taskList',
          attrs: { localId: 'list-3' },
          content: [
            { type: 'taskItem', attrs: { localId: 'task-1', state: 'DONE' }, content: [t('done')] },
            { type: 'taskItem', attrs: { localId: 'task-2', state: 'TODO' }, content: [t('open')] },
          ],
        },
      ]);
    });

    it('never combines code with other marks (Jira refuses that ADF)', () => {
      assert.deepEqual(markdownToAdf('**`x`**').content, [p(t('x', 'code'))]);
    });
  });

  describe('round trips', () => {
    const files = [...markdownFiles(path.join(REPO, 'test', 'fixtures'))].filter((f) => !f.endsWith('README.md'));

    it('keeps every line of the real task bodies in test/fixtures, and is then a fixed point', () => {
      assert.ok(files.length > 40);
      for (const file of files) {
        const md = body(file);
        const once = roundTrip(md);
        assert.deepEqual(lines(once), lines(md), file);
        assert.equal(roundTrip(once), once, file);
      }
    });

    it('writes the aitrackdown CLI\'s body layout back byte for byte', () => {
      const md = '# Task: Cart markup\n\n## Description\nSemantic table with quantity inputs\n\n## Steps\n- [x] Table markup\n- [ ] Quantity inputs';
      assert.equal(roundTrip(md), md);
    });

    it('is a fixed point on generated bodies, and ADF → markdown → ADF keeps the document', () => {
      const rnd = seededRandom(20261122);
      const words = ['plain', 'snake_case', 'a*b', '5 * 3', 'x_y', '[1]', 'C:\\dir', '<b>', '~tilde', '#tag', 'foo.bar', 'https://e.test', '<https://e.test/x>', '|pipe|', '!bang', 'ü', '😀', '__init__', '1.', '\\*', "Won't"];
      const inline = () =>
        Array.from({ length: 1 + rnd.int(6) }, (_, k) => {
          const w = rnd.pick(words);
          return rnd.pick([w, w, w, `**${w}**`, `*${w}*`, `~~${w}~~`, `\`${w}\``, `[${w}](https://x.test/${k})`]);
        }).join(' ');
      const block = (): string =>
        rnd.pick([
          () => inline(),
          () => `${inline()}\n${inline()}`,
          () => `${'#'.repeat(1 + rnd.int(6))} ${inline()}`,
          () => `\`\`\`${rnd.pick(['', 'js', 'python'])}\n${inline()}\n\n${inline()}\n\`\`\``,
          () => `> ${inline()}\n> - ${inline()}`,
          () => '---',
          () => Array.from({ length: 1 + rnd.int(3) }, () => `- ${inline()}${rnd.chance(0.3) ? `\n  1. ${inline()}` : ''}`).join('\n'),
          () => Array.from({ length: 1 + rnd.int(3) }, (_, k) => `${k + 1}. ${inline()}`).join('\n'),
          () => `- [ ] ${inline()}\n  - [x] ${inline()}\n- [x] ${inline()}`,
          () => `| ${inline()} | b |\n| --- | --- |\n| ${inline()} | ${inline()} |`,
        ])();
      for (let k = 0; k < 600; k++) {
        const md = Array.from({ length: 1 + rnd.int(5) }, block).join(rnd.chance(0.5) ? '\n\n' : '\n');
        const once = roundTrip(md);
        assert.equal(roundTrip(once), once, md);
        const adf = markdownToAdf(once);
        assert.deepEqual(markdownToAdf(adfToMarkdown(adf)), adf, once);
      }
    });

    it('writes marks so that they read back the same', () => {
      const cases: [AdfNode[], string][] = [
        [[t('bold ', 'strong'), t('both', 'strong', 'em'), t(' bold', 'strong')], '**bold *both* bold**'],
        [[t('a'), t(' spaced ', 'em'), t('b')], 'a *spaced* b'],
        [[t('x', 'strong', 'code')], '`x`'],
        [[{ type: 'text', text: 'https://x.test', marks: [{ type: 'link', attrs: { href: 'https://x.test' } }] }], '<https://x.test>'],
        [[{ type: 'text', text: 'a [b]', marks: [{ type: 'link', attrs: { href: 'https://x.test/(1)' } }] }], '[a \\[b\\]](<https://x.test/(1)>)'],
        [[t('tick ` and *star*')], 'tick \\` and \\*star\\*'],
        [[t('- not a list'), { type: 'hardBreak' }, t('# not a heading')], '\\- not a list\n\\# not a heading'],
      ];
      for (const [inline, md] of cases) {
        assert.equal(adfToMarkdown(doc(p(...inline))), md);
        assert.equal(roundTrip(md), md);
      }
    });
  });

  describe('ADF markdown cannot hold', () => {
    it('comes out as readable text, nothing dropped', () => {
      const md = adfToMarkdown(
        doc(
          p(
            { type: 'mention', attrs: { id: 'acc-1', text: '@Jane Doe' } },
            t(' see '),
            { type: 'emoji', attrs: { shortName: ':smile:', text: '😄' } },
            t(' by '),
            { type: 'date', attrs: { timestamp: '1795000000000' } },
            t(' '),
            { type: 'status', attrs: { text: 'BLOCKED', color: 'red' } },
            t(' '),
            { type: 'inlineCard', attrs: { url: 'https://acme.atlassian.net/browse/ACME-2' } },
          ),
          { type: 'panel', attrs: { panelType: 'warning' }, content: [p(t('Careful'))] },
          { type: 'mediaSingle', attrs: { layout: 'center' }, content: [{ type: 'media', attrs: { id: 'f-1', type: 'file', collection: 'c', alt: 'screenshot.png' } }] },
          { type: 'expand', attrs: { title: 'More' }, content: [p(t('Hidden text'))] },
          { type: 'layoutSection', content: [{ type: 'layoutColumn', attrs: { width: 50 }, content: [p(t('Column text'))] }] },
          { type: 'someFutureNode', content: [t('future text')] },
        ),
      );
      assert.equal(
        md,
        [
          '@Jane Doe see 😄 by 2026-11-18 [BLOCKED] <https://acme.atlassian.net/browse/ACME-2>',
          '',
          '> **Warning:** Careful',
          '',
          '[attachment: screenshot.png\\]',
          '',
          'More',
          '',
          'Hidden text',
          '',
          'Column text',
          '',
          'future text',
        ].join('\n'),
      );
      assert.equal(roundTrip(md), md);
    });
  });

  describe('hostile input', () => {
    it('keeps list numbers markdown can read', () => {
      const item = { type: 'listItem', content: [p(t('x'))] };
      for (const order of [0, 7, 1e12, -3, 'x']) {
        const md = adfToMarkdown(doc({ type: 'orderedList', attrs: { order }, content: [item, item] }));
        assert.equal(roundTrip(md), md);
        assert.equal(markdownToAdf(md).content[0].type, 'orderedList');
      }
    });

    it('never throws on what is not ADF', () => {
      const junk: unknown[] = [null, undefined, 42, 'text', [], {}, { type: 'doc' }, { type: 'doc', content: 'x' }, { type: 'doc', content: [null, 5, 'x', { type: 7 }, { type: 'paragraph', content: [{ type: 'text', text: {} }, { type: 'text', marks: 'bad' }] }] }];
      for (const j of junk) assert.equal(typeof adfToMarkdown(j), 'string');
      assert.equal(adfToMarkdown({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'ok', marks: [null, { type: 'strong' }, { nope: 1 }] }] }] }), '**ok**');
    });

    it('flattens nesting deeper than any real body instead of overflowing the stack', () => {
      let deep: AdfNode = p(t('bottom'));
      for (let k = 0; k < 20_000; k++) deep = { type: k % 2 ? 'blockquote' : 'bulletList', content: [k % 2 ? deep : { type: 'listItem', content: [deep] }] };
      assert.match(adfToMarkdown(doc(deep)), /bottom$/);
      const quotes = `${'>'.repeat(20_000)} bottom`;
      assert.match(roundTrip(quotes), /bottom$/);
      const lists = Array.from({ length: 300 }, (_, k) => `${' '.repeat(k * 2)}- level ${k}`).join('\n');
      assert.match(roundTrip(lists), /level 299/);
    });

    it('stays stable on huge text, delimiter floods and odd characters', () => {
      const inputs = ['x'.repeat(300_000), '*'.repeat(30_000), '['.repeat(30_000), '_a'.repeat(15_000), '**a '.repeat(8_000), '`'.repeat(30_001), '[a]('.repeat(8_000), '\u0000\uFFFF\uD800 \u202E odd \t tabs', '\r\n\r\n\uFEFF# crlf\r\ntext'];
      for (const md of inputs) {
        const once = roundTrip(md);
        assert.equal(roundTrip(once), once);
      }
      assert.equal(roundTrip('x'.repeat(300_000)).length, 300_000);
    });
  });
});
