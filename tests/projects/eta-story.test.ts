/** The ETA story (projects/eta/README.md), replayed through the real CLI. */
import { storyTests } from "./story-spec.js";

storyTests({
  project: "eta",
  gates: ["critical_slice_pass", "cost_improves"],
  v2: { reruns: ["train", "evaluate"], fails: "critical_slice_pass" },
  v3: { reruns: ["features", "validate", "train", "evaluate"] },
  corrupt: { section: "snapshot", values: { feedDelayHours: 48 }, gate: "freshness" },
});
