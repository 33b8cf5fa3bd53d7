/**
 * The pure parts of the cluster executor: which stages `--executor` sends
 * where, how declared resources become sbatch flags, and where cluster
 * settings come from. The jobs themselves are tested against a real
 * cluster in tests/team/slurm-executor.test.ts.
 */
import { describe, expect, it } from "vitest";
import { executorOf, parseExecutorRules } from "../../src/exec/executors/index.js";
import { DEFAULT_PREPARE, resolveSlurmSettings, resourceFlags, sbatchArgs } from "../../src/exec/executors/slurm/index.js";
import type { Stage } from "../../src/pipeline/index.js";

const stage = (id: string, executor: "local" | "slurm" = "local", resources: Record<string, number> = {}) => ({ id, executor, resources }) as unknown as Stage;

describe("--executor", () => {
  const where = (specs: string[], s: Stage) => {
    const parsed = parseExecutorRules(specs);
    if (!parsed.ok) throw new Error(parsed.error);
    return executorOf(s, parsed.rules);
  };

  it("keeps each stage's declared executor when not given", () => {
    expect(where([], stage("eta:train", "slurm"))).toBe("slurm");
    expect(where([], stage("eta:prep"))).toBe("local");
  });

  it("sends the stages a glob matches, a project's stages by its name, and every stage by a bare name; the last match wins", () => {
    expect(where(["*:train=slurm"], stage("eta:train"))).toBe("slurm");
    expect(where(["*:train=slurm"], stage("eta:prep"))).toBe("local");
    expect(where(["eta=slurm"], stage("eta:prep"))).toBe("slurm");
    expect(where(["eta=slurm"], stage("vision:prep"))).toBe("local");
    expect(where(["slurm"], stage("vision:prep"))).toBe("slurm");
    expect(where(["slurm,eta:prep=local"], stage("eta:prep"))).toBe("local");
    expect(where(["local"], stage("eta:train", "slurm"))).toBe("local");
  });

  it("refuses an unknown executor or an empty glob, naming the entry", () => {
    for (const bad of ["kubernetes", "*:train=", "=slurm", "*:train=k8s"]) {
      const parsed = parseExecutorRules([bad]);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain(`--executor ${bad}:`);
    }
  });
});

describe("resources on the cluster", () => {
  it("maps gpu, memGiB and cpus to sbatch flags, rounding up, and leaves other names to the local limits", () => {
    expect(resourceFlags({ gpu: 2, memGiB: 1.5, cpus: 3.2, licenses: 4 })).toEqual(["--gres=gpu:2", "--mem=1536M", "--cpus-per-task=4"]);
    expect(resourceFlags({ gpu: 0 })).toEqual([]);
  });

  it("puts the site's own flags last, so they can refine the rest", () => {
    const settings = resolveSlurmSettings({ partition: "gpu", timeLimit: "1:00:00", sbatchArgs: ["--qos=high"] }, {}, "sluice");
    if (!settings.ok) throw new Error(settings.error);
    const spec = { stage: stage("eta:train", "slurm", { gpu: 1 }), key: "k", remoteUrl: "http://c", sets: [], checkout: { repo: "/r", commit: "c", subdir: "" }, logPath: "/l.log" };
    expect(sbatchArgs(spec, settings.value)).toEqual([
      "--parsable",
      "--job-name=sluice:eta:train",
      "--output=/l.log",
      "--partition=gpu",
      "--time=1:00:00",
      "--gres=gpu:1",
      "--qos=high",
    ]);
  });
});

describe("cluster settings", () => {
  it("takes each SLUICE_SLURM_* variable over the workspace's value, and defaults the rest", () => {
    const settings = resolveSlurmSettings(
      { partition: "gpu", account: "ml", sbatchArgs: ["--qos=low"] },
      { SLUICE_SLURM_PARTITION: "debug", SLUICE_SLURM_ARGS: "--qos=high  --exclusive", SLUICE_SLURM_POLL_MS: "250" },
      "node sluice.js",
    );
    expect(settings).toEqual({
      ok: true,
      value: { partition: "debug", account: "ml", timeLimit: undefined, sbatchArgs: ["--qos=high", "--exclusive"], prepare: DEFAULT_PREPARE, command: "node sluice.js", pollMs: 250 },
    });
  });

  it("refuses a poll period that would hammer the controller", () => {
    expect(resolveSlurmSettings(undefined, { SLUICE_SLURM_POLL_MS: "10" }, "sluice")).toEqual({
      ok: false,
      error: 'SLUICE_SLURM_POLL_MS must be a number of milliseconds of at least 100 (got "10")',
    });
  });
});
