import { defineConfig } from "vitest/config";

// One run over every package's tests (`npm test` counts them all).
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "apps/web/vitest.config.ts", "apps/cli/vitest.config.ts"],
  },
});
