/**
 * The link syntax VS Code recognises in notification messages, modal messages and input validation
 * messages: `parseLinkedText` in src/vs/base/common/linkedText.ts (the same expression ships in the
 * code-server workbench the integration tests run). Everything else in such a message is plain text.
 */
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

/** The links VS Code would render in a message, as `label -> href`. */
export function renderedLinks(message: string): string[] {
  return [...message.matchAll(LINK)].map((m) => `${m[1]} -> ${m[2]}`);
}
