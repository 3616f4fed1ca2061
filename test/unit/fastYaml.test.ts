/**
 * The fast reader must give exactly the YAML library's answer whenever it answers at all: a differential
 * test over every real-shaped file we have, a generated corpus, and seeded mutations of them.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isMap, isScalar, Node, parseDocument } from 'yaml';
import { writeCorpus } from '../../bench/corpus';
import { parseFrontmatterFast } from '../../src/core/fastYaml';
import { findFrontmatter } from '../../src/core/parse';
import { CORPUS, markdownFiles, REPO, seededRandom } from './helpers';

interface LibAnswer {
  ok: boolean;
  why?: string[];
  data?: unknown;
  spans?: Record<string, [number, number, number, number]>;
  /** Where each `@` that starts a plain scalar is: the one error the fast reader reads too. */
  reserved?: number[];
}

/** What the library says: no errors but `@` starts, the data, and each top-level key's and value's ranges. */
function library(src: string): LibAnswer {
  const doc = parseDocument(src, { uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  const atStart = (e: { code: string; pos: [number, number] }) => e.code === 'BAD_SCALAR_START' && src[e.pos[0]] === '@';
  const others = [...doc.errors.filter((e) => !atStart(e)), ...doc.warnings];
  if (others.length) return { ok: false, why: others.map((e) => e.message.split('\n')[0]) };
  const spans: LibAnswer['spans'] = {};
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const k = pair.key as Node;
      const v = pair.value as Node | null;
      if (!isScalar(k) || !k.range) continue;
      const vr = v?.range ?? [k.range[1], k.range[1]];
      spans[String(k.value)] = [k.range[0], k.range[1], vr[0], vr[1]];
    }
  } else if (doc.contents !== null) {
    return { ok: false };
  }
  return { ok: true, data: doc.toJS() ?? {}, spans, reserved: doc.errors.map((e) => e.pos[0]) };
}

function check(src: string, where: string): 'fast' | 'slow' {
  const fast = parseFrontmatterFast(src);
  if (!fast) return 'slow';
  const lib = library(src);
  assert.ok(lib.ok, `${where}: the fast reader accepted what the library rejects (${lib.why}):\n${JSON.stringify(src)}`);
  assert.deepStrictEqual(fast.data, lib.data, `${where}: data differs`);
  const spans = Object.fromEntries(fast.names.slice(0, fast.keyCount).map((k, i) => [k, fast.spans.slice(i * 4, i * 4 + 4)]));
  assert.deepStrictEqual(spans, lib.spans, `${where}: ranges differ`);
  assert.deepStrictEqual(fast.reserved, lib.reserved, `${where}: the \`@\` errors differ`);
  return 'fast';
}

function frontmatterOf(text: string): string | undefined {
  const b = findFrontmatter(text);
  return typeof b === 'object' ? text.slice(b.start, b.end) : undefined;
}

const PIECES = [' ', '  ', '#', ' #', ':', ': ', '- ', '"', "'", '\\', '\\n', '\\x41', '[', ']', ',', '{', '}', '@', '&a', '*a', '!!str ', '|', '>', '%', '`', '?', '\n', '\r\n', '\n  ', '\n- ', 'null', '~', 'true', 'True', 'FALSE', '0x1F', '0o17', '017', '1e3', '.5', '-.inf', '.NaN', '+12', '1.0', '1_000', '2026-11-22', '2026-11-22T03:08:57.490Z', 'yes', 'on', '\u00e9', '\u2028', '\t', '---', '...', '""', "''", "'it''s'", '|-', '|+', ': |\n  ', '\n \n', '\n   ', '__proto__', 'constructor'];

