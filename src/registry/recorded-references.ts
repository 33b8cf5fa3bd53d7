/**
 * The reference distributions a release's evaluation recorded for drift
 * (the report's `reference`: feature -> distribution), read from the object
 * store where the release pins its report. Monitoring compares live windows
 * with them; the HTML report plots PSI against them.
 */
import { Distribution, type ReleaseManifest } from "../../contracts/index.js";
import { isDigest, type ObjectStore } from "../cache/index.js";

/** The usable references (undefined when the report cannot be read), and why any could not be used. */
export interface RecordedReferences {
  readonly references: Record<string, Distribution> | undefined;
  readonly problems: readonly string[];
}

export async function recordedReferences(store: ObjectStore, manifest: ReleaseManifest): Promise<RecordedReferences> {
  const { release } = manifest;
  const digest = manifest.evaluation.reportDigest;
  // The manifest contract (DigestString) checks the same form, so this refuses only a manifest built by hand.
  if (!isDigest(digest)) return { references: undefined, problems: [`${release}'s evaluation report digest ${digest} is not a digest`] };
  const read = await store.readVerified(digest);
  if (!read.ok) {
    const where = read.problem.reason === "missing-object" ? "missing from" : "corrupt in";
    return { references: undefined, problems: [`${release}'s evaluation report (${manifest.evaluation.reportDigest}) is ${where} cache/objects`] };
  }
  let recorded: unknown;
  try {
    recorded = (JSON.parse(read.bytes.toString("utf8")) as { reference?: unknown }).reference;
  } catch {
    return { references: undefined, problems: [`${release}'s evaluation report is not JSON`] };
  }
  const references: Record<string, Distribution> = {};
  const problems: string[] = [];
  for (const [feature, value] of Object.entries(recorded !== null && typeof recorded === "object" ? recorded : {})) {
    const parsed = Distribution.safeParse(value);
    if (parsed.success) references[feature] = parsed.data;
    else problems.push(`${release}'s reference for ${feature} is not a distribution (${parsed.error.issues[0]?.message ?? "?"})`);
  }
  return { references, problems };
}
