/**
 * The gate contract: what an evaluation stage writes for each check and
 * what the promote stage reads. One shape for every product, so the
 * promotion rule never needs to know what a gate measured.
 */
import { z } from "zod";
import { JsonValue, Name } from "./json-value.js";

/** A measured or thresholded quantity: a number, a flag, a label, or nothing. */
export const GateScalar = z.union([z.number(), z.boolean(), z.string(), z.null()]);

/** One gate's verdict with the evidence a reviewer needs to trust it. */
export const GateResult = z
  .strictObject({
    /** Snake-case gate name as the policy lists it (`critical_slice_pass`). */
    name: Name.describe("gate name as the promotion policy lists it"),
    /** The verdict. Only `true` lets a promotion through. */
    passed: z.boolean().describe("the verdict; only true lets a promotion through"),
    /** What was measured (recall 0.91, rows 20000, true). */
    value: GateScalar.describe("what was measured"),
    /** What it was compared with (0.85, ">= 1000", null when the gate is a flag). */
    threshold: GateScalar.describe("what it was compared with"),
    /** A failed critical gate can never be waived by approvals. */
    critical: z.boolean().describe("a failed critical gate can never be waived"),
    /** Why: counts, offending rows, slice figures, digests. */
    evidence: z.record(z.string(), JsonValue).describe("why: counts, offending rows, digests"),
  })
  .meta({ id: "GateResult", title: "Gate result" });

export type GateResult = z.output<typeof GateResult>;

/** A gate artifact may hold one gate or a list of them (one file per evaluation). */
export const GateArtifact = z.union([GateResult, z.array(GateResult)]);
export type GateArtifact = z.output<typeof GateArtifact>;