describe('fastYaml', () => {
  it('agrees with the library on every fixture and corpus file', () => {
    const files = [...markdownFiles(CORPUS), ...markdownFiles(path.join(REPO, 'test', 'fixtures', 'workspace')), ...markdownFiles(path.join(REPO, 'demo'))];
    let fast = 0;
    for (const f of files) {
      const src = frontmatterOf(fs.readFileSync(f, 'utf8'));
      if (src !== undefined && check(src, f) === 'fast') fast++;
    }
    assert.ok(fast > files.length / 2, `the fast path should take most real files (${fast}/${files.length})`);
  });

  it('agrees with the library on a generated corpus, and takes the CLI-shaped files', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-fast-'));
    try {
      writeCorpus(root, 600, 7);
      const files = markdownFiles(path.join(root, 'tasks'));
      let fast = 0;
      for (const f of files) {
        const src = frontmatterOf(fs.readFileSync(f, 'utf8'));
        if (src !== undefined && check(src, f) === 'fast') fast++;
      }
      assert.ok(fast / files.length > 0.9, `fast path share ${fast}/${files.length}`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('agrees with the library on thousands of seeded mutations', () => {
    const r = seededRandom(Number(process.env.FAST_YAML_SEED ?? 20261122)).next;
    const seeds = markdownFiles(CORPUS).map((f) => frontmatterOf(fs.readFileSync(f, 'utf8'))).filter((s): s is string => !!s);
    let fast = 0;
    for (let n = 0, count = Number(process.env.FAST_YAML_MUTATIONS ?? 6000); n < count; n++) {
      let src = seeds[Math.floor(r() * seeds.length)];
      for (let m = 0, k = 1 + Math.floor(r() * 3); m < k; m++) {
        const at = Math.floor(r() * (src.length + 1));
        const op = r();
        const piece = PIECES[Math.floor(r() * PIECES.length)];
        if (op < 0.5) src = src.slice(0, at) + piece + src.slice(at);
        else if (op < 0.8) src = src.slice(0, at) + piece + src.slice(at + 1 + Math.floor(r() * 4));
        else src = src.slice(0, at) + src.slice(at + 1 + Math.floor(r() * 8));
      }
      if (check(src, `mutation ${n}`) === 'fast') fast++;
    }
    assert.ok(fast > 1000, `enough mutations took the fast path to mean something (${fast})`);
  });

  it('reads literal block scalars (the CLI leaks the body as content: |-) like the library, or leaves them to it', () => {
    const blocks = [
      'content: |-\n  copied body\n\n  x\n\nfile_path: /x',
      'content: |\n  body\nb: 1',
      'content: |\n  body\n\n\nb: 1',
      'content: |\n  body',
      'content: |\n  body\n',
      'content: |+\n  body\n\n\nb: 1',
      'content: |+\n  body\n\n',
      'content: |+\n\nb: 1',
      'content: |\n\n  body\n  # not a comment\n    more indented\nb: 1',
      'content: |  # a comment\n  body\nb: 1',
      'content: |#x\n  body\nb: 1',
      'content: |2\n  body\nb: 1',
      'content: |-2\n  body\nb: 1',
      'content: >\n  folded\nb: 1',
      'content: |\n   \n  body\nb: 1',
      'content: |\n \n  body\nb: 1',
      'content: |\n  body\n   \nb: 1',
      'content: |\nb: 1',
      'content: |-\n\nb: 1',
      'content: |\n  a\n b\nc: 1',
      'content: |\r\n  crlf\r\n  lines\r\nb: 1',
      'a: 1\ncontent: |-\n  ---\n  key: not a key\n  - not a list\nb: [x]',
    ];
    let fast = 0;
    for (const src of blocks) if (check(src, JSON.stringify(src)) === 'fast') fast++;
    assert.ok(fast >= 10, `most plain literal blocks take the fast path (${fast}/${blocks.length})`);
  });

  it('reads the scalar forms of the core schema like the library', () => {
    const values = ['', '~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'x true', '0', '007', '-3', '+3', '0o17', '0x1F', '1.5', '1.', '.5', '1e3', '1.5E-2', '.inf', '-.Inf', '.nan', '.NaN', '1_000', '12:30', 'a:b', '[a, b:]', '[b:, a]', '[a:[b]]', '[a:{}]', 'C#', 'a #b', "'quoted'", '"dq \\"x\\""', "'it''s'", '"\\u00e9"', 'http://x.y/z?a=1#frag'];
    for (const v of values) check(`\nk: ${v}\n`, JSON.stringify(v));
  });

  it('leaves a __proto__ key to the library, which keeps it as a key and the data a plain object', () => {
    for (const src of ['__proto__: x\ntitle: a', '__proto__: {}\ntitle: a', '__proto__:\ntitle: a', 'm:\n  __proto__: x\n']) {
      assert.strictEqual(check(src, JSON.stringify(src)), 'slow', JSON.stringify(src));
    }
  });

  it('reads a plain value starting with @ as the library does, noting where each @ is', () => {
    const cases: [string, number[] | 'slow'][] = [
      ['\nassignee: @alice\n', [11]],
      ['\nassignee: @alice # lead\ntitle: x\n', [11]],
      ['\nreviewers: [@bob, @carol]\n', [13, 19]],
      ['\nreviewers: [@, b]\n', [13]],
      ['\nt:\n  - @x\n  - y\n', [8]],
      ['\nm:\n  k: @x\n', [9]],
      ['\na: @ x\n', [4]],
      ['\na: @\nb: 1\n', [4]],
      ['\na: "@x"\n', []],
      ['\na: b@c\n', []],
      ['\na: @x: y\n', 'slow'],
      ['\na: `x`\n', 'slow'],
    ];
    for (const [src, reserved] of cases) {
      const answer = check(src, JSON.stringify(src));
      assert.strictEqual(answer, reserved === 'slow' ? 'slow' : 'fast', JSON.stringify(src));
      if (reserved !== 'slow') assert.deepStrictEqual(parseFrontmatterFast(src)?.reserved, reserved, JSON.stringify(src));
    }
  });
});
