/**
 * What a promote stage writes as its output: the decision it took, so the
 * run's artifacts say why the candidate passed or held without opening
 * the registry.
 */
import { z } from "zod";
import { DigestString, ReleaseName } from "./json-value.js";

export const PromotionRecord = z
  .strictObject({
    project: z.string(),
    release: ReleaseName,
    manifestDigest: DigestString,
    decision: z.enum(["canary_open", "hold"]),
    /** Sorted failed or missing gates. */
    failed: z.array(z.string()),
    /** `canary_open` or `hold:<gates>`. */
    label: z.string(),
  })
  .meta({ id: "PromotionRecord" });
export type PromotionRecord = z.output<typeof PromotionRecord>;
