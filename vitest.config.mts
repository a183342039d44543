import { defineConfig } from "vitest/config";

// Two projects: fast pure unit tests, and integration tests that start real servers and databases.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{lib,collectors,components}/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["{lib,collectors}/**/*.int.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
