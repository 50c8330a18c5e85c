import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "sdk-worker",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
