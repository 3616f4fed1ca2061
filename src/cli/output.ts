/** What commands print: plain tables, and text from task files made safe for a terminal. */

/**
 * Text from a task file for a terminal: control characters (escape sequences could move the cursor,
 * rewrite the screen or set the window title) and bidirectional overrides become U+FFFD.
 */
export function terminalText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}

/** Rows under a header, each column as wide as its widest cell; the last column is not padded. */
export function table(head: string[], rows: string[][]): string {
  const cells = [head, ...rows].map((r) => r.map(terminalText));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Write to stdout; resolves once the text is handed to the system (a pipe may be slower than us). */
export function print(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!text) resolve();
    else process.stdout.write(text, () => resolve());
  });
}
