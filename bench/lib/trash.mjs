// Resets move what they clear into a trash folder, emptied when the harness
// exits, instead of deleting it in between measured runs. This machine's
// root is ext4 without a journal, where allocating an inode skips every
// inode freed in the last minute or five, one by one: deleting a cache of a
// few thousand files right before a cold run made that run's file creation
// slower the more the reset had removed (sluice's cold N=1000 went 3.8 s,
// 6.3 s, 8.7 s in three back-to-back runs, make's barely moved). Moving the
// files aside is a rename and frees nothing.
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";

/** Trash folder per work folder, so every move stays on one filesystem. */
const trashes = new Map();
let moved = 0;

/** Moves `path`, if it exists, into the trash of `workDir` (the folder holding the workspaces). */
export function discard(path, workDir) {
  if (!existsSync(path)) return;
  let trash = trashes.get(workDir);
  if (!trash) {
    trash = join(workDir, `.trash-${process.pid}`);
    mkdirSync(trash, { recursive: true });
    trashes.set(workDir, trash);
    if (trashes.size === 1) process.on("exit", emptyTrash);
  }
  renameSync(path, join(trash, String(moved++)));
}

function emptyTrash() {
  for (const trash of trashes.values()) rmSync(trash, { recursive: true, force: true });
}
