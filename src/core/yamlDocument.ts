/**
 * The YAML library's reading of a frontmatter, with duplicate keys reported as its `uniqueKeys` option
 * reports them, but in linear time: the option compares each key with every key before it in its map,
 * so a frontmatter of 50 000 short keys (well under the size limit) took half a minute to read.
 */
import { DocumentOptions, isMap, isScalar, isSeq, parseDocument, ParseOptions, SchemaOptions, YAMLParseError } from 'yaml';
import type { Document } from 'yaml';

export function parseYamlDocument(src: string, options: ParseOptions & DocumentOptions & SchemaOptions = {}): Document.Parsed {
  const doc = parseDocument(src, { ...options, uniqueKeys: false });
  // A stack, not recursion: nesting may be as deep as the library could read.
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        // The library's test: two scalars whose values are `===` (so NaN never repeats).
        if (isScalar(key)) {
          if (seen.has(key.value) && key.value === key.value) {
            const at = key.range?.[0] ?? 0;
            doc.errors.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
          }
          seen.add(key.value);
        }
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return doc;
}
