import { defineConfig } from "@playwright/test";
import { ADMIN_STATE } from "./auth.ts";

const PORT = Number(process.env.E2E_PORT ?? 3100);

/**
 * The dashboard in Debian's Chromium (Playwright cannot download its own
 * browser here), against web + worker started by serve.ts on a fresh database
 * of the test PostgreSQL server. The setup project signs in as the admin
 * through the sign-in page once; every spec starts with that session.
 */
export default defineConfig({
  testDir: "tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  reporter: [["list"], ["json", { outputFile: "test-results/results.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "sign-in", testMatch: /auth\.setup\.ts$/ },
    { name: "chromium", dependencies: ["sign-in"], use: { storageState: ADMIN_STATE } },
  ],
  webServer: {
    command: `node --import tsx serve.ts`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    env: { E2E_PORT: String(PORT) },
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
