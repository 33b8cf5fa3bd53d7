/**
 * The files the report reads besides the registry and the run history: a
 * project's live window files. Everything here degrades to a note: a report
 * is still worth having when a file is bad.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseWindows, type LiveWindow } from "../../monitor/index.js";

/** The windows of one file, in file order. */
export interface WindowFile {
  /** Workspace-relative path. */
  readonly path: string;
  readonly windows: readonly LiveWindow[];
}

/** The window files of one project and what could not be read. */
export interface ProjectWindows {
  /** Workspace-relative folder the files are read from. */
  readonly dir: string;
  /** Files whose windows passed the contract, sorted by path. */
  readonly files: readonly WindowFile[];
  readonly problems: readonly string[];
}

/** How many problems of one file the report repeats before summarising. */
const PROBLEMS_SHOWN = 3;

/**
 * Reads `<projectDir>/live/*.jsonl`, each file on its own: the monitor
 * judges one file per pass, and files of different scenarios may reuse
 * window ids, so merging them would mix series that never ran together. A
 * file the live-window contract rejects is left out whole (as the monitor
 * would), with its first problems; windows of another project are dropped.
 */
export async function readProjectWindows(root: string, project: string, projectDir: string): Promise<ProjectWindows> {
  const dir = join(projectDir, "live");
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".jsonl")).sort();
  const files: WindowFile[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const shown = relative(root, path);
    const text = await readFile(path, "utf8").catch((error: Error) => error);
    if (text instanceof Error) {
      problems.push(`${shown}: cannot read (${text.message})`);
      continue;
    }
    const parsed = parseWindows(text, shown);
    if (!parsed.ok) {
      const more = parsed.error.length - PROBLEMS_SHOWN;
      problems.push(...parsed.error.slice(0, PROBLEMS_SHOWN).map((p) => p.message), ...(more > 0 ? [`${shown}: ${more} more problems`] : []));
      continue;
    }
    files.push({ path: shown, windows: parsed.value.filter((w) => w.project === project) });
  }
  return { dir: relative(root, dir), files, problems };
}
