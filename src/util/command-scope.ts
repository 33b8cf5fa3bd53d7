/**
 * Memos that hold for one command: what a probe printed, what a file
 * imports, what was written to stdout. A CLI process runs one command and
 * exits, so they last as long as the process; the sluice server runs many
 * commands in one process and empties them before each, so an interpreter
 * upgraded or a file edited between two commands is seen by the second.
 */
const clears: (() => void)[] = [];

/** A Map emptied before every command the process runs. */
export function commandScopedMap<K, V>(): Map<K, V> {
  const map = new Map<K, V>();
  onCommandStart(() => map.clear());
  return map;
}

/** Runs `reset` before every command the process runs after this one. */
export function onCommandStart(reset: () => void): void {
  clears.push(reset);
}

/** Forgets every memo of the command before: the server calls this as it starts the next one. */
export function startCommand(): void {
  for (const clear of clears) clear();
}
