/**
 * The sluice server: one process per workspace that keeps sluice loaded and
 * its code compiled, and runs `sluice run` and `sluice status` command lines
 * sent by clients (client.ts) one at a time, as a fresh process would:
 *
 * - the command sees the client's arguments, folder and environment, and
 *   its output and exit code go back to the client;
 * - every load evaluates the pipeline files anew (src/pipeline/fresh-modules.ts)
 *   and every per-command memo is emptied first (util/command-scope.ts);
 * - Ctrl-C in the client reaches the command as a real signal: the run's
 *   handlers stop it, and where it has none yet (while loading) the signal
 *   ends the server as it would have ended the command's own process; a
 *   client that goes away mid-command (killed, its terminal closed) stops
 *   it as SIGTERM would, and so does `sluice server stop`;
 * - `process.exit` called by the command's code ends the server with the
 *   client told the code, as it would have ended the command's process;
 * - a command the server cannot run as a fresh process would (a pipeline
 *   that needs loader hooks or imports a package other than sluice and
 *   zod, sluice or an installed package changed since the server started,
 *   a client under another locale or NODE_OPTIONS, which Node reads only as
 *   a process starts) is declined, and the client runs it itself.
 *
 * The server ends after SLUICE_SERVER_IDLE_MS (15 minutes) without a
 * command, on `sluice server stop`, after any command that crashed or
 * whose load was stopped mid-code (Ctrl-C, the time limit), and once what
 * it holds passes SLUICE_SERVER_MAX_HEAP_MB (512).
 */
