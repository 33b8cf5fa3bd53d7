/**
 * `sluice server start|stop|status`: the workspace's sluice server, which
 * runs `sluice run` and `sluice status` warm when SLUICE_SERVER=1 (see
 * src/cli/server/serve.ts). Starting it by hand is optional: with the
 * variable set, the first command starts it.
 */
import { findWorkspaceRoot } from "../../pipeline/index.js";
import { writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { usageError } from "../context.js";
import { exitWith } from "../exit-code.js";
import { askServer, ownInstall, SERVER_ENV, startAndWait } from "../server/index.js";

const ACTIONS = ["start", "stop", "status"] as const;

const command = defineCommand({
  command: "server [action]",
  describe: `Start, stop or show the workspace's sluice server (${SERVER_ENV}=1 runs \`run\` and \`status\` through it)`,
  builder: (yargs) =>
    yargs
      .positional("action", { choices: ACTIONS, default: "status" as const, describe: "what to do" })
      .example("SLUICE_SERVER=1 sluice run", "run through the server (the first such run starts it)")
      .example("sluice server stop", "stop it (it also stops after 15 idle minutes)"),
  handler: async (argv) => {
    const root = findWorkspaceRoot(argv.cwd ?? process.cwd());
    if (root === undefined) return usageError("no workspace here: no folder at or above this one holds pipeline.ts and package.json");
    const install = ownInstall();
    if (!install) return usageError("the sluice server runs from the built package: run `npm run build` in the sluice checkout first");
    switch (argv.action) {
      case "start": {
        if (!(await startAndWait(root, install))) {
          writeOut(`error: the sluice server of ${root} did not start; its log is in the folder \`sluice server status\` names`);
          return exitWith("failed");
        }
        return report(root, install, argv.json === true);
      }
      case "stop": {
        const stopped = await askServer(root, install, { type: "stop" });
        if (argv.json) return writeOut(JSON.stringify({ stopped: stopped !== undefined, root }, null, 2));
        return writeOut(stopped ? `stopped the sluice server of ${root}` : `no sluice server is running for ${root}`);
      }
      case "status":
        return report(root, install, argv.json === true);
    }
  },
});

async function report(root: string, install: NonNullable<ReturnType<typeof ownInstall>>, json: boolean): Promise<void> {
  const reply = await askServer(root, install, { type: "status" });
  const status = reply?.type === "status" ? reply : undefined;
  if (json) return writeOut(JSON.stringify(status ? { running: true, ...withoutType(status) } : { running: false, root }, null, 2));
  if (!status) return writeOut(`no sluice server is running for ${root} (with ${SERVER_ENV}=1 the next \`sluice run\` starts one)`);
  writeOut(`sluice server ${status.pid} serving ${status.root} since ${status.startedAt}: ${status.commands} commands run`);
}

function withoutType<T extends { type: string }>({ type: _type, ...rest }: T): Omit<T, "type"> {
  return rest;
}

export default command;
