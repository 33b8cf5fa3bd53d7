/**
 * Just enough of a Python tokenizer to find literals safely: strings and
 * comments are recognised so that a `read_csv(` inside a docstring or a
 * `# open("x")` comment is never mistaken for code, and logical line ends
 * are known so a parameters cell can be read statement by statement.
 * Not a parser: anything it does not understand becomes an `op` token.
 */

/** The kinds of token the graduation passes look at. */
export type TokenKind = "name" | "number" | "string" | "comment" | "op" | "newline";

/** One token; `start`/`end` are offsets into the lexed text. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /**
   * For a `string`: its value when it is a plain literal (no f/b prefix, no
   * escapes unless raw, no implicit concatenation needed). Undefined when
   * the value cannot be known without evaluating Python.
   */
  readonly value?: string;
}

const STRING_START = /^([rRuUbBfF]{0,2})('''|"""|'|")/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
// Python numbers: 1_000, 0x1F, 1e-3, .5, 3.; an imaginary `j` suffix included.
const NUMBER = /^(0[xXoObB][0-9a-fA-F_]+|(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d[\d_]*)?[jJ]?)/;

/** Tokenizes Python source; an unterminated string runs to the end of the text. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0; // inside (), [] or {} a line break does not end the statement
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const rest = text.slice(i, i + 4);
    if (ch === "\n") {
      if (depth === 0) tokens.push({ kind: "newline", text: ch, start: i, end: i + 1 });
      i++;
    } else if (ch === "\\" && text[i + 1] === "\n") {
      i += 2; // explicit line continuation
    } else if (ch === " " || ch === "\t" || ch === "\r" || ch === "\f") {
      i++;
    } else if (ch === "#") {
      const end = lineEnd(text, i);
      tokens.push({ kind: "comment", text: text.slice(i, end), start: i, end });
      i = end;
    } else if (STRING_START.test(text.slice(i, i + 5))) {
      const token = readString(text, i);
      tokens.push(token);
      i = token.end;
    } else if (NAME.test(rest)) {
      const name = (NAME.exec(text.slice(i, i + 200)) as RegExpExecArray)[0];
      tokens.push({ kind: "name", text: name, start: i, end: i + name.length });
      i += name.length;
    } else if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      const number = (NUMBER.exec(text.slice(i, i + 100)) as RegExpExecArray)[0];
      tokens.push({ kind: "number", text: number, start: i, end: i + number.length });
      i += number.length;
    } else {
      if ("([{".includes(ch)) depth++;
      else if (")]}".includes(ch)) depth = Math.max(0, depth - 1);
      tokens.push({ kind: "op", text: ch, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf("\n", from);
  return end === -1 ? text.length : end;
}

function readString(text: string, start: number): Token {
  const [, prefix = "", quote = '"'] = STRING_START.exec(text.slice(start, start + 5)) as RegExpExecArray;
  const raw = /r/i.test(prefix);
  const bodyStart = start + prefix.length + quote.length;
  let i = bodyStart;
  let escaped = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "\\") {
      escaped = true;
      i += 2;
      continue;
    }
    if (quote.length === 1 && ch === "\n") break; // unterminated single-line string: stop at the line end
    if (text.startsWith(quote, i)) {
      const end = i + quote.length;
      const body = text.slice(bodyStart, i);
      const plain = !/[fb]/i.test(prefix) && (raw || !escaped);
      return { kind: "string", text: text.slice(start, end), start, end, ...(plain ? { value: body } : {}) };
    }
    i++;
  }
  const end = Math.min(i, text.length);
  return { kind: "string", text: text.slice(start, end), start, end };
}
