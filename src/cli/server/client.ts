/**
 * The client side of the sluice server. With SLUICE_SERVER=1, bin/sluice.js
 * loads this (and nothing else of sluice) first: a `run` or `status` goes
 * to the workspace's server, which has sluice loaded and warm, and prints
 * what it prints. When there is no server yet, one is started in the
 * background and this command runs in its own process, as it always did.
 * Whatever the server declines (it is busy, sluice or a package changed
 * under it, the pipeline cannot be loaded afresh) also runs here: a
 * server only ever makes a command faster, never different.
 */
import { spawn } from "node:child_process";
import { existsSync, fstatSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { constants } from "node:os";
import { isatty } from "node:tty";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  encode,
  findWorkspaceRoot,
  messageReader,
  SERVED_COMMANDS,
  SERVER_ENV,
  SERVER_NODE_OPTIONS,
  socketPath,
  UnsafeServerDir,
  type ClientMessage,
  type ServerMessage,
  type Terminal,
} from "./protocol.js";
import { logPath, openServerLog } from "./server-log.js";

/** Where sluice is installed: its package folder, and the server's entry script in it. */
export interface Install {
  readonly dir: string;
  readonly serverEntry: string;
}

/**
 * Runs `args` through the workspace's server and returns its exit code, or
 * undefined when the command is to run in this process instead.
 */
export async function runThroughServer(args: readonly string[], install: Install): Promise<number | undefined> {
  if (process.env[SERVER_ENV] !== "1" || !servable(args)) return undefined;
  const unservable = unservableProcess();
  if (unservable !== undefined) {
    declinedNote(args, unservable);
    return undefined;
  }
  keepGoingWhenReaderLeaves(process.stdout);
  keepGoingWhenReaderLeaves(process.stderr);
  const root = findWorkspaceRoot(process.cwd());
  if (root === undefined) return undefined;
  let path: string;
  try {
    path = socketPath(root, install.dir);
  } catch (error) {
    if (!(error instanceof UnsafeServerDir)) throw error;
    process.stderr.write(`warning: the sluice server is off: ${error.message}\n`);
    return undefined;
  }
  const socket = await connected(path);
  if (!socket) {
    startServer(root, install, path);
    return undefined;
  }
  const outcome = await command(socket, path, args);
  if (outcome === "restart") startServer(root, install, path);
  return typeof outcome === "number" ? outcome : undefined;
}

/**
 * Whether the server may run this command line: `run` or `status`, in the
 * workspace of the current folder. Help, --watch and -C, alone or among
 * other short options (`-vC dir`, `-Cdir`), run in their own process.
 */
function servable(args: readonly string[]): boolean {
  const name = args.find((arg) => !arg.startsWith("-"));
  if (name === undefined || !SERVED_COMMANDS.has(name)) return false;
  const refused = /^(--cwd(=.*)?|--help|--version|--watch(=.*)?|-[^-]*[Chw].*)$/;
  return !args.some((arg) => refused.test(arg));
}

/**
 * Why the server cannot run a command of this process as the process would:
 * node was started with flags of its own (the server's node has none), or
 * data is piped or redirected in (a stage could read it; the server's own
 * input is empty).
 */
function unservableProcess(): string | undefined {
  if (process.execArgv.length > 0) return `node was started with ${process.execArgv.join(" ")}`;
  try {
    const input = fstatSync(0);
    if (input.isFIFO() || input.isFile() || input.isSocket()) return "data is piped or redirected into the command, which a stage could read";
  } catch {
    // closed: nothing to read
  }
  return undefined;
}

/** With --verbose, why the command runs in this process rather than the server. */
function declinedNote(args: readonly string[], reason: string): void {
  if (args.includes("--verbose") || args.includes("-v")) process.stderr.write(`note: the sluice server declined (${reason}); running here\n`);
}

/**
 * This process's terminal, for the server to draw on as this process would.
 * `colors` is decided by the rule of colorette (listr2's colours), which
 * reads it once, when it is imported: NO_COLOR or --no-color, FORCE_COLOR or
 * --color, a terminal on stdout with a TERM that is not dumb.
 */
function terminal(): Terminal {
  const size = (stream: NodeJS.WriteStream) => (stream.isTTY ? { columns: stream.columns, rows: stream.rows } : undefined);
  const { env } = process;
  const ci = "CI" in env && ("GITHUB_ACTIONS" in env || "GITLAB_CI" in env || "CIRCLECI" in env);
  const capable = isatty(1) && env["TERM"] !== undefined && env["TERM"] !== "" && env["TERM"] !== "dumb";
  const { argv } = process;
  const colors = !("NO_COLOR" in env || argv.includes("--no-color")) && ("FORCE_COLOR" in env || argv.includes("--color") || capable || ci);
  const stdout = size(process.stdout);
  const stderr = size(process.stderr);
  return { ...(stdout ? { stdout } : {}), ...(stderr ? { stderr } : {}), colors };
}

