/**
 * IPython syntax that plain python3 cannot run: line magics (`%matplotlib`),
 * cell magics (`%%bash`), shell escapes (`!pip install`) and their
 * assignment forms (`files = !ls`). They are commented out, never
 * translated: a `!pip install` belongs in the environment, not the stage.
 */

/** One commented-out piece of IPython syntax. */
export interface Magic {
  readonly cell: number;
  /** 1-based line within the cell. */
  readonly line: number;
  readonly text: string;
}

// Cell magics whose body is still Python: only the `%%` line goes.
const PYTHON_BODY_CELL_MAGICS = new Set(["time", "timeit", "capture", "prun", "debug"]);
const MAGIC_LINE = /^(\s*)(?:[A-Za-z_][\w.,\s]*=\s*)?(%|!)/;
const TRIPLE = /'''|"""/g;
// Not a bare `# %%bash`: editors would take that for a cell marker.
const MARK = "# ipython: ";

/** Comments out the IPython syntax of one cell; returns the cleaned code and what was removed. */
export function commentOutMagics(source: string, cell: number): { code: string; magics: Magic[] } {
  const lines = source.split("\n");
  const magics: Magic[] = [];
  const cellMagic = /^%%(\w+)/.exec(lines[0] ?? "");
  if (cellMagic) {
    magics.push({ cell, line: 1, text: (lines[0] as string).trim() });
    if (!PYTHON_BODY_CELL_MAGICS.has(cellMagic[1] as string)) {
      // A %%bash or %%writefile body is not Python: the whole cell goes.
      return { code: lines.map((l) => `${MARK}${l}`.trimEnd()).join("\n"), magics };
    }
    lines[0] = `${MARK}${lines[0] as string}`;
  }
  let openTriple: string | undefined; // inside a triple-quoted string, `%` at a line start is text
  for (let i = cellMagic ? 1 : 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const match = openTriple ? null : MAGIC_LINE.exec(line);
    if (match) {
      const indent = match[1] ?? "";
      const first = i + 1;
      let text = line.trim();
      lines[i] = commented(indent, line.slice(indent.length));
      // A magic may continue over lines ending in a backslash.
      while (lines[i]?.endsWith("\\") && i + 1 < lines.length) {
        i++;
        text += `\n${(lines[i] as string).trim()}`;
        lines[i] = `${indent}${MARK}${(lines[i] as string).trimStart()}`;
      }
      magics.push({ cell, line: first, text });
      continue;
    }
    openTriple = tripleStateAfter(line, openTriple);
  }
  return { code: lines.join("\n"), magics };
}

/** An indented magic becomes `pass` so a block it was alone in stays valid Python. */
function commented(indent: string, body: string): string {
  return indent === "" ? `${MARK}${body}` : `${indent}pass  ${MARK}${body}`;
}

/** Tracks whether a line leaves a triple-quoted string open (ignoring `#` inside strings is close enough). */
function tripleStateAfter(line: string, open: string | undefined): string | undefined {
  const code = open ? line : line.replace(/#.*$/, "");
  let state = open;
  for (const match of code.matchAll(TRIPLE)) {
    if (state === undefined) state = match[0];
    else if (state === match[0]) state = undefined;
  }
  return state;
}
