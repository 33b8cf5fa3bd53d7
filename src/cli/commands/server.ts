/**
 * `sluice server start|stop|status`: the workspace's sluice server, which
 * runs `sluice run` and `sluice status` warm when SLUICE_SERVER=1 (see
 * src/cli/server/serve.ts). Starting it by hand is optional: with the
 * variable set, the first command starts it.
 */
import { existsSync } from "node:fs";
import { findWorkspaceRoot } from "../../pipeline/index.js";
import { writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { usageError } from "../context.js";
import { exitWithFailure } from "../exit-code.js";
import { askServer, commandCount, logPath, ownInstall, SERVER_ENV, socketPath, startAndWait, UnsafeServerDir, type Install, type StatusReply } from "../server/index.js";

const ACTIONS = ["start", "stop", "status"] as const;

const command = defineCommand({
  command: "server [action]",
  describe: `Start, stop or show the workspace's sluice server (${SERVER_ENV}=1 runs \`run\` and \`status\` through it)`,
  builder: (yargs) =>
    yargs
      .positional("action", { choices: ACTIONS, default: "status" as const, describe: "what to do" })
      .example("SLUICE_SERVER=1 sluice run", "run through the server (the first such run starts it)")
      .example("sluice server status --json", "whether one runs: its pid, the commands it served, its memory, its log")
      .example("sluice server stop", "stop it (it also stops after 15 idle minutes)")
      .epilogue("Served commands give what their own process would: the pipeline is evaluated afresh every time. `--watch`, `-C`, help and other commands always run in their own process; see README, \"A warm server\"."),
  handler: async (argv) => {
    const root = findWorkspaceRoot(argv.cwd ?? process.cwd());
    if (root === undefined) return usageError("no workspace here: no folder at or above this one holds pipeline.ts and package.json");
    const install = ownInstall();
    if (!install) return usageError("the sluice server runs from the built package: run `npm run build` in the sluice checkout first");
    try {
      return await act(argv.action, root, install, argv.json === true);
    } catch (error) {
      if (error instanceof UnsafeServerDir) return exitWithFailure({ kind: "failed", message: error.message });
      throw error;
    }
  },
});

async function act(action: (typeof ACTIONS)[number], root: string, install: Install, json: boolean): Promise<void> {
  switch (action) {
    case "start": {
      const { answering, startedPid } = await startAndWait(root, install);
      if (!answering) return exitWithFailure({ kind: "failed", message: `the sluice server of ${root} did not start; its log: ${serverLog(root, install)}` });
      const status = await serverStatus(root, install);
      return report(root, install, json, status, status?.pid === startedPid ? "started" : "already running");
    }
    case "stop": {
      const stopped = await askServer(root, install, { type: "stop" });
      if (json) return writeOut(JSON.stringify({ stopped: stopped !== undefined, root }, null, 2));
      return writeOut(stopped ? `stopped the sluice server of ${root}` : `no sluice server is running for ${root}`);
    }
    case "status":
      return report(root, install, json, await serverStatus(root, install));
  }
}

async function serverStatus(root: string, install: Install): Promise<StatusReply | undefined> {
  const reply = await askServer(root, install, { type: "status" });
  return reply?.type === "status" ? reply : undefined;
}

/** What `status` says, and after `start` whether that started the server or found it running (`--json`: `started`). */
function report(root: string, install: Install, json: boolean, status: StatusReply | undefined, start?: "started" | "already running"): void {
  const log = serverLog(root, install);
  const logged = existsSync(log);
  const started = start === undefined ? {} : { started: start === "started" };
  if (json) return writeOut(JSON.stringify(status ? { running: true, ...started, ...withoutType(status), log } : { running: false, root, ...(logged ? { log } : {}) }, null, 2));
  if (!status) {
    const last = logged ? `; the last one's log: ${log}` : "";
    return writeOut(`no sluice server is running for ${root} (with ${SERVER_ENV}=1 the next \`sluice run\` starts one)${last}`);
  }
  const already = start === "already running" ? " (already running)" : "";
  writeOut(
    `sluice server ${status.pid}${already} serving ${status.root} since ${status.startedAt}: ${commandCount(status.commands)} run, ${Math.round(status.rssBytes / 2 ** 20)} MiB resident; its log: ${log}`,
  );
}

/** Where the server of `root` writes (it is kept after the server ends). */
function serverLog(root: string, install: Install): string {
  return logPath(socketPath(root, install.dir));
}

function withoutType<T extends { type: string }>({ type: _type, ...rest }: T): Omit<T, "type"> {
  return rest;
}

export default command;
