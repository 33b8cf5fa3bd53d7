/**
 * Whole-file replacement that readers never see half done: write a temp
 * file beside the target, fsync it, rename it over the target.
 */
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, join, basename } from "node:path";

let counter = 0;

/** Replaces `path` with `text` atomically (same directory, so the rename cannot cross filesystems). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${counter++}.tmp`);
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
