/**
 * Text from a file being reported on (a key, a value, the snippet
 * `JSON.parse` quotes) can hold line breaks and terminal escapes. Echoed
 * raw, one problem would print as two lines, or recolour or clear the
 * user's terminal. Messages pass what they quote through `printable`.
 */

/** C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the invisible byte-order mark. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with every control character written as an escape (`\n`, `\u001b`), so it prints as one plain line. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