import { chmodSync, statSync, unlinkSync, writeSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { inspect } from "node:util";
import { runInNewContext } from "node:vm";
import { forgetLoadLeftovers, loadAfresh, NotFresh, sharedModuleChanged, stoppedLoadCount } from "../../pipeline/index.js";
import { runCli } from "../cli.js";
import { loadListrReporter } from "../../report/index.js";
import { streamWriteOf } from "../../util/write-whole.js";
import { ClientLine } from "./client-line.js";
import { commandCount, messageReader, SERVER_NODE_OPTIONS, type ClientMessage, type ServerMessage, type TerminalSize } from "./protocol.js";

type CommandMessage = Extract<ClientMessage, { type: "command" }>;

const DEFAULT_IDLE_MS = 15 * 60_000;
/** The heap past which the server ends itself after a command (see #heapTooBig), unless SLUICE_SERVER_MAX_HEAP_MB says otherwise. */
const DEFAULT_MAX_HEAP_MB = 512;

export interface ServeOptions {
  readonly root: string;
  /** The sluice package folder: a rebuild or reinstall there ends the server. */
  readonly install: string;
  readonly socket: string;
}

export async function serve(options: ServeOptions): Promise<void> {
  await loadTaskListInColour();
  new Server(options).listen();
}

/**
 * listr2 draws a terminal's task list in colours that its colour library
 * decides once, as it is imported, from the process's own stdout (a log
 * file here). Imported now with colours forced on, it draws as it would on
 * a terminal that shows them; a client whose terminal shows none runs the
 * command itself (Server#command).
 */
async function loadTaskListInColour(): Promise<void> {
  const own = process.env["FORCE_COLOR"];
  process.env["FORCE_COLOR"] = "1";
  try {
    await loadListrReporter();
  } finally {
    if (own === undefined) delete process.env["FORCE_COLOR"];
    else process.env["FORCE_COLOR"] = own;
  }
}

class Server {
  readonly #options: ServeOptions;
  readonly #startedAt = new Date();
  readonly #own: string;
  readonly #idleMs: number;
  readonly #maxHeapBytes: number;
  #listener = createServer((socket) => this.#accept(socket));
  #idle: NodeJS.Timeout | undefined;
  #active: ClientLine | undefined;
  #commands = 0;
  /** A command crashed: what it left behind is unknown, so the server ends. */
  #broken = false;
  readonly #onSignal = (signal: NodeJS.Signals) => this.#stop(`${signal} between commands`);
  /** Why the server ends once its last replies are out, from the moment that is decided. */
  #ending: string | undefined;
  /** Why this workspace cannot be served afresh, once a load found out. */
  #notFresh: string | undefined;
  /** The clients of `sluice server stop` waiting for the running command to end. */
  #stopping: ClientLine[] = [];
  /** What Node read from the environment as the server started (see startupSettings). */
  readonly #startup = startupSettings(process.env);
  /** The server's own `process.exit`, which a running command's stands in for (see #exitThroughClient). */
  readonly #exit = process.exit;

  constructor(options: ServeOptions) {
    this.#options = options;
    this.#own = ownFiles(options.install);
    this.#idleMs = positiveSetting("SLUICE_SERVER_IDLE_MS", DEFAULT_IDLE_MS);
    this.#maxHeapBytes = positiveSetting("SLUICE_SERVER_MAX_HEAP_MB", DEFAULT_MAX_HEAP_MB) * 2 ** 20;
    // Workers a command starts take the flags of a process of its own: none (Node gives them the server's).
    process.execArgv = process.execArgv.filter((flag) => !(SERVER_NODE_OPTIONS as readonly string[]).includes(flag));
    loadAfresh();
    this.#listenForSignals(true);
    process.on("uncaughtException", (error) => this.#uncaught(error));
  }

  listen(): void {
    this.#listener.once("listening", () => this.#listening());
    this.#listener.once("error", (error: NodeJS.ErrnoException) => {
      // Another server took the socket first; a socket file nobody answers on was left by one that died.
      if (error.code !== "EADDRINUSE") throw error;
      const probe = connect(this.#options.socket);
      probe.once("connect", () => process.exit(0));
      probe.once("error", () => {
        unlinkSync(this.#options.socket);
        this.#listener.listen(this.#options.socket);
      });
    });
    this.#listener.listen(this.#options.socket);
  }

  #listening(): void {
    chmodSync(this.#options.socket, 0o600);
    console.log(`sluice server ${process.pid} serving ${this.#options.root} on ${this.#options.socket}`);
    this.#restartIdleTimer();
  }

  #accept(socket: Socket): void {
    socket.on("error", () => {});
    const client = new ClientLine(socket);
    socket.on(
      "data",
      messageReader<ClientMessage>((message) => {
        switch (message.type) {
          case "command":
            void this.#command(client, message);
            return;
          case "signal":
            if (client === this.#active) process.kill(process.pid, message.signal);
            return;
          case "status":
            void client.reply({
              type: "status",
              pid: process.pid,
              root: this.#options.root,
              commands: this.#commands,
              startedAt: this.#startedAt.toISOString(),
              rssBytes: process.memoryUsage.rss(),
            });
            return;
          case "stop":
            if (!this.#active) return void client.reply({ type: "exit", code: 0 }).then(() => this.#stop("asked to (sluice server stop)"));
            this.#stopping.push(client);
            return this.#stopCommand(this.#active);
        }
      }),
    );
  }

  async #command(client: ClientLine, command: CommandMessage): Promise<void> {
    const { args } = command;
    if (this.#ending !== undefined) return void decline(client, `the server is ending: ${this.#ending}`, true);
    if (this.#active) return void decline(client, "the server is running another command");
    if (this.#notFresh !== undefined) return void decline(client, this.#notFresh);
    const { terminal } = command;
    if ((terminal.stdout || terminal.stderr) && !terminal.colors) return void decline(client, "the server draws in colour, and this terminal shows none");
    const changed =
      ownFiles(this.#options.install) !== this.#own
        ? "sluice was rebuilt or reinstalled since the server started"
        : (changedPackage() ?? otherStartup(this.#startup, startupSettings(command.env)));
    if (changed !== undefined) {
      // Stop listening first, so the client can start the next server (with this client's environment) at once.
      this.#listener.close();
      return void decline(client, changed, true).then(() => this.#stop(changed));
    }
    const stuck = forgetLoadLeftovers();
    if (stuck.length > 0) {
      this.#notFresh = `the workspace cannot be loaded afresh: a load before left ${stuck.join(", ")} in a way that cannot be undone`;
      return void decline(client, this.#notFresh);
    }
    this.#active = client;
    clearTimeout(this.#idle);
    // A signal the client passes on must meet exactly what it would meet in the command's own process:
    // the run's handlers once they are installed, else the default action. (A handler of ours present
    // during a load would also be lost: the load watchdog's breakOnSigint resets SIGINT's disposition.)
    this.#listenForSignals(false);
    client.send({ type: "started", pid: process.pid });
    // A client gone mid-command (killed, its terminal closed) would have taken the command's own process with it.
    client.socket.once("close", () => this.#stopCommand(client));
    const session = enter(command, client);
    const restoreExit = this.#exitThroughClient(client);
    const loadsStopped = stoppedLoadCount();
    let outcome: ServerMessage;
    try {
      outcome = { type: "exit", code: await runCli(args) };
    } catch (error) {
      outcome = this.#crashed(error, args);
    }
    restoreExit();
    // Declined, the command runs in the client. Nothing was done but loading (a pipeline found to import a
    // package only as it ran): what that load printed, the client's own load prints again.
    session.leave(outcome.type === "exit" ? outcome.code : undefined);
    if (outcome.type !== "declined") this.#commands++;
    this.#active = undefined;
    this.#listenForSignals(true);
    const replied = client.reply(outcome);
    const why = this.#whyEnd(loadsStopped);
    if (why === undefined) return this.#restartIdleTimer();
    // Taking no other command meanwhile, the server ends once the last replies are out.
    this.#ending = why;
    this.#listener.close();
    const asked = this.#stopping.map((stopper) => stopper.reply({ type: "exit", code: 0 }));
    void Promise.all([replied, ...asked]).then(() => this.#stop(why));
  }

  /** Why the server ends after the command it just ran, if it does; `loadsStopped`: the count before the command. */
  #whyEnd(loadsStopped: number): string | undefined {
    if (this.#broken) return "a command crashed";
    if (stoppedLoadCount() !== loadsStopped) return "its command's load was stopped mid-code, which may have left shared modules half-changed";
    if (this.#stopping.length > 0) return "asked to (sluice server stop), once its command had stopped";
    if (this.#tooBigToKeep()) return `its heap, collected, still holds more than ${this.#maxHeapBytes / 2 ** 20} MB`;
    return undefined;
  }

  /**
   * Stops the running command as SIGTERM stops a run in its own process (its stages are ended and
   * what finished is kept), once the run's handlers are there to take it: SIGTERM would end the
   * server itself while the pipeline still loads.
   */
  #stopCommand(client: ClientLine): void {
    if (this.#active !== client) return;
    if (process.listenerCount("SIGTERM") > 0) process.kill(process.pid, "SIGTERM");
    else setTimeout(() => this.#stopCommand(client), 50);
  }

  /**
   * Makes `process.exit` called by the command's code (a pipeline that exits when a setting is missing)
   * end the server as it would have ended the command's process, with the client told the code first.
   * Returns what puts the server's own back.
   */
  #exitThroughClient(client: ClientLine): () => void {
    process.exit = ((code?: number | string | null) => {
      const exitCode = Number(code ?? process.exitCode ?? 0);
      this.#active = undefined;
      this.#logStop(`its command called process.exit(${exitCode})`, this.#commands + 1);
      // The command's exit listeners run first, printing to the client as in a process of its own; the code goes last.
      process.on("exit", () => client.send({ type: "exit", code: exitCode }));
      return this.#exit.call(process, exitCode);
    }) as typeof process.exit;
    return () => {
      process.exit = this.#exit;
    };
  }

  /**
   * An error nothing caught: it would have ended the command's own process, so the client is told
   * what Node prints and the exit code it gives, and then the server ends (what the command left
   * behind is unknown). A listener of the command's own code would have kept its process alive.
   */
  #uncaught(error: unknown): void {
    if (process.listenerCount("uncaughtException") > 1) return;
    const client = this.#active;
    const why = `its command threw ${String(error)}`;
    if (!client) {
      writeSync(2, `${inspect(error)}\n`);
      return this.#stop(why);
    }
    this.#active = undefined;
    client.send({ type: "err", text: `${inspect(error)}\n\nNode.js ${process.version}\n` });
    void client.reply({ type: "exit", code: 1 }).then(() => this.#stop(why, this.#commands + 1));
  }

  /**
   * Whether what the server holds has outgrown its limit, so that it ends
   * and the next command starts a new one. V8 collects lazily: a heap past
   * the limit is mostly the commands' garbage (a load at 10000 stages
   * leaves ~40 MB), so it is collected once before that is decided. Only
   * a command that finds the heap past the limit pays for a full collection.
   */
  #tooBigToKeep(): boolean {
    if (process.memoryUsage().heapUsed <= this.#maxHeapBytes) return false;
    collectGarbage();
    return process.memoryUsage().heapUsed > this.#maxHeapBytes;
  }

  /** What a command that threw tells its client; the server ends after one that crashed. */
  #crashed(error: unknown, args: readonly string[]): ServerMessage {
    if (error instanceof NotFresh) {
      const reason = `the workspace cannot be loaded afresh: ${error.message}`;
      if (error.lasting) this.#notFresh = reason;
      return { type: "declined", reason };
    }
    this.#broken = true;
    const verbose = args.includes("--verbose") || args.includes("-v");
    process.stderr.write(`internal error: ${error instanceof Error ? (verbose ? error.stack : error.message) : String(error)}\n`);
    if (!verbose) process.stderr.write("(run with --verbose for the stack trace)\n");
    return { type: "exit", code: 1 };
  }

  /** Between commands a signal ends the server; while one runs, the command's own handlers (or none) take it. */
  #listenForSignals(on: boolean): void {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      if (on) process.on(signal, this.#onSignal);
      else process.off(signal, this.#onSignal);
    }
  }

  /** Says in the log why the server ends, after how many commands (the one ending it among them). */
  #logStop(why: string, commands: number): void {
    // Straight to the log: while a command runs, process.stdout is carried to its client.
    writeSync(1, `sluice server ${process.pid} stopping after ${commandCount(commands)}: ${why}\n`);
  }

  #restartIdleTimer(): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.#stop(`idle for ${Math.round(this.#idleMs / 1000)} s`), this.#idleMs);
  }

  /** Ends the server, saying why in its log (where `sluice server status` points), after `commands` commands. */
  #stop(why: string, commands = this.#commands): void {
    this.#logStop(why, commands);
    this.#listener.close();
    // Leave once replies are out; a run's runners would otherwise keep the process alive.
    setImmediate(() => this.#exit.call(process, 0));
  }
}

/** A positive number from the server's environment, or `fallback`. */
function positiveSetting(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Why the server must not load again: an installed file a load imported changed. */
function changedPackage(): string | undefined {
  const path = sharedModuleChanged();
  return path === undefined ? undefined : `${path} changed since the server started`;
}

/**
 * What Node takes from the environment only as a process starts, so a server started under other
 * values cannot give what the command's own process would: the locale (`localeCompare`, `Intl`,
 * number formats) and NODE_OPTIONS (`--conditions` changes which file an import loads).
 */
function startupSettings(env: Readonly<Record<string, string | undefined>>): ReadonlyMap<string, string> {
  const names = Object.keys(env).filter((name) => /^(LANG|LANGUAGE|LC_[A-Z_]+|NODE_OPTIONS)$/.test(name));
  return new Map(names.map((name) => [name, env[name] ?? ""]));
}

/** Why a client's start-up settings are not the server's, or undefined when they are the same. */
function otherStartup(server: ReadonlyMap<string, string>, client: ReadonlyMap<string, string>): string | undefined {
  const differ = [...new Set([...server.keys(), ...client.keys()])].filter((name) => server.get(name) !== client.get(name)).sort();
  if (differ.length === 0) return undefined;
  const shown = differ.map((name) => (client.has(name) ? `${name}=${client.get(name)}` : `no ${name}`)).join(", ");
  return `the command's ${shown} ${differ.length === 1 ? "is" : "are"} not the server's, which Node reads only as it starts`;
}

/** The identity of the installed sluice: its manifest and built entry points. */
function ownFiles(install: string): string {
  return ["package.json", "dist/bundle/cli.js", "dist/bundle/index.js"]
    .map((file) => {
      const stat = statSync(join(install, file), { bigint: true, throwIfNoEntry: false });
      return stat ? `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : "-";
    })
    .join("|");
}

/** One command's hold on the process: see enter. */
interface Session {
  /** Puts the server's own back; `exitCode`, when the command ended with one, is what its own process's exit listeners would be told. */
  leave(exitCode: number | undefined): void;
}

/**
 * Makes the process look like the client's for one command: its folder, its
 * environment (in place: child processes and workers read process.env), its
 * file mode creation mask, and stdout and stderr carried to it. `leave`
 * puts the server's back, and ends the process listeners the command left,
 * as its own process would have ended with them.
 */
function enter(command: CommandMessage, client: ClientLine): Session {
  const ownCwd = process.cwd();
  const ownEnv = { ...process.env };
  const ownArgv = process.argv;
  const writes = { out: process.stdout.write, err: process.stderr.write };
  const terminals = [pretendTerminal(process.stdout, command.terminal.stdout), pretendTerminal(process.stderr, command.terminal.stderr)];
  const ownListeners = processListeners();
  const ownUmask = process.umask(command.umask);
  replaceEnv(command.env);
  process.chdir(command.cwd);
  process.argv = [command.node, command.bin, ...command.args];
  const state: Session = {
    leave(exitCode) {
      // A package may leave a listener behind (restore-cursor's, once a task list was drawn), and so may pipeline
      // code. A process of its own would have ended with them, running its exit listeners; here they would meet
      // the next command, so they go.
      for (const [event, listeners] of processListeners()) {
        for (const listener of listeners) {
          if (ownListeners.get(event)?.includes(listener)) continue;
          if (event === "exit" && exitCode !== undefined) runExitListener(listener, exitCode);
          process.off(event, listener);
        }
      }
      for (const restore of terminals) restore();
      process.stdout.write = writes.out;
      process.stderr.write = writes.err;
      process.argv = ownArgv;
      process.chdir(ownCwd);
      process.umask(ownUmask);
      replaceEnv(ownEnv);
    },
  };
  const carry = (type: "out" | "err") => streamWriteOf((bytes) => client.send({ type, text: bytes.toString("utf8") }));
  process.stdout.write = carry("out");
  process.stderr.write = carry("err");
  return state;
}

type Listener = (...args: unknown[]) => void;

function processListeners(): Map<string | symbol, Listener[]> {
  return new Map(process.eventNames().map((event) => [event, process.listeners(event as NodeJS.Signals) as Listener[]]));
}

function runExitListener(listener: Listener, exitCode: number): void {
  try {
    listener.call(process, exitCode);
  } catch (error) {
    process.stderr.write(`${inspect(error)}\n`);
  }
}

/** Makes `stream` look like the client's (a terminal of that size, or none); returns what puts it back. */
function pretendTerminal(stream: NodeJS.WriteStream, size: TerminalSize | undefined): () => void {
  const own = { isTTY: stream.isTTY, columns: stream.columns, rows: stream.rows };
  Object.assign(stream, size ? { isTTY: true, columns: size.columns, rows: size.rows } : { isTTY: false, columns: undefined, rows: undefined });
  return () => Object.assign(stream, own);
}

function replaceEnv(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name];
  for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
}

function decline(client: ClientLine, reason: string, restart = false): Promise<void> {
  return client.reply({ type: "declined", reason, ...(restart ? { restart } : {}) });
}

let fullCollection: (() => void) | undefined;

/**
 * V8's full collection, reached without `--expose-gc`: that flag would put `gc` on the global object
 * that served pipeline code shares, which in a process of its own has none. Set once needed, the flag
 * gives `gc` only to contexts made from then on, and one is made to hand it over.
 */
function collectGarbage(): void {
  if (!fullCollection) {
    setFlagsFromString("--expose-gc");
    fullCollection = runInNewContext("gc") as () => void;
  }
  fullCollection();
}
