import { defineConfig } from "vitest/config";

// End-to-end tests spawn the real CLI; each test file gets its own temp
// workspace, so files run in parallel across the two cores.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: process.env["CI"] ? ["default"] : ["default"],
  },
});
