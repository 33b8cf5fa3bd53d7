/**
 * The server's entry script (scripts/bundle.mjs makes it `server.js`):
 * `node <SERVER_NODE_OPTIONS> server.js <workspace root> <sluice folder> <socket>`,
 * as client.ts starts it.
 */
import { serve } from "./serve.js";

const [root, install, socket] = process.argv.slice(2);
if (root === undefined || install === undefined || socket === undefined) {
  console.error("usage: server.js <workspace root> <sluice folder> <socket>");
  process.exit(2);
}
await serve({ root, install, socket });
