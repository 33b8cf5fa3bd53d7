/**
 * A damaged registry log, as a user meets it through the CLI. A torn last
 * line whose event the head record acknowledged is damage: `verify` names
 * the line, and every command that would write (promote, rollback, approve,
 * a run whose promote stage registers a candidate) refuses with one clear
 * line and leaves every byte under registry/ as it was; a line edited in the
 * middle is named the same way, by readers too. Only a tail no head ever
 * acknowledged (an append cut by a crash) is cut off by the next writer.
 */
import { appendFileSync, readFileSync, rmSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Workspace } from "../rig.js";
import { aliasMismatches, filesUnder, loggedEvents, promotingWorkspace, restoreFiles, STACK_FRAME, verifyJson } from "./registry-checks.js";

const ACTOR = { SLUICE_ACTOR: "ci" };
const LOG = "registry/releases.jsonl";

describe("a damaged registry log", () => {
  const ws = new Workspace(promotingWorkspace());
  let pristine: Record<string, string> = {};
  let lines = 0;

  beforeAll(async () => {
    for (const args of [["run"], ["approve", "eta", "eta_v1", "--role", "ml_lead", "--by", "bob"]]) {
      const out = await ws.run(args, { env: ACTOR });
      expect(out.code, out.stderr).toBe(0);
    }
    pristine = filesUnder(ws.root, "registry");
    lines = loggedEvents(ws.root).length;
  }, 60_000);
  beforeEach(() => restoreFiles(ws.root, "registry", pristine));
  afterAll(() => ws.dispose());

  /** Cuts the last line in half, newline included: the event the head acknowledged lost its end. */
  function tearLastLine(): void {
    const text = ws.read(LOG);
    const lastLine = text.slice(text.lastIndexOf("\n", text.length - 2) + 1);
    truncateSync(join(ws.root, LOG), statSync(join(ws.root, LOG)).size - Math.ceil(Buffer.byteLength(lastLine) / 2));
  }

  it("is named by verify, line and all, with exit 1", async () => {
    tearLastLine();
    const verdict = await verifyJson(ws);
    expect(verdict.code).toBe(1);
    expect(verdict.problems).toContain(`line ${lines} is incomplete (an append did not finish)`);
    const human = await ws.run(["verify"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`line ${lines} is incomplete`);
    expect(human.stderr).not.toMatch(STACK_FRAME);
  });

  it("is refused by promote, rollback and approve with one clear line, every byte left as it was", async () => {
    tearLastLine();
    const torn = filesUnder(ws.root, "registry");
    for (const args of [
      ["promote", "eta", "eta_v1", "--to", "production"],
      ["rollback", "eta", "--reason", "panic"],
      ["approve", "eta", "eta_v1", "--role", "risk", "--by", "carol"],
    ]) {
      const out = await ws.run(args, { env: ACTOR });
      const what = `sluice ${args.join(" ")}:\n${out.stderr}`;
      expect(out.code, what).toBe(1);
      expect(out.stderr.trim(), what).toBe(
        `error: ${LOG} is damaged (line ${lines} is incomplete, but the head record says it was written whole); run \`sluice verify\` for details`,
      );
      expect(filesUnder(ws.root, "registry"), what).toEqual(torn);
    }
  });

  it("fails a run whose stages read the registry, without a stack trace or a byte changed", async () => {
    tearLastLine();
    const torn = filesUnder(ws.root, "registry");
    const run = await ws.runJson(["--set", "eta:train.weights=w9"], { env: ACTOR });
    expect(run.code).toBe(1);
    // The first stage whose key reads the registry (the champion, the promotion state) fails; nothing downstream runs.
    const failed = run.stages.filter((s) => s.status === "failed");
    expect(failed.length).toBeGreaterThan(0);
    for (const stage of failed) {
      expect(stage.reason).toMatch(/^external-unavailable: dep "\w+" \(registry:eta@[\w-]+\) could not be read: /);
      expect(stage.reason).toContain(`${LOG} is damaged (line ${lines} is incomplete, but the head record says it was written whole)`);
    }
    expect(["failed", "skipped"]).toContain(run.stages.find((s) => s.id === "eta:promote")?.status);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.decisions).toEqual([]);
    expect(filesUnder(ws.root, "registry")).toEqual(torn);
  });

  it("an edited middle line is named by every registry command, readers included, in one line with exit 1", async () => {
    const text = ws.read(LOG);
    ws.write(LOG, text.replace("\n{", "\n{garbled")); // line 2 is no longer JSON
    const garbled = filesUnder(ws.root, "registry");
    const commands = [
      ["promote", "eta", "eta_v1", "--to", "production"],
      ["rollback", "eta", "--reason", "panic"],
      ["approve", "eta", "eta_v1", "--role", "risk", "--by", "carol"],
      ["lineage", "eta", "eta_v1"],
      ["registry", "list"],
    ];
    const outs = await Promise.all(commands.map((args) => ws.run(args, { env: ACTOR })));
    for (const [i, out] of outs.entries()) {
      const what = `sluice ${commands[i]?.join(" ")}:\n${out.stderr}`;
      expect(out.code, what).toBe(1);
      expect(out.stderr.trim(), what).toBe(`error: ${LOG} is damaged (line 2 is not JSON); run \`sluice verify\` for details`);
    }
    expect(filesUnder(ws.root, "registry")).toEqual(garbled);
  });

  it("cuts off only an append no head acknowledged (a crash mid-write), losing nothing recorded", async () => {
    appendFileSync(join(ws.root, LOG), `{"seq":${lines + 1},"prev":"`);
    expect((await verifyJson(ws)).problems).toContain(`line ${lines + 1} is incomplete (an append did not finish)`);
    const out = await ws.run(["approve", "eta", "eta_v1", "--role", "risk", "--by", "carol"], { env: ACTOR });
    expect(out.code, out.stderr).toBe(0);
    expect(ws.read(LOG).startsWith(Buffer.from(pristine["releases.jsonl"] as string, "base64").toString("utf8"))).toBe(true);
    expect(loggedEvents(ws.root)).toHaveLength(lines + 1);
    expect((await verifyJson(ws)).problems).toEqual([]);
  });

  it("brings alias files a crash left behind the log up to date on the next registry transaction, even one that appends nothing", async () => {
    rmSync(join(ws.root, "registry/eta/canary.json"));
    expect((await verifyJson(ws)).problems).toEqual(["registry/eta/canary.json is missing; the log says canary -> eta_v1"]);
    const out = await ws.run(["promote", "eta", "eta_v1", "--to", "canary"], { env: ACTOR });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain("eta@canary already holds eta_v1");
    expect(readFileSync(join(ws.root, "registry/eta/canary.json"), "base64")).toBe(pristine["eta/canary.json"]);
    expect(aliasMismatches(ws.root)).toEqual([]);
    expect(filesUnder(ws.root, "registry")).toEqual(pristine);
  });
});
