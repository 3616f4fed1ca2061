/**
 * Task files made to cost as much as possible to read, shared by the tests and bench/hostile.mjs. Each
 * shape comes twice: `within`, as large as the frontmatter limits let it be (it is read, and its
 * problems are capped), and `over`, just under the 1 MiB file limit (it must not be read at all).
 */
import { findFrontmatter, FrontmatterBlock, MAX_FILE_BYTES } from '../../../src/core/parse';
import { frontmatterOverLimit } from '../../../src/core/parseLimits';

export interface HostileFile {
  name: string;
  text: string;
  /** Inside both frontmatter limits: read, its problems capped. Otherwise over one of them: not read. */
  within: boolean;
}

const HEAD = 'task_id: TSK-0001\nissue_id: ISS-0001\ntitle: Hostile\nstatus: active\npriority: high\n';

interface Shape {
  name: string;
  /** The frontmatter up to the repeated part, the i-th repeated part, and what closes it. */
  open: string;
  unit: (i: number) => string;
  close: string;
}

const SHAPES: Shape[] = [
  // Flow collections: the library's slowest input.
  { name: 'flow maps', open: 'x: [', unit: (i) => `{a${i % 10}: [1, {b: c}], d: {e: [f, g]}}, `, close: '0]\n' },
  { name: 'flow sequences', open: 'x: [', unit: () => '[[1, [2, 3]], [4, [5]]], ', close: '0]\n' },
  // 150,000 of them fit in the file limit: one problem each, uncapped.
  { name: 'duplicate keys', open: '', unit: () => 'k: 1\n', close: '' },
  // Each anchor names two of the one before: expanded, an alias bomb.
  { name: 'anchors and aliases', open: 'a0: &a0 [x, y]\n', unit: (i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]\n`, close: '' },
  { name: 'one long scalar', open: 'description: ', unit: () => 'lorem ipsum ', close: '\n' },
  { name: 'deep flow nesting', open: 'x: ', unit: () => '[', close: '' },
  { name: 'deep block nesting', open: 'x:\n  ', unit: () => '- ', close: 'end\n' },
  { name: 'many lines', open: '', unit: (i) => `key_${i}: value ${i}\n`, close: '' },
  // A problem each, through the fast reader's path rather than the library's.
  { name: 'many unquoted @values', open: '', unit: (i) => `who_${i}: @someone\n`, close: '' },
];

/** `units` repeats of a shape, as a whole task file (deep flow nesting closes each bracket it opened). */
function build(shape: Shape, units: number): string {
  const parts = [HEAD, shape.open];
  for (let i = 0; i < units; i++) parts.push(shape.unit(i));
  parts.push(shape.name === 'deep flow nesting' ? `${']'.repeat(units)}\n` : shape.close);
  return `---\n${parts.join('')}---\nBody.\n`;
}

/** The most repeats whose frontmatter passes `fits` (which must hold for 0 and be monotonic). */
function most(shape: Shape, fits: (text: string) => boolean): number {
  let lo = 0;
  let hi = 1;
  while (fits(build(shape, hi))) [lo, hi] = [hi, hi * 2];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(build(shape, mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}

const frontmatter = (text: string) => {
  const block = findFrontmatter(text) as FrontmatterBlock;
  return text.slice(block.start, block.end);
};

export function hostileFiles(): HostileFile[] {
  const readable = (t: string) => frontmatterOverLimit(frontmatter(t)) === undefined;
  const underFileLimit = (t: string) => Buffer.byteLength(t) < MAX_FILE_BYTES;
  return SHAPES.flatMap((s) => [
    { name: `${s.name}, within the limits`, text: build(s, most(s, readable)), within: true },
    { name: `${s.name}, just under the file limit`, text: build(s, most(s, underFileLimit)), within: false },
  ]);
}
