/**
 * The servers' logs: one per workspace and sluice installation, beside its
 * socket in this user's private folder, appended to by each server started
 * for that workspace. Nothing else would ever remove one, and the folder
 * would keep a log for every workspace ever served (each clone's, each
 * test's), so a server about to start removes the logs of servers long gone
 * and starts its own afresh once it has grown past a limit.
 */
import { existsSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

/** A log untouched this long belongs to a server long gone. */
export const STALE_LOG_MS = 7 * 24 * 60 * 60_000;
/** Past this size a log is started afresh rather than appended to. */
export const MAX_LOG_BYTES = 1 << 20;

/** The log of the server listening on `socket`, beside it. */
export function logPath(socket: string): string {
  return socket.replace(/\.sock$/, ".log");
}

/** Opens (0600) the log of the server about to listen on `socket`, once the folder's stale logs are gone. */
export function openServerLog(socket: string, now = Date.now()): number {
  removeStaleLogs(dirname(socket), now);
  const path = logPath(socket);
  const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  return openSync(path, size > MAX_LOG_BYTES ? "w" : "a", 0o600);
}

function removeStaleLogs(dir: string, now: number): void {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".log")) continue;
    const path = join(dir, name);
    // A socket beside it: its server may still be running (or died without removing it); the log stays.
    if (existsSync(path.replace(/\.log$/, ".sock"))) continue;
    const modified = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
    if (modified !== undefined && now - modified > STALE_LOG_MS) rmSync(path, { force: true });
  }
}
