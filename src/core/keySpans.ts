/**
 * Where each top-level frontmatter key and its value sit in the file. Every indexed item holds one, so
 * it keeps only offsets (four a key, in one typed array) into the text the item was parsed from, and
 * makes line/character ranges when asked: a cold index then never counts lines, and asks are few (a
 * problem's range, a go-to-definition).
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
    private readonly text: string,
  ) {}

  /**
   * The first `n` keys of `names`, with four offsets a key into `text` in `spans` (key start, key end,
   * value start, value end). Neither array is kept.
   */
  static fromSpans(names: readonly string[], spans: readonly number[], text: string, n = names.length): KeySpans {
    const at = new Int32Array(n * 4);
    for (let j = 0; j < n * 4; j++) at[j] = spans[j];
    return new KeySpans(intern(names, n), at, text);
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
    return i === -1 ? undefined : this.span(i, new LineMap(this.text));
  }

  *entries(): IterableIterator<[string, KeySpan]> {
    const lines = new LineMap(this.text);
    for (let i = 0; i < this.order.length; i++) yield [this.order[i], this.span(i, lines)];
  }

  private span(i: number, lines: LineMap): KeySpan {
    const a = this.at;
    const o = i * 4;
    return { key: lines.range(a[o], a[o + 1]), value: lines.range(a[o + 2], a[o + 3]) };
  }
}
