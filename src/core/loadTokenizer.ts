/**
 * The tokenizer, loaded on first use from tokenizer.js beside this code: the bundles put it in
 * dist/tokenizer.js next to dist/extension.js and dist/cli.js, the compiled tests next to this file.
 * Its ~1 MB of ranks is then read only by what counts tokens, never when the extension or the CLI starts.
 */
import * as path from 'path';

let count: ((text: string) => number) | undefined;

export function loadTokenizer(): (text: string) => number {
  count ??= (require(path.join(__dirname, 'tokenizer.js')) as typeof import('./tokenizer')).countTokens;
  return count;
}
