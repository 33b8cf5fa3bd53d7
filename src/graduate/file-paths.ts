/**
 * Finds the files a notebook reads and writes, when it names them plainly:
 * a string literal as the path argument of a well-known I/O call. A path
 * built at run time (`f"data/{day}.csv"`, `os.path.join(...)`) is not
 * guessed: the call is reported as undetected, for the user to declare.
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
 * Calls that put a result somewhere other than a file the stage could
 * declare: scrapbook's `glue` records a value in the executed notebook
 * (papermill's output notebook, which a script run does not have), MLflow's
 * `log_*` send files and values to a tracking server.
 */
const SIDE_OUTPUTS: Readonly<Record<string, string>> = {
  glue: "records a value in the executed notebook (scrapbook), which a script run does not write",
  log_artifact: "sends a file to the tracking server, not to a file the stage declares",
  log_artifacts: "sends files to the tracking server, not to files the stage declares",
  log_figure: "sends a figure to the tracking server, not to a file the stage declares",
  log_dict: "sends a value to the tracking server, not to a file the stage declares",
  log_text: "sends text to the tracking server, not to a file the stage declares",
  log_image: "sends an image to the tracking server, not to a file the stage declares",
};

/** A file use graduate cannot pin down: a path built at run time, or an output sent elsewhere. */
export interface UndetectedUse {
  /** The call as written, shortened (`savefig(os.path.join(...))`). */
  readonly code: string;
  /** `read` or `write` for an I/O call whose path is computed; `elsewhere` for a side output. */
  readonly direction: Direction | "elsewhere";
  /** Why it could not be declared, for the message. */
  readonly why: string;
  /** Offset of the call in the cell code. */
  readonly offset: number;
}

/**
 * Every literal path in the code, in order; and every I/O call whose path
 * is built at run time (`savefig(f"{name}.png")`, `open(path, "w")`) or
 * whose output goes somewhere other than a file (`sb.glue`), which the user
 * has to declare by hand. A file handle from `open(...)` passed on
 * (`json.load(f)`) is not a path and is not reported.
 */
export function findPathUses(code: string): { uses: PathUse[]; undetected: UndetectedUse[] } {
  const tokens = tokenize(code).filter((t) => t.kind !== "comment" && t.kind !== "newline");
  const handles = fileHandles(tokens);
  const uses: PathUse[] = [];
  const undetected: UndetectedUse[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    const name = tokens[i] as Token;
    if (name.kind !== "name" || tokens[i + 1]?.text !== "(" || tokens[i - 1]?.text === "def") continue;
    const args = callArguments(tokens, i + 2);
    const call = `${name.text}(${shorten(args, code)})`;
    const elsewhere = SIDE_OUTPUTS[name.text];
    if (elsewhere && tokens[i - 1]?.text === ".") {
      undetected.push({ code: call, direction: "elsewhere", why: elsewhere, offset: name.start });
      continue;
    }
    const use = pathArgument(name.text, args);
    if (use) uses.push({ ...use, call: name.text });
    else if (isIoCall(name.text) && computedPath(name.text, args, handles)) {
      const direction = name.text === "open" ? openDirection(args) : (FIRST_ARG[name.text] ?? EITHER_ARG[name.text] ?? "read");
      undetected.push({ code: call, direction, why: `${direction === "write" ? "writes to" : "reads from"} a path built at run time`, offset: name.start });
    }
  }
  return { uses, undetected };
}

/** Whether the path argument of an I/O call is an expression rather than a literal or an open file handle. */
function computedPath(call: string, args: readonly Argument[], handles: ReadonlySet<string>): boolean {
  const positional = args.filter((a) => a.keyword === undefined);
  const candidates = call in EITHER_ARG ? positional.slice(0, 2) : positional.slice(0, 1);
  // `yaml.dump(data)` returns text; `dump` writes a file only when given one as well.
  if (candidates.length === 0 || (call === "dump" && candidates.length < 2)) return false;
  const isHandle = (a: Argument) => a.tokens.length === 1 && a.tokens[0]?.kind === "name" && handles.has(a.tokens[0].text);
  // `pickle.dump(obj, f)`: one of the two is the handle; `np.save(path, x)`: a literal was found already.
  if (candidates.some(isHandle)) return false;
  const path = call in EITHER_ARG ? candidates[candidates.length - 1] : candidates[0];
  return path !== undefined && !(path.tokens.length === 1 && path.tokens[0]?.kind === "string" && path.tokens[0].value !== undefined);
}

/** Names bound to an open file: `with open(...) as f`, `f = open(...)`. */
function fileHandles(tokens: readonly Token[]): Set<string> {
  const handles = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.text !== "open" || tokens[i + 1]?.text !== "(") continue;
    if (tokens[i - 1]?.text === "=" && tokens[i - 2]?.kind === "name") handles.add(tokens[i - 2]?.text as string);
    let depth = 0;
    let j = i + 1;
    for (; j < tokens.length; j++) {
      if (tokens[j]?.text === "(") depth++;
      else if (tokens[j]?.text === ")" && --depth === 0) break;
    }
    if (tokens[j + 1]?.text === "as" && tokens[j + 2]?.kind === "name") handles.add(tokens[j + 2]?.text as string);
  }
  return handles;
}

function openDirection(args: readonly Argument[]): Direction {
  const positional = args.filter((a) => a.keyword === undefined);
  const mode = literalOf(positional[1])?.value ?? literalOf(args.find((a) => a.keyword === "mode"))?.value ?? "r";
  return /[wax+]/.test(mode) ? "write" : "read";
}

/** The first argument as written, and `...` for the rest: enough to find the call in the notebook. */
function shorten(args: readonly Argument[], code: string): string {
  const first = args[0];
  const [from, to] = [first?.tokens[0], first?.tokens[first.tokens.length - 1]];
  if (!first || !from || !to) return "";
  const text = `${first.keyword ? `${first.keyword}=` : ""}${code.slice(from.start, to.end).replace(/\s+/g, " ")}`;
  return `${text.length > 40 ? `${text.slice(0, 37)}...` : text}${args.length > 1 ? ", ..." : ""}`;
}

function isIoCall(call: string): boolean {
  return call === "open" || call in FIRST_ARG || call in EITHER_ARG;
}

type Argument = { readonly keyword: string | undefined; readonly tokens: readonly Token[] };

function pathArgument(call: string, args: readonly Argument[]): Omit<PathUse, "call"> | undefined {
  const positional = args.filter((a) => a.keyword === undefined);
  if (call === "open") {
    const path = literalOf(positional[0]);
    return path ? { ...path, direction: openDirection(args) } : undefined;
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
