import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { defaultConfig } from '../../src/core/config';
import { EditError, editFrontmatter, planEdits } from '../../src/core/edit';
import { fixAll } from '../../src/core/fixes';
import { TaskIndex } from '../../src/core/index';
import { findFrontmatter, parseItem } from '../../src/core/parse';
import { lexedNodes, MAX_PROBLEMS, nodeBound } from '../../src/core/parseLimits';
import { indexProject, loadProject } from '../../src/core/project';
import { briefs, contextFor, CORPUS, markdownFiles, REPO, tempFolders, writeTree } from './helpers';
import { HostileFile, hostileFiles } from './support/hostileFiles';

const ctx = contextFor('TSK-0001-hostile.md', 'task');
const parse = (text: string) => parseItem(text, ctx);
/** The frontmatter's opening `---`, where a problem of the whole frontmatter is shown. */
const OPENING = ['frontmatter-too-large', 0, 0, 0, 3];

describe('parse limits: hostile files cost bounded work', function () {
  // Making the files builds some 20 MB of text; reading one that is over a limit must not take long.
  this.timeout(30000);
  let files: HostileFile[];
  before(() => (files = hostileFiles()));
  const file = (name: string) => files.find((f) => f.name === name)!;

  it('the generator makes each shape within the limits and just under the file limit', () => {
    assert.equal(files.length, 18);
    for (const f of files) {
      const block = findFrontmatter(f.text);
      assert.ok(typeof block === 'object', f.name);
      if (!f.within) assert.ok(Buffer.byteLength(f.text) > 1000 * 1024 && Buffer.byteLength(f.text) < 1024 * 1024, f.name);
      // The quick bound never lets a file past that the exact count would stop.
      const yaml = f.text.slice(block.start, block.end);
      assert.ok(lexedNodes(yaml, Infinity) <= nodeBound(yaml, Infinity), f.name);
    }
    const dups = file('duplicate keys, just under the file limit').text.split('\nk: 1').length - 1;
    assert.ok(dups >= 150_000, `${dups} duplicate keys`);
  });

  it('over a limit: one problem at the opening line, and the file is not read', () => {
    for (const f of files.filter((x) => !x.within)) {
      const r = parse(f.text);
      assert.equal(r.item, undefined, f.name);
      assert.deepEqual(briefs(r.problems), [OPENING], f.name);
      assert.equal(r.problems[0].severity, 'warning');
      assert.match(r.problems[0].message, /^The frontmatter was not read: it (is \d+ KiB, over the 64 KiB|holds more than 2,000 values)/, f.name);
    }
  });

  it('within the limits: read, with at most 100 problems and one more that counts the rest', () => {
    for (const f of files.filter((x) => x.within)) {
      const r = parse(f.text);
      assert.ok(r.problems.length <= MAX_PROBLEMS + 1, `${f.name}: ${r.problems.length} problems`);
      assert.ok(!r.problems.some((p) => p.code === 'frontmatter-too-large'), f.name);
    }
    // Plain shapes read to an item; the alias bomb and the deep nesting are YAML errors, not items.
    for (const name of ['flow maps', 'flow sequences', 'one long scalar', 'many lines']) {
      assert.equal(parse(file(`${name}, within the limits`).text).item?.id, 'TSK-0001', name);
    }
  });

  it('thousands of problems are cut to 100, then one as severe as the rest, counting them', () => {
    for (const [name, code] of [['duplicate keys', 'yaml-syntax'], ['many unquoted @values', 'unquoted-at']] as const) {
      const text = file(`${name}, within the limits`).text;
      const all = name === 'duplicate keys' ? text.split('\nk: 1').length - 2 : text.split(': @someone').length - 1;
      const r = parse(text);
      assert.equal(r.problems.length, MAX_PROBLEMS + 1, name);
      assert.ok(r.problems.slice(0, MAX_PROBLEMS).every((p) => p.code === code), name);
      const more = r.problems[MAX_PROBLEMS];
      assert.deepEqual(briefs([more]), [['more-problems', 0, 0, 0, 3]]);
      assert.equal(more.severity, 'error');
      assert.equal(more.message, `…and ${(all - MAX_PROBLEMS).toLocaleString('en')} more problems in this file, not shown; fix the ones above first.`);
    }
  });

  it('no real file comes near a limit, nor a long body the CLI leaked into content:', () => {
    const real = [...markdownFiles(CORPUS), ...markdownFiles(path.join(REPO, 'demo'))];
    assert.ok(real.length > 20);
    for (const f of real) assert.ok(!parse(fs.readFileSync(f, 'utf8')).problems.some((p) => p.code === 'frontmatter-too-large'), f);
    const paragraph = '## Notes\n\nThe export runs nightly: it reads every row, checks it, and writes a CSV - or a PDF.\n- one item\n- [x] done\n\n';
    const body = paragraph.repeat(Math.ceil((30 * 1024) / paragraph.length));
    const leaked = `---\ntask_id: TSK-0001\ntitle: x\ncontent: |\n${body.split('\n').map((l) => (l ? `  ${l}` : '')).join('\n')}\n---\n${body}`;
    const r = parse(leaked);
    assert.equal(r.item?.id, 'TSK-0001');
    assert.ok(r.problems.some((p) => p.code === 'leaked-key'));
    assert.ok(!r.problems.some((p) => p.code === 'frontmatter-too-large'));
  });

  describe('the index', () => {
    const temp = tempFolders();

    it('indexes a project of hostile files: those over a limit with their one problem, the rest capped', async () => {
      const root = temp('aitd-hostile');
      const tree: Record<string, string> = { '.ai-trackdown/config.yaml': 'name: hostile\n' };
      files.forEach((f, i) => (tree[`tasks/tasks/TSK-${String(i + 1).padStart(4, '0')}-hostile.md`] = f.text.replace('TSK-0001', `TSK-${String(i + 1).padStart(4, '0')}`)));
      writeTree(root, tree);
      const index = new TaskIndex();
      const project = await loadProject(root);
      index.setProject(project);
      assert.equal(await indexProject(index, project), files.length);
      files.forEach((f, i) => {
        const entry = index.entry(path.join(root, 'tasks', 'tasks', `TSK-${String(i + 1).padStart(4, '0')}-hostile.md`))!;
        assert.ok(entry.problems.length <= MAX_PROBLEMS + 1, f.name);
        if (!f.within) assert.deepEqual([entry.item, briefs(entry.problems)], [undefined, [OPENING]], f.name);
      });
    });
  });

  describe('edits and quick fixes', () => {
    it('refuse a frontmatter over a limit, saying why, before parsing it', () => {
      for (const f of files.filter((x) => !x.within)) {
        for (const edit of [() => editFrontmatter(f.text, [{ key: 'title', value: 'y' }]), () => planEdits(f.text, [{ key: 'priority', value: 'low' }])]) {
          assert.throws(edit, (e: Error) => e instanceof EditError && /^The frontmatter cannot be edited: it (is \d+ KiB|holds more than)/.test(e.message), f.name);
        }
        assert.equal(fixAll(f.text, ctx), undefined, f.name);
      }
    });

    it('edit a file within the limits, and refuse an edit that would take it over one', () => {
      const text = file('many lines, within the limits').text;
      assert.equal(parse(editFrontmatter(text, [{ key: 'title', value: 'Renamed' }]).text).item?.title, 'Renamed');
      assert.throws(
        () => editFrontmatter(text, [{ key: 'tags', value: ['a', 'b', 'c'] }]),
        (e: Error) => e instanceof EditError && /^The edit would make the frontmatter too large to be read \(it holds more than 2,000/.test(e.message),
      );
      const long = file('one long scalar, within the limits').text;
      assert.throws(
        () => editFrontmatter(long, [{ key: 'assignee', value: 'someone with a long name' }]),
        (e: Error) => e instanceof EditError && /^The edit would make the frontmatter too large to be read \(it is 65 KiB/.test(e.message),
      );
    });

    it('a quick fix that quotes an @value is made on a file within the limits', () => {
      const text = file('many unquoted @values, within the limits').text;
      const fixed = fixAll(text, { ...ctx, config: defaultConfig('p') });
      assert.ok(fixed, 'a fix-all edit');
      assert.ok(fixed.newText.includes('"@someone"'));
    });
  });
});
