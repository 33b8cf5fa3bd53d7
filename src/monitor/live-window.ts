/**
 * Ordering and identity of live windows (the window contract itself is
 * `contracts/live-window.ts`).
 */
import type { LiveWindow } from "../../contracts/index.js";

/**
 * The idempotence key of a window: the same id may name a canary and a
 * production window of the same period, so the alias is part of the key.
 */
export function windowKey(w: Pick<LiveWindow, "project" | "alias" | "window">): string {
  return `${w.project}/${w.alias}/${w.window}`;
}

/**
 * Orders windows by start, then end, then id, so decisions never depend on
 * the order lines happened to be written in.
 */
export function compareWindows(a: LiveWindow, b: LiveWindow): number {
  return Date.parse(a.start) - Date.parse(b.start) || Date.parse(a.end) - Date.parse(b.end) || (a.window < b.window ? -1 : a.window > b.window ? 1 : 0);
}
