/**
 * Names that would walk out of registry/ if they ever became part of a
 * path: `..`, slashes, absolute paths. The contracts reject them, and every
 * registry command given one answers with one usage error (exit 2) and
 * writes nothing, here or anywhere else.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AliasName, Name, RegistryEvent, ReleaseName } from "../../contracts/index.js";
import { Workspace } from "../rig.js";
import { filesUnder, promotingWorkspace, STACK_FRAME } from "./registry-checks.js";

const ACTOR = { SLUICE_ACTOR: "ci" };
const HOSTILE = ["..", "../eta_v1", "../../etc/passwd", "a/b_v1", "eta_v1/..", "/etc/eta_v1", "/tmp/evil", "C:\\eta_v1", "eta_v1\n", ".", ""];

describe("hostile release, alias and project names", () => {
  it("are rejected by the contracts that name releases, aliases and projects", () => {
    for (const name of HOSTILE) {
      expect(ReleaseName.safeParse(name).success, JSON.stringify(name)).toBe(false);
      expect(AliasName.safeParse(name).success, JSON.stringify(name)).toBe(false);
      expect(Name.safeParse(name).success, JSON.stringify(name)).toBe(false);
    }
    for (const name of ["eta_v1", "eta.daily_v12", "ranking-2_v3"]) expect(ReleaseName.safeParse(name).success, name).toBe(true);
    const move = { type: "alias_moved", seq: 1, prev: null, at: "2026-06-01T00:00:00.000Z", actor: "ci", project: "eta", alias: "canary", from: null, to: "eta_v1", cause: "promote", reason: "" };
    expect(RegistryEvent.safeParse(move).success).toBe(true);
    expect(RegistryEvent.safeParse({ ...move, to: "../eta_v1" }).success).toBe(false);
    expect(RegistryEvent.safeParse({ ...move, alias: "../../evil" }).success).toBe(false);
    expect(RegistryEvent.safeParse({ ...move, project: "../eta" }).success).toBe(false);
  });

  describe("given to the CLI", () => {
    const ws = new Workspace(promotingWorkspace());
    let registry: Record<string, string> = {};
    beforeAll(async () => {
      const out = await ws.run(["run"], { env: ACTOR });
      expect(out.code, out.stderr).toBe(0);
      registry = filesUnder(ws.root, "registry");
    }, 60_000);
    afterAll(() => ws.dispose());

    const cases: [args: string[], message: RegExp][] = [
      [["registry", "show", "eta", "../../etc/passwd"], /^error: eta has no release "\.\.\/\.\.\/etc\/passwd"/],
      [["registry", "show", "eta", "/etc/passwd"], /^error: eta has no release "\/etc\/passwd"/],
      [["registry", "show", "eta", "@../../evil"], /^error: eta@\.\.\/\.\.\/evil points at no release/],
      [["promote", "eta", "../eta_v1", "--to", "production"], /^error: "\.\.\/eta_v1" is not a valid release name/],
      [["promote", "eta", "eta_v1", "--to", "../../evil"], /^error: "\.\.\/\.\.\/evil" is not a valid alias name/],
      [["promote", "eta", "eta_v1", "--to", "/tmp/evil"], /^error: "\/tmp\/evil" is not a valid alias name/],
      [["promote", "../eta", "eta_v1", "--to", "canary"], /^error: contracts\/promotion_policy\.json has no policy for project "\.\.\/eta"/],
      [["rollback", "eta", "--to", "../eta_v1", "--reason", "r"], /^error: "\.\.\/eta_v1" is not a valid release name/],
      [["rollback", "eta", "--to", "/etc/eta_v1", "--reason", "r"], /^error: "\/etc\/eta_v1" is not a valid release name/],
      [["rollback", "eta", "--alias", "../../evil", "--reason", "r"], /^error: "\.\.\/\.\.\/evil" is not a valid alias name/],
      [["rollback", "/etc", "--reason", "r"], /^error: "\/etc" is not a valid project name/],
      [["approve", "eta", "a/b_v1", "--role", "risk"], /^error: "a\/b_v1" is not a valid release name/],
    ];

    it("refuses each with one usage error (exit 2) and writes nothing anywhere", async () => {
      const outs = await Promise.all(cases.map(([args]) => ws.run(args, { env: ACTOR })));
      for (const [i, out] of outs.entries()) {
        const [args, message] = cases[i] as [string[], RegExp];
        const what = `sluice ${args.join(" ")} (exit ${out.code}):\n${out.stderr}`;
        expect(out.code, what).toBe(2);
        expect(out.stderr, what).toMatch(message);
        expect(out.stderr.trimEnd().split("\n"), what).toHaveLength(1);
        expect(out.stderr, what).not.toMatch(STACK_FRAME);
      }
      expect(filesUnder(ws.root, "registry")).toEqual(registry);
      // Where "../../evil" would have landed, relative to registry/eta/.
      expect(existsSync(join(ws.root, "evil.json"))).toBe(false);
      expect(existsSync(join(dirname(ws.root), "evil.json"))).toBe(false);
      expect(existsSync("/tmp/evil.json")).toBe(false);
    }, 60_000);
  });
});
