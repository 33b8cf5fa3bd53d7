/**
 * Whether a process group still has a process running, and waiting until it
 * has none. Nothing tells when processes that are not this one's children
 * end, so the group is asked.
 */
import { readdirSync, readFileSync } from "node:fs";

/** How often a group is asked whether it has ended. */
const POLL_MS = 20;

/** Resolves once process group `pgid` has no running process, or at `deadline` (ms since the epoch). */
export async function groupEnds(pgid: number, deadline: number): Promise<void> {
  while (Date.now() < deadline && groupRunning(pgid)) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}

/**
 * Whether process group `pgid` has a process that has not ended. A group of
 * zombies only has ended: they wait for an init to reap them, and the init
 * of a container may be slow to, or never do it.
 */
export function groupRunning(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  return runningMember(pgid) ?? true;
}

/** Whether a process of group `pgid` is not a zombie, as Linux's /proc tells; undefined without /proc. */
function runningMember(pgid: number): boolean | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so fields are counted after the last ")".
    const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(group) === pgid && state !== "Z") return true;
  }
  return false;
}
