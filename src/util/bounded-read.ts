/**
 * Reading a whole file that something outside wrote, refusing it past a
 * size limit before a byte is read: a params file, the experiments list.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** The file's text; absent when it does not exist; or why it cannot be read, phrased to follow the file's name. */
export function readBoundedText(absolute: string, limit: number): { kind: "text"; text: string } | { kind: "absent" } | { kind: "error"; problem: string } {
  let fd: number;
  try {
    fd = openSync(absolute, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? { kind: "absent" } : { kind: "error", problem: `cannot be read (${code ?? (error as Error).message})` };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > limit) return { kind: "error", problem: `is ${size} bytes, over the ${limit}-byte limit` };
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { kind: "text", text: buffer.subarray(0, read).toString("utf8") };
  } finally {
    closeSync(fd);
  }
}
