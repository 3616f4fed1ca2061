import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { editFrontmatter } from '../../src/core/edit';
import { findFrontmatter, parseItem } from '../../src/core/parse';
import { parseYamlDocument } from '../../src/core/yamlDocument';
import { contextFor, CORPUS, markdownFiles, REPO } from './helpers';

/** Errors as [code, start, end], in a stable order. */
const errorsOf = (doc: { errors: readonly { code: string; pos: [number, number] }[] }) =>
  doc.errors.map((e) => [e.code, ...e.pos] as const).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));

describe('yamlDocument', () => {
  const cases = [
    'a: 1\nb: 2',
    'a: 1\na: 2',
    'a: 1\nb: 2\na: 3\na: 4',
    'x:\n  a: 1\n  a: 2\ny: {b: 1, b: 2}',
    'l: [{a: 1, a: 2}, {a: 1}]\nm:\n  - a: 1\n    a: 2',
    '"a": 1\na: 2\n\'a\': 3',
    '1: x\n"1": y\n1: z',
    'true: 1\nTrue: 2\n~: 3\nnull: 4\n: 5',
    '.nan: 1\n.nan: 2\n0: 1\n-0: 2',
    '&k a: 1\n*k : 2\na: 3',
    '? a\n: 1\n? a\n: 2',
    '? [a]\n: 1\n? [a]\n: 2',
    'a: &m {b: 1}\nc: *m\nc: 2',
    'a: 1\n  a: 2\nb: [unclosed\na: 3',
    'a: 1\n\ta: 2',
    '!!str a: 1\na: 2',
    'a:' + Array.from({ length: 400 }, (_, i) => `\n${' '.repeat(i + 1)}k:`).join('') + ' x\n' + ' '.repeat(400) + 'k: y\nk: 1\nk: 2',
  ];

  it('reports duplicate keys where the library does, at the same positions, with the same data', () => {
    const frontmatters = [...markdownFiles(CORPUS), ...markdownFiles(path.join(REPO, 'test', 'fixtures', 'workspace'))].flatMap((f) => {
      const text = fs.readFileSync(f, 'utf8');
      const b = findFrontmatter(text);
      return typeof b === 'object' ? [text.slice(b.start, b.end)] : [];
    });
    for (const src of [...cases, ...frontmatters]) {
      const ours = parseYamlDocument(src, { logLevel: 'error' });
      const lib = parseDocument(src, { uniqueKeys: true, logLevel: 'error' });
      assert.deepEqual(errorsOf(ours), errorsOf(lib), JSON.stringify(src));
      let data: unknown;
      try {
        data = ours.toJS({ maxAliasCount: 100 });
      } catch (e) {
        data = (e as Error).message;
      }
      let libData: unknown;
      try {
        libData = lib.toJS({ maxAliasCount: 100 });
      } catch (e) {
        libData = (e as Error).message;
      }
      assert.deepEqual(data, libData, JSON.stringify(src));
    }
  });

  it('thousands of keys: the duplicate found where it is', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const yaml = `task_id: TSK-0001\n${keys}\nk7: again\n`;
    const at = yaml.indexOf('\nk7: again') + 1;
    assert.deepEqual(errorsOf(parseYamlDocument(yaml)), [['DUPLICATE_KEY', at, at + 1]]);
  });

  it('as many keys as a frontmatter may hold, which the fast reader leaves to the library: the duplicate found where it is, the edit made', () => {
    const keys = Array.from({ length: 990 }, (_, i) => `k${i}: ${i}`).join('\n');
    const text = `---\ntask_id: TSK-0001\nissue_id: ISS-0001\ntitle: x\n\t\n${keys}\nk7: again\n---\n`;
    const r = parseItem(text, contextFor('TSK-0001-x.md', 'task'));
    assert.deepEqual(r.problems.map((p) => [p.code, p.message, p.range.start.line]), [['yaml-syntax', 'YAML: Map keys must be unique', 995]]);
    const clean = text.replace('k7: again\n', '');
    assert.match(editFrontmatter(clean, [{ key: 'assignee', value: 'alice' }]).text, /\nassignee: alice\n---\n$/);
  });
});