function connected(path: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(undefined));
  });
}

/** Starts the workspace's server in the background, its output going to a log beside the socket; returns its pid (undefined: it could not be started). */
function startServer(root: string, install: Install, path: string): number | undefined {
  try {
    const log = openServerLog(path);
    const child = spawn(process.execPath, [...SERVER_NODE_OPTIONS, install.serverEntry, root, install.dir, path], {
      cwd: root,
      detached: true,
      stdio: ["ignore", log, log],
    });
    child.unref();
    return child.pid;
  } catch {
    // No server this time: commands keep running in their own processes.
    return undefined;
  }
}

/** Sends the command to the server listening on `path` and relays what comes back: its exit code, or why it must run here. */
function command(socket: Socket, path: string, args: readonly string[]): Promise<number | "declined" | "restart"> {
  return new Promise((resolve) => {
    let printed = false;
    let ended = false;
    let forwarded: "SIGINT" | "SIGTERM" | undefined;
    let serverPid: number | undefined;
    // Straight to the server's process once it said which: a load busy in a loop reads no socket, but V8's watchdog sees a signal.
    const forward = (signal: "SIGINT" | "SIGTERM") => () => {
      forwarded = signal;
      if (serverPid === undefined) socket.write(encode({ type: "signal", signal }));
      else {
        try {
          process.kill(serverPid, signal);
        } catch {
          // Gone already: the socket's close says how the command ended.
        }
      }
    };
    const onInt = forward("SIGINT");
    const onTerm = forward("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    const finish = (outcome: number | "declined" | "restart") => {
      if (ended) return;
      ended = true;
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      socket.destroy();
      resolve(outcome);
    };
    socket.on(
      "data",
      messageReader<ServerMessage>((message) => {
        switch (message.type) {
          case "out":
          case "err":
            printed = true;
            (message.type === "out" ? process.stdout : process.stderr).write(message.text);
            return;
          case "exit":
            return finish(message.code);
          case "declined":
            declinedNote(args, message.reason);
            return finish(message.restart ? "restart" : "declined");
          case "started":
            serverPid = message.pid;
            return;
          case "status":
            return;
        }
      }),
    );
    socket.on("close", () => {
      if (ended) return;
      // The signal passed on ended the server, as it would have ended the command's own process.
      if (forwarded) return finish(128 + constants.signals[forwarded]);
      // The server went away before it took the command: nothing happened, so it runs here.
      if (serverPid === undefined && !printed) return finish("declined");
      // Mid-command: its stages may have run, and what it printed stands, so this cannot quietly start over.
      const who = serverPid === undefined ? "the sluice server" : `the sluice server (pid ${serverPid})`;
      process.stderr.write(`error: ${who} stopped before the command ended; its log: ${logPath(path)}\n`);
      finish(1);
    });
    socket.on("error", () => {});
    socket.write(
      encode({
        type: "command",
        node: process.argv[0] ?? process.execPath,
        bin: process.argv[1] ?? "sluice",
        args,
        cwd: process.cwd(),
        env: stringEnv(),
        umask: process.umask(),
        terminal: terminal(),
      }),
    );
  });
}

/** A reader that leaves early (`| head`) does not stop the command, as it would not stop sluice's own process (main.ts). */
function keepGoingWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

function stringEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return env;
}

/** The sluice this code is part of, when it runs from the bundle (the only build that has a server). */
export function ownInstall(): Install | undefined {
  const serverEntry = fileURLToPath(new URL("server.js", import.meta.url));
  if (!existsSync(serverEntry)) return undefined;
  return { dir: resolve(dirname(serverEntry), "..", ".."), serverEntry };
}

/**
 * Starts the server of `root` unless one answers, and waits until one does (up to `timeoutMs`):
 * whether one answers, and the pid of the server this started, if it did (two started at once:
 * only one of them stays).
 */
export async function startAndWait(root: string, install: Install, timeoutMs = 10_000): Promise<{ answering: boolean; startedPid?: number }> {
  const path = socketPath(root, install.dir);
  let socket = await connected(path);
  const startedPid = socket ? undefined : startServer(root, install, path);
  for (const deadline = Date.now() + timeoutMs; !socket && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    socket = await connected(path);
  }
  socket?.destroy();
  return { answering: socket !== undefined, ...(startedPid === undefined ? {} : { startedPid }) };
}

/** Sends `message` to the server of `root` and returns its one reply, or undefined when no server answers. */
export async function askServer(root: string, install: Install, message: ClientMessage): Promise<ServerMessage | undefined> {
  const socket = await connected(socketPath(root, install.dir));
  if (!socket) return undefined;
  return new Promise((resolve) => {
    socket.on("data", messageReader<ServerMessage>((reply) => resolve(reply)));
    socket.on("close", () => resolve(undefined));
    socket.on("error", () => {});
    socket.write(encode(message));
  });
}
