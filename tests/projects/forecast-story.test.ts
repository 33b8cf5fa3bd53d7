/** The forecast story (projects/forecast/README.md), replayed through the real CLI. */
import { storyTests } from "./story-spec.js";

storyTests({
  project: "forecast",
  gates: ["mae_improves", "peak_underforecast_cost"],
  v2: { reruns: ["train", "evaluate"], fails: "peak_underforecast_cost" },
  v3: { reruns: ["features", "validate", "train", "evaluate"] },
  corrupt: { section: "snapshot", values: { missingLastDays: 2 }, gate: "latest_counts_loaded" },
});
