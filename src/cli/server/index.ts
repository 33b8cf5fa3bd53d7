/**
 * Public surface of `cli/server/`: the sluice server, as `sluice server`
 * reaches it. bin/sluice.js loads client.ts and the server starts from
 * server-main.ts, each a bundle entry of its own (scripts/bundle.mjs).
 */
export { askServer, ownInstall, startAndWait, type Install } from "./client.js";
export { commandCount, SERVER_ENV, socketPath, UnsafeServerDir, type StatusReply } from "./protocol.js";
export { logPath } from "./server-log.js";
