/**
 * Text from the repository (task titles, ids, file and branch names, commit subjects, config values)
 * shown in a notification. VS Code renders one piece of markdown there, the link: `[label](command:…)`,
 * `(https://…)` or `(file:…)` becomes a link that runs or opens its target when clicked, so a task titled
 * `[Details](command:…)` would put a command of the repository's choosing under the user's mouse. Its
 * parser needs `](` with nothing between; a word joiner (U+2060: invisible, never a line break) after
 * each `]` keeps the text reading exactly as written while no link can form. Backslash escapes would
 * not help: VS Code does not read them there and would show the backslashes.
 */
const WORD_JOINER = '\u2060';

export function plain(text: string): string {
  return text.replace(/\](?!\u2060)/g, `]${WORD_JOINER}`);
}
