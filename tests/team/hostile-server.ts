/**
 * A small HTTP server on 127.0.0.1 (random port) standing in for a remote
 * cache that turned hostile: it mirrors a real cache root (what nginx
 * serves) and, for the paths a test picks, misbehaves instead: a body far
 * longer than the object, a Content-Length over any limit, a redirect to
 * another origin or within its own.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";

/** What the server does for one request. */
export type Behaviour =
  | { readonly kind: "mirror" }
  /** 200, no Content-Length, `bytes` of zeros (far more than any object in a test). */
  | { readonly kind: "flood"; readonly bytes: number }
  /** 200 with a Content-Length of 10 GB, then a flood. */
  | { readonly kind: "claims-huge" }
  /** 302 to the same path under `base` (another origin). */
  | { readonly kind: "redirect"; readonly base: string };

/** One request the server saw. */
export interface Seen {
  readonly method: string;
  readonly path: string;
}

export class HostileServer {
  readonly port: number;
  /** Every request, in arrival order. */
  readonly seen: Seen[] = [];
  /** Path below the prefix (`ac/…`, `cas/…`) -> behaviour; mirror when it returns undefined. */
  rule: (rest: string) => Behaviour | undefined = () => undefined;
  readonly #server: Server;
  readonly #root: string;

  private constructor(server: Server, port: number, root: string) {
    this.#server = server;
    this.port = port;
    this.#root = root;
  }

  /**
   * Starts a server mirroring `root` (a cache root with `<prefix>/ac` and
   * `<prefix>/cas`). A path under `/same/` is served as the path without
   * it, so a test can redirect within the server's own origin.
   */
  static async start(root: string): Promise<HostileServer> {
    let self: HostileServer | undefined;
    const server = createServer((req, res) => self?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    self = new HostileServer(server, (server.address() as { port: number }).port, root);
    return self;
  }

  /** The base URL of `prefix` on this server. */
  url(prefix: string): string {
    return `http://127.0.0.1:${this.port}/${prefix}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    this.seen.push({ method: req.method ?? "", path });
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    const local = path.startsWith("/same/") ? path.slice("/same".length) : path;
    const rest = local.split("/").slice(2).join("/");
    const behaviour = (path === local ? this.rule(rest) : undefined) ?? { kind: "mirror" };
    switch (behaviour.kind) {
      case "mirror": {
        const file = join(this.#root, local);
        if (!existsSync(file) || !statSync(file).isFile()) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { "content-length": statSync(file).size });
        createReadStream(file).pipe(res);
        return;
      }
      case "flood":
        res.writeHead(200, { "content-type": "application/octet-stream" });
        flood(res, behaviour.bytes);
        return;
      case "claims-huge":
        // Written by hand: node's own writer would refuse a body that does not match.
        res.socket?.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 10737418240\r\n\r\n");
        if (res.socket) flood(res.socket, 64 << 20);
        return;
      case "redirect":
        res.writeHead(302, { location: `${behaviour.base}${local}` }).end();
        return;
    }
  }
}

/** Writes `bytes` zeros in 1 MB chunks, honouring backpressure, until the reader goes away. */
function flood(out: NodeJS.WritableStream & { destroyed?: boolean }, bytes: number): void {
  const chunk = Buffer.alloc(1 << 20);
  let sent = 0;
  const more = () => {
    while (sent < bytes && !out.destroyed) {
      sent += chunk.length;
      if (!out.write(chunk)) {
        out.once("drain", more);
        return;
      }
    }
    if (!out.destroyed) out.end();
  };
  out.on("error", () => undefined);
  more();
}
