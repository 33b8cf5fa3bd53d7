/**
 * "Did you mean" for a misspelt name: the nearest candidate by edit
 * distance, when it is near enough to be a typo rather than another word.
 */
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { closestMatch } from "leven";

/**
 * The candidate `word` most likely meant, or undefined. Near enough means at
 * most a third of the word's length in edits, and two for short words (where
 * a swapped pair of letters is already two), compared without case.
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const byLower = new Map<string, string>();
  for (const candidate of candidates) byLower.set(candidate.toLowerCase(), candidate);
  const lower = word.toLowerCase();
  const maxDistance = word.length <= 2 ? 1 : Math.max(2, Math.floor(word.length / 3));
  const match = closestMatch(lower, [...byLower.keys()], { maxDistance });
  return match === undefined ? undefined : byLower.get(match);
}

/** ` (did you mean "x"?)`, or "" when nothing is near; `quote` renders the name. */
export function didYouMean(word: string, candidates: Iterable<string>, quote: (name: string) => string = (name) => `"${name}"`): string {
  const near = closestName(word, candidates);
  return near === undefined ? "" : ` (did you mean ${quote(near)}?)`;
}

/**
 * " (did you mean <shown folder>/<name>?)" naming a file beside the missing `absolute` whose name is a
 * near miss of its own (`trian.py` for `train.py`, `params.yml` for `params.yaml`); `shown` is the
 * missing path as the message names it.
 */
export function nearbyFile(absolute: string, shown: string): string {
  let siblings: string[];
  try {
    siblings = readdirSync(dirname(absolute));
  } catch {
    return "";
  }
  const near = closestName(basename(absolute), siblings);
  return near === undefined ? "" : ` (did you mean ${join(dirname(shown), near)}?)`;
}
