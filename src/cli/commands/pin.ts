/**
 * `sluice pin <url>`: download a file once and print the digest that pins a
 * `url(...)` dep to exactly these bytes.
 */
import { pinUrl } from "../../ops/index.js";
import { formatBytes, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { exitWithFailure } from "../exit-code.js";

const command = defineCommand({
  command: "pin <url>",
  describe: "Download a file and print the digest that pins a url(...) dep to its bytes",
  builder: (yargs) =>
    yargs
      .positional("url", { type: "string", demandOption: true, describe: "an http(s) URL" })
      .option("max-bytes", { type: "number", default: 1 << 30, describe: "refuse a download larger than this (default 1 GiB)" })
      .epilog('Paste the digest it prints into the dep: url("<url>", { digest: "<digest>", path: "data/<file>" })'),
  handler: async (argv) => {
    const stop = new AbortController();
    const onSigint = () => stop.abort();
    process.once("SIGINT", onSigint);
    try {
      const pinned = await pinUrl(argv.url, { cwd: argv.cwd ?? process.cwd(), maxBytes: argv.maxBytes, signal: stop.signal });
      if (!pinned.ok) return exitWithFailure(pinned.error);
      const { url, digest, bytes, cached } = pinned.value;
      if (argv.json) return void writeOut(JSON.stringify(pinned.value, null, 2));
      writeOut(`${url}: ${formatBytes(bytes)}, digest ${digest}${cached ? " (kept in the cache)" : ""}`);
      const name = new URL(url).pathname.split("/").filter(Boolean).at(-1) ?? "download";
      writeOut(`  url(${JSON.stringify(url)}, { digest: ${JSON.stringify(digest)}, path: ${JSON.stringify(`data/${name}`)} })`);
    } finally {
      process.off("SIGINT", onSigint);
    }
  },
});

export default command;
