/** Offsets ↔ line/character positions, and content hashes. */
import * as crypto from 'crypto';
import { Position, Range } from './model';

/**
 * Positions as an editor shows the text: a line ends at `\n`, `\r\n` or a lone `\r`, and a position
 * never points into a line break. Editors drop a leading byte order mark, so on a text that has one,
 * line 0 counts its characters from after it.
 */
export class LineMap {
  /** Where each line starts, as far as the text has been read. */
  private readonly starts: number[] = [0];
  /** Every line start at or before this offset is in `starts`. */
  private scanned = 0;
  private readonly cr: boolean;
  private readonly bom: number;
  constructor(readonly text: string) {
    this.cr = text.includes('\r');
    this.bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }
  /**
   * Read line starts up to `offset` (lazily: parsing a task file asks only for positions in its
   * frontmatter, so its body is never scanned).
   */
  private scanTo(offset: number): void {
    const text = this.text;
    let i = this.scanned;
    if (i >= text.length) return;
    while (i <= offset && i < text.length) {
      if (!this.cr) {
        const nl = text.indexOf('\n', i);
        if (nl === -1) {
          i = text.length;
          break;
        }
        this.starts.push(nl + 1);
        i = nl + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
      i++;
    }
    this.scanned = i;
  }
  /** Line starts up to the `line`-th, as far as the text has them. */
  private scanLines(line: number): void {
    while (this.starts.length <= line && this.scanned < this.text.length) this.scanTo(this.scanned + 4096);
  }
  positionAt(offset: number): Position {
    const line = this.lineAt(offset);
    return { line, character: this.characterAt(offset, line) };
  }
  private clamp(offset: number): number {
    const o = Math.max(0, Math.min(offset, this.text.length));
    // Between the `\r` and `\n` of a line end: the end of the line.
    return o > 0 && this.text.charCodeAt(o - 1) === 13 && this.text.charCodeAt(o) === 10 ? o - 1 : o;
  }
  private lineAt(offset: number): number {
    const o = Math.max(0, Math.min(offset, this.text.length));
    this.scanTo(o);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  private characterAt(offset: number, line: number): number {
    return Math.max(0, this.clamp(offset) - this.starts[line] - (line === 0 ? this.bom : 0));
  }
  offsetAt(pos: Position): number {
    this.scanLines(pos.line);
    const line = Math.min(pos.line, this.starts.length - 1);
    const start = (this.starts[line] ?? 0) + (line === 0 ? this.bom : 0);
    return Math.min(start + pos.character, this.text.length);
  }
  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** Node's one-shot hash where it has one (twice as fast on small texts), else the streaming one. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }).hash;

export function hashText(text: string): string {
  return oneShot ? oneShot('sha1', text, 'base64') : crypto.createHash('sha1').update(text).digest('base64');
}

/** The line ending a file uses (the first one found), so that inserted lines match it. */
export function eolOf(text: string): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}
