/**
 * What a promote stage writes as its output: the decision it took, so the
 * run's artifacts say why the candidate passed or held without opening
 * the registry.
 *
 * Like every stage output it is a function of the stage's inputs alone, so
 * a fresh clone's first run writes the bytes `sluice.lock` holds: it names
 * the release by its tuple digest, never by the manifest digest, which
 * covers who registered it, when and from which commit (those stay in the
 * registry event).
 */
import { z } from "zod";
import { DigestString, ReleaseName } from "./json-value.js";

export const PromotionRecord = z
  .strictObject({
    project: z.string(),
    release: ReleaseName,
    /** The release's tuple digest: what was released, whoever registered it and whenever. */
    tupleDigest: DigestString,
    /** No longer written (it made the output depend on the clock); accepted in records written before. */
    manifestDigest: DigestString.optional(),
    decision: z.enum(["canary_open", "hold"]),
    /** Sorted failed or missing gates. */
    failed: z.array(z.string()),
    /** `canary_open` or `hold:<gates>`. */
    label: z.string(),
  })
  .meta({ id: "PromotionRecord" });
export type PromotionRecord = z.output<typeof PromotionRecord>;
