/** The ranking story (projects/ranking/README.md), replayed through the real CLI. */
import { storyTests } from "./story-spec.js";

storyTests({
  project: "ranking",
  gates: ["blocked_listings_zero", "ndcg_improves", "latency_budget"],
  v2: { reruns: ["train", "evaluate"], fails: "latency_budget" },
  v3: { reruns: ["features", "validate", "train", "evaluate"] },
  corrupt: { section: "snapshot", values: { feedDelayHours: 72 }, gate: "freshness" },
});
