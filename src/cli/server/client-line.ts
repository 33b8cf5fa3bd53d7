/**
 * The server's side of one client connection: its messages go out whole and
 * at once, written straight to the socket as a process of its own writes to
 * the pipe behind its stderr.
 *
 * Not through the socket's stream: the command's output is written by the
 * pipeline's own code while it loads, and a Ctrl-C or the time limit stops
 * that code wherever it is (load-watchdog.ts), inside a stream's bookkeeping
 * too, which then holds back every later write (the rest of the command's
 * output and its exit code) for good. A write here is stopped at worst
 * between two pieces of one message: the next message starts on a line of
 * its own, and the client skips the piece (protocol.ts, messageReader).
 */
import type { Socket } from "node:net";
import { writeWhole } from "../../util/write-whole.js";
import { encode, type ServerMessage } from "./protocol.js";

export class ClientLine {
  readonly socket: Socket;
  /** A message was being written when the last write ended, so it may have been stopped before its newline. */
  #maybeCut = false;

  constructor(socket: Socket) {
    this.socket = socket;
  }

  /** Sends `message` now; nothing when the client is gone. */
  send(message: ServerMessage): void {
    const fd = descriptor(this.socket);
    if (fd === undefined) return;
    const bytes = Buffer.from(`${this.#maybeCut ? "\n" : ""}${encode(message)}`, "utf8");
    this.#maybeCut = true;
    if (!writeWhole(fd, bytes)) this.socket.destroy();
    this.#maybeCut = false;
  }

  /** Sends the last message of the connection and ends it; resolves once it is closed. */
  reply(message: ServerMessage): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once("close", () => resolve());
      this.send(message);
      if (this.socket.destroyed) resolve();
      else this.socket.end(() => resolve());
    });
  }
}

/**
 * The socket's file descriptor while it is open. Node offers no public way
 * to it, but every stream handle on Unix has one; a destroyed socket has no
 * handle, and its number may already belong to another file.
 */
function descriptor(socket: Socket): number | undefined {
  if (socket.destroyed) return undefined;
  const fd = (socket as Socket & { readonly _handle?: { readonly fd?: number } | null })._handle?.fd;
  return typeof fd === "number" && fd >= 0 ? fd : undefined;
}
