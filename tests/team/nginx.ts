/**
 * A real nginx serving a WebDAV-PUT cache root on 127.0.0.1, started by a
 * test and stopped after it: the same server a team would put in front of
 * its shared cache (the README shows the same config).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NGINX } from "../requirements.js";
import { freePort } from "./free-port.js";

/** The nginx binary, or undefined when it is not installed (see ../requirements.ts). */
export const NGINX_BIN: string | undefined = NGINX.path;

export class Nginx {
  readonly dir: string;
  /** The directory nginx serves; `<root>/ac/...` and `<root>/cas/...` appear here. */
  readonly root: string;
  readonly port: number;
  #child: ChildProcess | undefined;

  private constructor(dir: string, port: number) {
    this.dir = dir;
    this.root = join(dir, "root");
    this.port = port;
  }

  /** Base URL of the cache under a path prefix, so tests can share one server without sharing entries. */
  url(prefix = "cache"): string {
    return `http://127.0.0.1:${this.port}/${prefix}`;
  }

  /** Starts nginx on a free loopback port with a fresh root. */
  static async start(): Promise<Nginx> {
    if (!NGINX_BIN) throw new Error("nginx is not installed");
    const dir = mkdtempSync(join(tmpdir(), "sluice-nginx-"));
    const server = new Nginx(dir, await freePort());
    mkdirSync(server.root, { recursive: true });
    for (const temp of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(dir, temp), { recursive: true });
    writeFileSync(join(dir, "nginx.conf"), config(server));
    await server.resume();
    return server;
  }

  /** (Re)starts the server process on the same port and root. */
  async resume(): Promise<void> {
    const child = spawn(NGINX_BIN as string, ["-p", this.dir, "-c", join(this.dir, "nginx.conf"), "-e", join(this.dir, "error.log")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    this.#child = child;
    // A test that times out never reaches its `finally`: don't leave a server behind the worker.
    const orphanGuard = () => child.kill("SIGTERM");
    process.once("exit", orphanGuard);
    child.once("exit", () => process.off("exit", orphanGuard));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nginx exited at start (${child.exitCode}): ${stderr}${this.errorLog()}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/`, { method: "HEAD" });
        if (response.status > 0) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`nginx did not start listening: ${stderr}${this.errorLog()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the server (fast shutdown) and waits for the master to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  }

  /** Stops the server and removes its files. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  errorLog(): string {
    try {
      return readFileSync(join(this.dir, "error.log"), "utf8");
    } catch {
      return "";
    }
  }
}

function config(server: Nginx): string {
  const { dir, root, port } = server;
  // As root, nginx would drop its workers to `nobody`, who cannot write the temp root.
  const user = process.getuid?.() === 0 ? "user root;\n" : "";
  return `${user}daemon off;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
events { worker_connections 256; }
http {
  access_log ${join(dir, "access.log")};
  client_body_temp_path ${join(dir, "body")};
  proxy_temp_path ${join(dir, "proxy")};
  fastcgi_temp_path ${join(dir, "fastcgi")};
  uwsgi_temp_path ${join(dir, "uwsgi")};
  scgi_temp_path ${join(dir, "scgi")};
  server {
    listen 127.0.0.1:${port};
    root ${root};
    client_max_body_size 4g;
    location / {
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
    }
  }
}
`;
}
