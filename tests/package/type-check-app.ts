/**
 * Type-checks an app folder that installed the packed tarball against the
 * package's exported types, as the app's own `tsc` would.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../rig.js";

/** Writes a strict nodenext tsconfig over `pipeline.ts` and `projects/`, runs tsc: its exit code and output. */
export function typeCheckApp(app: string): Promise<{ code: number; output: string }> {
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "ES2022",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        // @types/node is the user's business; borrow the repo's so the check needs no install.
        typeRoots: [join(REPO, "node_modules", "@types")],
        types: ["node"],
      },
      include: ["pipeline.ts", "projects"],
    }),
  );
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", app], { cwd: app, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}
