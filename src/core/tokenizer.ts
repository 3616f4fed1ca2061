/**
 * The tokenizer AI contexts are counted with (GPT-4's cl100k_base). Bundled on its own
 * (dist/tokenizer.js) and loaded by loadTokenizer.ts: its ~1 MB of ranks is read only when a context is
 * first put together, never when the extension or the CLI starts. Special-token spellings in a task file (`<|endoftext|>`) count as the plain text they are.
 */
import { countTokens as count } from 'gpt-tokenizer/encoding/cl100k_base';

const asText = { disallowedSpecial: new Set<string>() };

export function countTokens(text: string): number {
  return count(text, asText);
}
