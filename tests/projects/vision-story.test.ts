/** The vision story (projects/vision/README.md), replayed through the real CLI. */
import { storyTests } from "./story-spec.js";

storyTests({
  project: "vision",
  gates: ["source_slice_pass", "beats_champion"],
  v2: { reruns: ["train", "evaluate"], fails: "source_slice_pass" },
  v3: { reruns: ["train", "evaluate"] },
  // Blurry photos: the quality gate marks most unusable, so too few remain to learn from.
  corrupt: { section: "features", values: { minSharpness: 40 }, gate: "usable_image_rate" },
});
