/**
 * `sluice`: run the command line (cli.ts), then exit with its code.
 */
import { hideBin } from "yargs/helpers";
import { writeErr } from "../report/index.js";
import { runCli } from "./cli.js";

keepGoingWhenReaderLeaves(process.stdout);
keepGoingWhenReaderLeaves(process.stderr);
runCli(hideBin(process.argv)).then(
  // Every command has finished its work here. Exit now rather than wait for
  // a stray handle (a compiler service, an idle child) to let the loop drain,
  // but only once stdout and stderr are flushed: writes to a pipe are
  // asynchronous, and exiting early cut a large `--json` document short.
  (code) => exitFlushed(code),
  (error: unknown) => {
    const verbose = process.argv.includes("--verbose") || process.argv.includes("-v");
    writeErr(`internal error: ${error instanceof Error ? (verbose ? error.stack : error.message) : String(error)}`);
    if (!verbose) writeErr("(run with --verbose for the stack trace)");
    // Exit now: runners or workers the failed command started would keep the process alive.
    exitFlushed(1);
  },
);

function exitFlushed(code: number): void {
  void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code));
}

/**
 * A reader that stops early (`sluice runs --json | head`) closes the pipe.
 * What is left to print has nowhere to go, but the command still finishes
 * its work (a run records what it built) instead of dying on EPIPE.
 */
function keepGoingWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}
