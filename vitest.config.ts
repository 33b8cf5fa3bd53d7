import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// End-to-end tests spawn the real CLI; each test file gets its own temp
// workspace, so files run in parallel. A test spends most of its time
// waiting on the processes it spawns, so it gets a worker per core rather
// than vitest's default of one less (a single worker on two cores).
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    pool: "forks",
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
