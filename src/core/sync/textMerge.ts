/**
 * Line-based three-way text merge in the manner of diff3: the changes each side made to the base
 * are found with a longest-common-subsequence diff; changes that do not touch combine, changes that
 * overlap or touch must be identical, or the merge reports a conflict instead of guessing.
 */

/** A side's replacement of base lines [start, end) by `lines`. */
interface Hunk {
  start: number;
  end: number;
  lines: string[];
}

export type TextMergeResult = { ok: true; text: string } | { ok: false };

/** Lines with their line ends, so that joining them gives back the text byte for byte. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The hunks that turn `base` into `other`: an LCS over the lines between the common prefix and suffix. */
function diff(base: string[], other: string[]): Hunk[] {
  let pre = 0;
  while (pre < base.length && pre < other.length && base[pre] === other[pre]) pre++;
  let suf = 0;
  while (suf < base.length - pre && suf < other.length - pre && base[base.length - 1 - suf] === other[other.length - 1 - suf]) suf++;
  const a = base.slice(pre, base.length - suf);
  const b = other.slice(pre, other.length - suf);
  if (!a.length && !b.length) return [];
  // lcs[i][j]: length of the LCS of a[i..] and b[j..]. Bodies are small (a few hundred lines at most).
  const lcs: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const hunks: Hunk[] = [];
  let open: Hunk | undefined;
  let i = 0;
  let j = 0;
  const flush = () => {
    if (open) hunks.push(open);
    open = undefined;
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      flush();
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      open ??= { start: pre + i, end: pre + i, lines: [] };
      open.lines.push(b[j++]);
    } else {
      open ??= { start: pre + i, end: pre + i, lines: [] };
      open.end = pre + ++i;
    }
  }
  flush();
  return hunks;
}

/** The text of base lines [start, end) with one side's hunks inside that range applied. */
function applyWithin(base: string[], start: number, end: number, hunks: Hunk[]): string[] {
  const out: string[] = [];
  let at = start;
  for (const h of hunks) {
    out.push(...base.slice(at, h.start), ...h.lines);
    at = h.end;
  }
  out.push(...base.slice(at, end));
  return out;
}

const same = (x: string[], y: string[]) => x.length === y.length && x.every((l, k) => l === y[k]);

/**
 * Merge two edits of one text. Changes of one side only are taken; where both changed the same
 * or adjacent lines, they must agree exactly.
 */
export function mergeText(base: string, local: string, remote: string): TextMergeResult {
  if (local === remote) return { ok: true, text: local };
  if (local === base) return { ok: true, text: remote };
  if (remote === base) return { ok: true, text: local };
  const b = splitLines(base);
  const tagged = [
    ...diff(b, splitLines(local)).map((h) => ({ h, side: 0 })),
    ...diff(b, splitLines(remote)).map((h) => ({ h, side: 1 })),
  ].sort((x, y) => x.h.start - y.h.start || x.h.end - y.h.end);
  const out: string[] = [];
  let at = 0;
  for (let k = 0; k < tagged.length; ) {
    // A group: hunks that overlap or touch, transitively.
    const group = [tagged[k++]];
    let end = group[0].h.end;
    while (k < tagged.length && tagged[k].h.start <= end) {
      end = Math.max(end, tagged[k].h.end);
      group.push(tagged[k++]);
    }
    const start = group[0].h.start;
    out.push(...b.slice(at, start));
    const sides = [0, 1].map((s) => group.filter((g) => g.side === s).map((g) => g.h));
    if (!sides[0].length || !sides[1].length) {
      out.push(...applyWithin(b, start, end, sides[0].length ? sides[0] : sides[1]));
    } else {
      const mine = applyWithin(b, start, end, sides[0]);
      const theirs = applyWithin(b, start, end, sides[1]);
      if (!same(mine, theirs)) return { ok: false };
      out.push(...mine);
    }
    at = end;
  }
  out.push(...b.slice(at));
  return { ok: true, text: out.join('') };
}
