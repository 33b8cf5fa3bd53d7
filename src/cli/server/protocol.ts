/**
 * What the sluice server and its clients say to each other over a Unix
 * socket: one JSON message per line. Shared by the server (serve.ts), the
 * client `bin/sluice.js` loads before anything else (client.ts) and
 * `sluice server`; it imports only Node, so the client stays small.
 *
 *   client ─ command ─▶ server     (argv, cwd, env of the invocation)
 *   client ◀─ started ── server    (the pid a Ctrl-C or SIGTERM is then sent to)
 *   client ─ signal ──▶ server     (a Ctrl-C or SIGTERM that came before `started`)
 *   client ◀─ out / err ─ server   (what the command prints)
 *   client ◀─ exit ───── server    (its exit code), or
 *   client ◀─ declined ─ server    (nothing was done: run it yourself)
 */
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { StringDecoder } from "node:string_decoder";

export { findWorkspaceRoot } from "../../util/workspace-root.js";

export type ClientMessage =
  | {
      readonly type: "command";
      /** The client's `process.argv[0]` and `[1]`: how to start sluice again (a cluster job does). */
      readonly node: string;
      readonly bin: string;
      readonly args: readonly string[];
      readonly cwd: string;
      readonly env: Readonly<Record<string, string>>;
      /** The client's file mode creation mask: what the command's files are made with. */
      readonly umask: number;
      readonly terminal: Terminal;
    }
  | { readonly type: "signal"; readonly signal: "SIGINT" | "SIGTERM" }
  | { readonly type: "stop" }
  | { readonly type: "status" };

/** The client's terminal: the size of each stream that is one (absent: not a terminal), and whether it shows colours. */
export interface Terminal {
  readonly stdout?: TerminalSize;
  readonly stderr?: TerminalSize;
  readonly colors: boolean;
}

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

export type ServerMessage =
  | { readonly type: "out" | "err"; readonly text: string }
  /** The command starts in process `pid`: the client signals it directly, since a busy load reads no socket. */
  | { readonly type: "started"; readonly pid: number }
  | { readonly type: "exit"; readonly code: number }
  /** `restart`: the server stopped, since sluice or a package changed under it; a new one can be started. */
  | { readonly type: "declined"; readonly reason: string; readonly restart?: boolean }
  | {
      readonly type: "status";
      readonly pid: number;
      readonly root: string;
      readonly commands: number;
      readonly startedAt: string;
      /** The server's resident memory, in bytes. */
      readonly rssBytes: number;
    };

/** A running server's answer to `status`. */
export type StatusReply = Extract<ServerMessage, { readonly type: "status" }>;

/** "1 command", "3 commands": what a server has run, as its log and `sluice server status` say it. */
export function commandCount(count: number): string {
  return `${count} command${count === 1 ? "" : "s"}`;
}

/** The environment variable that lets `sluice run` and `sluice status` use a server (`1`). */
export const SERVER_ENV = "SLUICE_SERVER";

/**
 * What the server's node is started with. The fresh loads of src/pipeline/fresh-modules.ts need the
 * first two; Node warns that they are experimental, once, into the server's log, which tells its
 * reader nothing. V8's compilation cache would keep every load's modules, and with them everything a
 * module made as it was evaluated (the declarations of ten thousand stages), until a collection that
 * reduces memory, which a busy server rarely gets; and each load compiles its modules anew anyway, so
 * the cache is off. (The server collects garbage itself before deciding it has grown too big: see
 * serve.ts, which reaches `gc` without `--expose-gc`, so pipeline code sees the globals it would see
 * in a process of its own.)
 */
export const SERVER_NODE_OPTIONS = [
  "--experimental-vm-modules",
  "--experimental-import-meta-resolve",
  "--disable-warning=ExperimentalWarning",
  "--no-compilation-cache",
] as const;

/** The commands a server runs; every other command runs in its own process. */
export const SERVED_COMMANDS: ReadonlySet<string> = new Set(["run", "status"]);

/**
 * The socket of the server for workspace `root` and the sluice installed at
 * `install`: one per user, workspace, sluice and Node, so a server never
 * answers for another installation. Under the temp folder, since a socket
 * path is limited to ~100 bytes.
 */
export function socketPath(root: string, install: string): string {
  const id = createHash("sha256").update(`${resolve(root)}\0${resolve(install)}\0${process.version}`).digest("hex").slice(0, 20);
  return join(privateServerDir(), `${id}.sock`);
}

/** The folder of server sockets is not this user's alone; nothing may be served through it. */
export class UnsafeServerDir extends Error {}

/**
 * This user's folder of server sockets and logs, made (0700) when it does
 * not exist. Whoever can write in it could answer in a server's place and
 * read every command's environment, so a folder another user owns or can
 * enter is refused, never repaired.
 */
function privateServerDir(): string {
  const uid = process.getuid?.() ?? 0;
  const dir = join(tmpdir(), `sluice-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) {
    const what = stat.isDirectory() ? `owned by uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}` : "not a folder";
    throw new UnsafeServerDir(`${dir} is not a private folder of yours (${what}); remove it and the next command makes a new one`);
  }
  return dir;
}

/**
 * Splits a stream of bytes into messages, one JSON document per line. A line
 * that is no JSON document is the piece of a message whose writing was
 * stopped (client-line.ts): it is skipped.
 */
export function messageReader<T>(onMessage: (message: T) => void): (chunk: Buffer) => void {
  let pending = "";
  // A character's bytes may arrive in two chunks.
  const decoder = new StringDecoder("utf8");
  return (chunk) => {
    pending += decoder.write(chunk);
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const message = parsedLine(line);
      if (message !== undefined) onMessage(message as T);
      newline = pending.indexOf("\n");
    }
  };
}

/** One message as the wire carries it. */
function parsedLine(line: string): unknown {
  try {
    return line === "" ? undefined : (JSON.parse(line) as unknown);
  } catch {
    return undefined;
  }
}

export function encode(message: ClientMessage | ServerMessage): string {
  return `${JSON.stringify(message)}\n`;
}
