/**
 * Finds the files a notebook reads and writes, when it names them plainly:
 * a string literal as the path argument of a well-known I/O call. A path
 * built at run time (`f"data/{day}.csv"`, `os.path.join(...)`) is not found;
 * that is the price of never guessing.
 */
import { tokenize, type Token } from "./python-lexer.js";

/** Whether a call reads the file or writes it. */
export type Direction = "read" | "write";

/** One literal path at one call site. */
export interface PathUse {
  readonly path: string;
  readonly direction: Direction;
  /** The called name (`read_csv`, `open`), for messages. */
  readonly call: string;
  /** Offsets of the string literal in the cell code, to be replaced by the parsed flag. */
  readonly start: number;
  readonly end: number;
}

/**
 * Calls whose path is the first positional argument. The last part of a
 * dotted call is matched (`pd.read_csv`, `df.to_csv`, `plt.savefig`), so a
 * library need not be imported under its usual alias.
 */
const FIRST_ARG: Readonly<Record<string, Direction>> = {
  read_csv: "read", read_table: "read", read_parquet: "read", read_json: "read", read_excel: "read",
  read_feather: "read", read_pickle: "read", read_hdf: "read", read_fwf: "read", read_orc: "read",
  load: "read", loadtxt: "read", genfromtxt: "read", fromfile: "read", imread: "read", load_model: "read",
  to_csv: "write", to_parquet: "write", to_json: "write", to_excel: "write", to_feather: "write",
  to_pickle: "write", to_hdf: "write", savefig: "write", savetxt: "write", savez: "write",
  savez_compressed: "write", imwrite: "write", imsave: "write", tofile: "write",
};
/** `np.save(path, x)` but `torch.save(x, path)`, `joblib.dump(x, path)`: the first literal of two. */
const EITHER_ARG: Readonly<Record<string, Direction>> = { save: "write", dump: "write" };

/**
 * Every literal path in the code, in order; and the I/O calls whose path is
 * an f-string, which the user has to declare by hand (`savefig(f"{name}.png")`).
 */
export function findPathUses(code: string): { uses: PathUse[]; dynamic: string[] } {
  const tokens = tokenize(code).filter((t) => t.kind !== "comment" && t.kind !== "newline");
  const uses: PathUse[] = [];
  const dynamic: string[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    const name = tokens[i] as Token;
    if (name.kind !== "name" || tokens[i + 1]?.text !== "(" || tokens[i - 1]?.text === "def") continue;
    const args = callArguments(tokens, i + 2);
    const use = pathArgument(name.text, args);
    if (use) uses.push({ ...use, call: name.text });
    else if (isIoCall(name.text) && args.some((a) => a.tokens.length === 1 && a.tokens[0]?.kind === "string" && a.tokens[0].value === undefined)) {
      dynamic.push(`${name.text}(${args[0]?.tokens[0]?.text ?? ""}${args.length > 1 ? ", ..." : ""})`);
    }
  }
  return { uses, dynamic };
}

function isIoCall(call: string): boolean {
  return call === "open" || call in FIRST_ARG || call in EITHER_ARG;
}

type Argument = { readonly keyword: string | undefined; readonly tokens: readonly Token[] };

function pathArgument(call: string, args: readonly Argument[]): Omit<PathUse, "call"> | undefined {
  const positional = args.filter((a) => a.keyword === undefined);
  if (call === "open") {
    const path = literalOf(positional[0]);
    if (!path) return undefined;
    const mode = literalOf(positional[1])?.value ?? literalOf(args.find((a) => a.keyword === "mode"))?.value ?? "r";
    return { ...path, direction: /[wax+]/.test(mode) ? "write" : "read" };
  }
  const first = FIRST_ARG[call];
  if (first) {
    const path = literalOf(positional[0]);
    return path ? { ...path, direction: first } : undefined;
  }
  const either = EITHER_ARG[call];
  if (either) {
    const path = literalOf(positional[0]) ?? literalOf(positional[1]);
    return path ? { ...path, direction: either } : undefined;
  }
  return undefined;
}

/** A plain string literal argument that looks like a path (not a URL). */
function literalOf(arg: Argument | undefined): { path: string; value: string; start: number; end: number } | undefined {
  const token = arg?.tokens.length === 1 ? arg.tokens[0] : undefined;
  if (token?.kind !== "string" || token.value === undefined || token.value === "") return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(token.value)) return undefined;
  return { path: token.value, value: token.value, start: token.start, end: token.end };
}

/** Splits the arguments of a call at top-level commas, from just after `(` to its `)`. */
function callArguments(tokens: readonly Token[], from: number): Argument[] {
  const args: Argument[] = [];
  let current: Token[] = [];
  let depth = 0;
  const flush = () => {
    if (current.length === 0) return;
    const keyword = current[0]?.kind === "name" && current[1]?.text === "=" ? current[0].text : undefined;
    args.push({ keyword, tokens: keyword ? current.slice(2) : current });
    current = [];
  };
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if ("([{".includes(token.text) && token.kind === "op") depth++;
    if (")]}".includes(token.text) && token.kind === "op") {
      if (depth === 0) break;
      depth--;
    }
    if (depth === 0 && token.text === "," && token.kind === "op") flush();
    else current.push(token);
  }
  flush();
  return args;
}
