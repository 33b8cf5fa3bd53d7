/** Quotes a word for `/bin/sh`: bare when it is plainly safe, single-quoted otherwise. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
