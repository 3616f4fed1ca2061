/**
 * Where each top-level frontmatter key and its value sit in the file. Every indexed item holds one, so
 * the positions are packed in one typed array (eight numbers a key) and become ranges only when asked for.
 */
import { KeySpan } from './model';
import { LineMap } from './text';

/**
 * Thousands of files list the same keys in the same order (the CLI writes them so): they share one
 * frozen list, which keeps the index smaller and its garbage collection cheaper.
 */
const orders = new Map<string, readonly string[]>();
const MAX_ORDERS = 1000;
/** The lists found last: files of one folder mostly repeat one of a few, so most are found here without joining. */
const recent: (readonly string[])[] = [];
const RECENT = 4;
/** Is `list` the first `n` of `names`? */
function same(list: readonly string[], names: readonly string[], n: number): boolean {
  if (list.length !== n) return false;
  for (let i = 0; i < n; i++) if (list[i] !== names[i]) return false;
  return true;
}
/** The shared list equal to the first `n` of `names` (which may be a reused buffer), else a copy. */
function intern(names: readonly string[], n: number): readonly string[] {
  const hit = recent.find((r) => same(r, names, n));
  if (hit) return hit;
  const list = names.slice(0, n);
  const key = list.join('\n');
  let known = orders.get(key);
  if (!known && orders.size < MAX_ORDERS) orders.set(key, (known = Object.freeze(list)));
  if (!known) return list;
  if (recent.unshift(known) > RECENT) recent.pop();
  return known;
}

export class KeySpans {
  private constructor(
    private readonly order: readonly string[],
    private readonly at: Int32Array,
  ) {}

  /**
   * Pack offsets (into the text `lines` maps) as line/character positions: the first `n` keys of
   * `names`, and four offsets a key in `spans` (key start, key end, value start, value end). Neither
   * array is kept.
   */
  static fromSpans(names: readonly string[], spans: readonly number[], lines: LineMap, n = names.length): KeySpans {
    const at = new Int32Array(n * 8);
    let line = 0;
    for (let j = 0; j < n * 4; j++) line = lines.positionInto(spans[j], at, j * 2, line);
    return new KeySpans(intern(names, n), at);
  }

  get size(): number {
    return this.order.length;
  }

  /** The keys in the order the file has them. */
  names(): readonly string[] {
    return this.order;
  }

  has(name: string): boolean {
    return this.order.includes(name);
  }

  get(name: string): KeySpan | undefined {
    const i = this.order.indexOf(name);
    return i === -1 ? undefined : this.span(i);
  }

  *entries(): IterableIterator<[string, KeySpan]> {
    for (let i = 0; i < this.order.length; i++) yield [this.order[i], this.span(i)];
  }

  private span(i: number): KeySpan {
    const a = this.at;
    const o = i * 8;
    return {
      key: { start: { line: a[o], character: a[o + 1] }, end: { line: a[o + 2], character: a[o + 3] } },
      value: { start: { line: a[o + 4], character: a[o + 5] }, end: { line: a[o + 6], character: a[o + 7] } },
    };
  }
}
